#pragma once
// What every command on a dbt project shares: the target (profiles.yml), the project loaded and
// parsed, its DAG and the selected nodes, and per worker thread an engine with the lake
// catalogs attached, through which templates run SQL (run_query, statement, hooks) and look at
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
#include "transform/compile/compiler.h"
#include "transform/run/raw_datasets.h"
#include "transform/run/runner.h"

namespace dlctl::transform {

// One worker thread's engine, with every lake catalog attached: each of its transactions reads
// the catalogs' latest snapshot, so it sees what other workers committed.
struct Worker {
  std::unique_ptr<Engine> engine;
  std::string name;  // "Thread-1", as dbt names its threads
  // The relations of each schema looked at ("database.schema", lower case), as of generation.
  std::map<std::string, std::vector<Relation>> relations;
  uint64_t relations_generation = 0;
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
  // Tells templates the run's nodes (graph, selected_resources), before they run.
  void Publish(const std::set<std::string>& selected) { compiler_->Publish(dag_, selected); }
  const Dag& dag() const { return dag_; }
  const Target& target() const { return target_; }
  int threads() const { return target_.threads; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::filesystem::path& target_dir() const { return target_dir_; }
  const lake::WriteOptions& write_options() const { return write_options_; }
  const std::shared_ptr<ObjectStore>& store() const { return store_; }
  RawDatasets& raw() { return raw_; }

  // The calling thread's worker.
  Worker& ThisWorker();
  ExecutionHooks Hooks(Worker& worker);
  // Something was written to the lake: every worker lists relations again.
  void Changed() { generation_++; }
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
