#pragma once
// A dbt project as files and configs, before any Jinja is rendered: dbt_project.yml, models and
// their properties (models/**/*.yml), sources, seeds, macros, singular and generic data tests,
// and the same of every package it uses (dbt_packages/*, and `local:` packages of packages.yml
// in place). The runner renders the raw SQL, applies each model's {{ config() }} with
// ApplyFileConfig and adds the ref()/source() edges to the DAG.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "transform/project/config.h"
#include "transform/project/unit_tests.h"

namespace dlctl::transform {

// A file of the project or of a package. `path` is relative to its package's root with '/'
// separators, as dbt's original_file_path ("models/stage/hr_edges.sql").
struct ProjectFile {
  std::string path;
  std::string text;
  std::string package;            // the project's or package's name
};

struct Column {
  std::string name;
  std::string description;
  std::string data_type;
  nlohmann::json meta = nlohmann::json::object();
  std::vector<std::string> tags;
};

struct Model {
  std::string unique_id;          // "model.<package>.<name>"
  std::string package;
  std::string name;               // the file's stem
  std::vector<std::string> fqn;   // project, folders under the model path, name
  ProjectFile file;               // raw SQL, rendered later
  NodeConfig config;              // dbt_project.yml < properties yml; the file's config() comes later
  std::string description;
  std::vector<Column> columns;
  std::string patch_path;         // the yml that described it, if any
};

// A snapshot: a SQL file's {% snapshot name %} block, or a yml entry with `relation:`.
struct Snapshot {
  std::string unique_id;          // "snapshot.<package>.<name>"
  std::string package;
  std::string name;
  std::vector<std::string> fqn;
  ProjectFile file;               // the block's SQL (yml snapshots: select * from {{ <relation> }})
  NodeConfig config;              // materialized "snapshot"; strategy, unique_key, ... in values
  std::string description;
  std::vector<Column> columns;
  std::string patch_path;
};

struct Seed {
  std::string unique_id;          // "seed.<package>.<name>"
  std::string package;
  std::string name;
  std::vector<std::string> fqn;
  std::string path;               // "seeds/countries.csv"
  NodeConfig config;              // materialized "seed"; column_types, delimiter, ... in values
  std::string description;
  std::vector<Column> columns;
  std::string patch_path;
};

// One table of a `sources:` entry. A source whose database is "raw" (kRawDatabase) is a raw
// dataset: its name is the dataset's (snake-cased) name and each table's identifier is a file
// path inside the dataset's latest version ("HR/HR_edges.csv").
struct SourceTable {
  std::string unique_id;          // "source.<package>.<source>.<table>"
  std::string package;
  std::string source_name;
  std::string name;               // the table name used in source('src', 'name')
  std::string identifier;         // defaults to name
  std::optional<std::string> database;
  std::string schema;             // defaults to the source name
  std::vector<std::string> fqn;   // project, folders of the yml, source, table
  std::string description;
  std::vector<Column> columns;
  NodeConfig config;              // enabled, tags (source tags then table tags), meta
  std::string path;               // the yml that declared it
  int line = 0;

  bool IsRawDataset() const;
};
inline constexpr const char* kRawDatabase = "raw";

struct DataTest {
  enum class Kind { kGeneric, kSingular };
  Kind kind = Kind::kGeneric;
  std::string unique_id;          // "test.<package>.<name>"
  std::string package;
  std::string name;               // dbt's generated name ("not_null_hr_edges_source_id") or the file stem
  std::vector<std::string> fqn;
  NodeConfig config;              // materialized "test"; severity, where, tags, enabled
  std::string description;

  // Generic tests: the macro test_<test_name> (in namespace test_namespace, e.g. "dbt_utils")
  // called with model=<attached node>, column_name and the keyword arguments as written (their
  // strings may hold Jinja to render).
  std::string test_name;          // "not_null", "accepted_values", "expression_is_true"
  std::string test_namespace;     // "" or "dbt_utils"
  std::string attached_to;        // unique id of the model, seed or source table under test
  std::optional<std::string> column_name;
  nlohmann::json arguments = nlohmann::json::object();
  std::string path;               // the yml (generic) or the .sql file (singular)
  int line = 0;                   // generic: where the test is written

