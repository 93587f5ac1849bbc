#pragma once
// The macros of every package and how a node finds them, as dbt resolves names: a node of
// package P sees P's macros, then the root project's, then each package as a namespace
// (dbt_utils.star), then dbt's global project as `dbt` and as plain names. adapter.dispatch
// searches the packages the `dispatch:` config names (default: the root project, then the
// namespace's package) for duckdb__<name>, then default__<name>.
#include <map>
#include <string>
#include <vector>

#include "transform/jinja/environment.h"
#include "transform/project/project.h"

namespace dlctl::transform {

// dbt's global project: its macros are "internal", reachable as plain names and as dbt.<name>.
inline constexpr const char* kGlobalPackage = "dbt";

// The package of dlctl's DuckDB versions of another package's macros (dbt_utils queries
// <database>.information_schema, which DuckDB does not have): adapter.dispatch searches it
// just before that package.
inline std::string ShimPackage(const std::string& package) { return "dlctl__" + package; }

struct MacroInfo {
  std::string unique_id;   // "macro.<package>.<name>"
  std::string package;
  std::string name;
  std::string path;        // package-relative file
};

class MacroRegistry {
 public:
  MacroRegistry(std::string root_package, std::vector<DispatchConfig> dispatch);

  // Parses one macro file of `package` (kGlobalPackage for dbt's own). A macro defined twice in
  // one package is an Error naming both files; in the global project the later one wins.
  void AddFile(const jinja::Environment& environment, const std::string& package, const std::string& path,
               const std::string& display_path, const std::string& text);
  // Builds the namespaces once every file is added.
  void Build();

  // What a node of `package` sees (unknown packages see the root project's).
  const jinja::Namespace& NamespaceFor(const std::string& package) const;
  // dbt's get_from_package: "" searches `seen_from` (a node's namespace), kGlobalPackage the
  // global project, any other name that package's own macros. nullptr when it has none.
  const jinja::Value* Find(const std::string& package, const std::string& name, const jinja::Namespace& seen_from) const;
  // The packages adapter.dispatch(name, macro_namespace) searches, in order ("" = the node's
  // namespace).
  std::vector<std::string> SearchOrder(const std::string& macro_namespace) const;
  bool HasPackage(const std::string& package) const { return own_.count(package) != 0; }

  const std::vector<MacroInfo>& macros() const { return macros_; }

 private:
  std::string root_;
  std::vector<DispatchConfig> dispatch_;
  std::vector<jinja::MacroFile> files_;                  // own the macro values
  std::map<std::string, jinja::Namespace> own_;          // package -> its macros
  std::map<std::string, std::string> defined_in_;        // "package.name" -> path, for duplicates
  std::map<std::string, jinja::Namespace> visible_;      // package -> what its nodes see
  std::vector<MacroInfo> macros_;
};

}  // namespace dlctl::transform
