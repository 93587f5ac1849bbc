#pragma once
// The commands that look at a project without running its nodes: dlctl ls, compile, show and
// run-operation. They open the project as a run does (target, packages, parse, selection).
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "storage/object_store.h"
#include "transform/run/runner.h"

namespace dlctl::transform {

struct ListOptions {
  std::vector<std::string> resource_types;  // model, seed, test, source, ...; empty: all
  std::string output = "selector";          // selector, name, path or json
};

// dlctl ls: one line per selected node, as dbt ls prints it. UsageError for an unknown output
// or resource type.
std::vector<std::string> ListNodes(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                   const RunOptions& options, const ListOptions& list);

struct CompiledNode {
  std::string unique_id;
  std::string path;  // under target/compiled, relative to the project
  std::string sql;
};

// dlctl compile: the selected models and tests (or `inline_sql`) rendered with the lake as it
// is (run_query and is_incremental see it), written under target/compiled/.
std::vector<CompiledNode> CompileNodes(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                       const RunOptions& options, const std::string& inline_sql);

// dlctl show: the first `limit` rows of one selected model (or of `inline_sql`), compiled and
// run on the lake without writing anything.
QueryResult ShowRows(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options,
                     const std::string& inline_sql, int64_t limit);

// dlctl run-operation: calls a macro ("name" or "package.name") with `args`; returns what it
// returned (or rendered).
std::string RunOperation(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options,
                         const std::string& macro, const nlohmann::json& args);

}  // namespace dlctl::transform