  ProjectFile file;               // singular tests: the SQL selecting failing rows
};

// What properties files describe that dlctl keeps for the manifest without running it:
// exposures, metrics, semantic models, saved queries and groups.
struct DescribedResource {
  std::string kind;               // exposure, metric, semantic_model, saved_query, group
  std::string unique_id;          // "<kind>.<package>.<name>"
  std::string package;
  std::string name;
  std::string path;               // the yml, package-relative
  nlohmann::json properties;      // as written
};

// A project's own settings from its dbt_project.yml: the root project's, or a package's.
struct PackageInfo {
  std::string name;
  std::filesystem::path root;     // its folder (for the root project: as given)
  std::vector<std::string> model_paths{"models"}, seed_paths{"seeds"}, macro_paths{"macros"},
      test_paths{"tests"}, snapshot_paths{"snapshots"};
  nlohmann::json vars = nlohmann::json::object();  // as written: global keys and <package>: {...}
  std::vector<std::string> on_run_start, on_run_end;
};

// One entry of the root project's `dispatch:` list.
struct DispatchConfig {
  std::string macro_namespace;
  std::vector<std::string> search_order;
};

// A dependency as packages.yml (or dependencies.yml) names it.
struct PackageSpec {
  enum class Kind { kLocal, kHub, kGit, kTarball };
  Kind kind = Kind::kLocal;
  std::string location;           // local: the path (relative to the project); hub: "org/name"; git/tarball: the URL
  std::string version;            // hub: the version range; git: the revision
  std::string subdirectory;       // git
};

// What loading needs from its caller: dbt renders dbt_project.yml's configs with Jinja (target,
// env_var, var of --vars) before it reads them.
struct LoadOptions {
  // Renders one string value of dbt_project.yml as dbt's native rendering would (text without
  // Jinja comes back as it is). Unset: values are taken as written.
  std::function<nlohmann::json(const std::string& text, const std::string& where)> render;
};

struct Project {
  std::filesystem::path root;     // the project folder as given
  std::string name;
  std::vector<std::string> model_paths{"models"}, seed_paths{"seeds"}, macro_paths{"macros"},
      test_paths{"tests"}, snapshot_paths{"snapshots"};
  std::string target_path = "target";
  std::string packages_install_path = "dbt_packages";
  std::string profile;            // the profile name in profiles.yml
  nlohmann::json vars = nlohmann::json::object();  // the root project's vars as written
  std::vector<std::string> on_run_start, on_run_end;
  std::vector<DispatchConfig> dispatch;
  std::vector<PackageSpec> package_specs;  // packages.yml / dependencies.yml
  std::vector<PackageInfo> packages;       // the packages loaded (not the root project), by name

  std::vector<Model> models;      // ordered by path
  std::vector<Seed> seeds;
  std::vector<Snapshot> snapshots;
  std::vector<SourceTable> sources;
  std::vector<DataTest> tests;
  std::vector<DescribedResource> described;
  std::vector<UnitTest> unit_tests;
  // Files whose Jinja defines macros: macro paths, and <test path>/generic (custom generic
  // tests written as {% test name(model, column_name) %}), ordered by path.
  std::vector<ProjectFile> macro_files;
  std::vector<std::string> warnings;  // one line each: unused config paths, properties for missing models

  // The root project's node of that name (else any package's).
  const Model* FindModel(const std::string& name) const;
  const Seed* FindSeed(const std::string& name) const;
  const SourceTable* FindSource(const std::string& source_name, const std::string& table_name) const;
  const PackageInfo* FindPackage(const std::string& name) const;
  // The folder of the root project or of a package.
  std::filesystem::path PackageRoot(const std::string& package) const;
  // "transform/models/x.sql" for messages; a package's file under its folder.
  std::string DisplayPath(const std::string& relative) const;
  std::string DisplayPath(const std::string& package, const std::string& relative) const;
  // The vars a node of `package` sees (dbt's rule): the package's own dbt_project.yml vars
  // (global, then scoped to it), then the root project's (global, then scoped to the package),
  // then `cli_vars`, each on top of the one before.
  nlohmann::json VarsFor(const std::string& package, const nlohmann::json& cli_vars) const;
};

// Loads the project in `root` and its packages. Every problem is an Error naming the file (and
// line when known).
Project LoadProject(const std::filesystem::path& root, const LoadOptions& options = {});

// The dependencies listed in <root>/packages.yml or dependencies.yml (none when neither exists).
std::vector<PackageSpec> ReadPackageSpecs(const std::filesystem::path& root);

// The model's own {{ config(...) }} (keys as the call wrote them), applied on top of the
// project and properties configs: the highest precedence, as in dbt. `origin` is the model file.
void ApplyFileConfig(NodeConfig& config, const nlohmann::json& file_config, const std::string& origin);

}  // namespace dlctl::transform
