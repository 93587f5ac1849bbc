#pragma once
// `dlctl transform`, `dlctl seed` and `dlctl test`: load the project, parse it, select nodes,
// then run them on worker threads in dependency order. A model or seed is one lake commit; a
// test counts its failing rows. A node that fails skips everything downstream of it.
// Compiled SQL is written under <project>/target/compiled/, the results to
// <project>/target/run_results.json.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/settings.h"
#include "storage/object_store.h"
#include "transform/compile/compiler.h"
#include "transform/graph/selector.h"

namespace dlctl::transform {

enum class RunKind { kTransform, kSeed, kTest, kBuild, kSnapshot };

struct NodeResult {
  std::string unique_id;
  std::string name;
  std::string resource_type;   // model, seed, test
  std::string materialized;    // view, table, incremental, seed, test
  std::string relation;        // stage.dsn.hr_edges (models and seeds)
  std::string relation_name;   // "stage"."dsn"."hr_edges", as SQL sees it
  // model/seed: success, error, skipped; test: pass, fail, warn, error, skipped
  std::string status;
  std::optional<int64_t> rows;       // rows written (tables, incremental, seeds)
  std::optional<int64_t> failures;   // tests
  double seconds = 0;
  std::string message;               // the error, or why it was skipped
  std::string compiled_path;         // relative to the project folder
  std::string compiled_code;         // the SQL it ran
  std::string started_at, completed_at;  // UTC, ISO 8601
  std::string thread_id;             // "Thread-1", as dbt names its workers
  size_t index = 0;                  // 1-based, in the order nodes started (skipped ones: when skipped)
  size_t total = 0;
};

struct RunOptions {
  std::filesystem::path project_dir = "transform";
  RunKind kind = RunKind::kTransform;
  SelectionSpec selection;
  // Positional selectors: each a selector, or a raw dataset's name (as ingested: "My Data" is
  // my_data), which selects the models reading that dataset and everything downstream.
  std::vector<std::string> positional;
  int threads = 0;                                       // 0: the target's threads
  bool full_refresh = false;
  bool fail_fast = false;                                // skip what is left after the first failure
  nlohmann::json vars = nlohmann::json::object();       // --vars
  ProfileOptions profile;                                // --profiles-dir, --profile, --target
  // Lines templates log (log(..., info=True), print); default: stdout.
  std::function<void(const std::string&)> on_log;
  // Hears the SQL each node runs and the statements templates run (--debug); may be unset.
  std::function<void(const std::string&)> on_debug;
  // Hears each node as it starts (status "run") and as it finishes (from worker threads, one at a
  // time).
  std::function<void(const NodeResult&)> on_start;
  std::function<void(const NodeResult&)> on_node;
};

struct RunReport {
  std::vector<NodeResult> results;   // in the order they finished
  double seconds = 0;
  std::filesystem::path run_results_path;
  std::vector<std::string> warnings;  // the project's (unused config paths, ...)
  bool failed() const;                // a model/seed error, a test fail or error
};

// A positional argument as a selector: a raw dataset's name becomes source:<dataset>+, unless a
// model or seed has that name.
std::string PositionalSelector(const Project& project, const std::string& positional);

// Throws Error for problems before any node runs (project, parse, selection, cycles).
RunReport RunProject(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options);

// "  1 of 17 START table model stage.dsn.hr_edges ....... [RUN]"
std::string FormatStartLine(const NodeResult& result);
// "  1 of 17 OK table model stage.dsn.hr_edges ....... [12345 rows in 0.12s]"
std::string FormatNodeLine(const NodeResult& result);
// "Done. PASS=15 WARN=0 ERROR=1 SKIP=2 TOTAL=18 in 3.21s"
std::string FormatSummary(const RunReport& report);
// The run results as dbt 1.8+ writes run_results.json (schema run-results v6).
std::string RunResultsJson(const RunReport& report);

}  // namespace dlctl::transform
