#pragma once
// What every command on a dbt project shares: the target (profiles.yml), the project loaded and
// parsed, its DAG and the selected nodes, and per worker thread an engine with the lake
// catalogs bound, through which templates run SQL (run_query, statement, hooks) and look at
// relations (adapter.get_relation, get_columns_in_relation).
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "lake/lakehouse.h"
#include "lake/statement_router.h"
#include "transform/compile/compiler.h"
#include "transform/run/raw_datasets.h"
#include "transform/run/runner.h"

namespace dlctl::transform {

// One worker thread's engine, with the lake catalogs bound as of the last commit it saw.
struct Worker {
  std::unique_ptr<lake::Lakehouse> lakehouse;  // its readers serve the engine's views: outlives it
  std::unique_ptr<Engine> engine;
  std::unique_ptr<lake::StatementRouter> router;  // SQL templates run (hooks, run_query, statement)
  std::map<std::string, lake::CatalogState> states;  // catalogs read since the last bind
  uint64_t bound_generation = UINT64_MAX;
  std::string name;  // "Thread-1", as dbt names its threads
};

class Session {
 public:
  Session(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options);

  // Resolves the target, loads and parses the project, builds the DAG. `which` is flags.WHICH.
  void Open(const std::string& which);
  // The nodes --select/--exclude and the positional selectors pick.
  std::set<std::string> Select() const;

  const Settings& settings() const { return settings_; }
  const RunOptions& options() const { return options_; }
  const Compiler& compiler() const { return *compiler_; }
  const Dag& dag() const { return dag_; }
  const Target& target() const { return target_; }
  int threads() const { return target_.threads; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::filesystem::path& target_dir() const { return target_dir_; }
  const lake::WriteOptions& write_options() const { return write_options_; }
  const std::shared_ptr<ObjectStore>& store() const { return store_; }

  // The calling thread's worker, its catalogs bound as of the last commit.
  Worker& ThisWorker();
  void Bind(Worker& worker);
  // A commit happened: every worker binds the catalogs again before it next reads them.
  void Committed() { generation_++; }
  ExecutionHooks Hooks(Worker& worker);
  // Renders a hook with node `id`'s context (none: the project's) and runs it.
  void RunHook(Worker& worker, const std::string& text, const std::string& id);
  // Writes target/compiled/<project>/<file>; returns that path relative to the project.
  std::string WriteCompiled(const std::string& relative_file, const std::string& sql);
  void Debug(const std::string& text);

 private:
  const Settings& settings_;
  std::shared_ptr<ObjectStore> store_;
  const RunOptions& options_;
  RawDatasets raw_;
  lake::WriteOptions write_options_;
  Target target_;
  std::unique_ptr<Compiler> compiler_;
  Dag dag_;
  SelectionSpec selection_;
  std::vector<std::string> warnings_;
  std::filesystem::path target_dir_;
  std::atomic<uint64_t> generation_{0};
  std::mutex mutex_;
  std::map<std::thread::id, std::unique_ptr<Worker>> workers_;
};

}  // namespace dlctl::transform
