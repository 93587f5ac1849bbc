#include "transform/run/runner.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "engine/engine.h"
#include "lake/lakehouse.h"
#include "lake/statement_router.h"
#include "transform/compile/compiler.h"
#include "transform/run/materialization.h"
#include "transform/run/raw_datasets.h"
#include "transform/graph/scheduler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/slug.h"

namespace dlctl::transform {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string PlainName(const Relation& relation) {
  return relation.database + "." + relation.schema + "." + relation.identifier;
}

// One worker thread's engine, with the lake catalogs bound as of the last commit it saw.
struct Worker {
  std::unique_ptr<lake::Lakehouse> lakehouse;  // its readers serve the engine's views: outlives it
  std::unique_ptr<Engine> engine;
  std::unique_ptr<lake::StatementRouter> router;  // SQL templates run (hooks, run_query, statement)
  std::map<std::string, lake::CatalogState> states;  // catalogs read since the last bind
  uint64_t bound_generation = UINT64_MAX;
};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Whether SQL a template runs may change the lake (then every worker binds it again).
bool MayWrite(const std::string& sql) {
  size_t start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string::npos) return false;
  std::string word = Lower(sql.substr(start, sql.find_first_of(" \t\r\n(", start) - start));
  for (const char* read : {"select", "with", "from", "describe", "show", "summarize", "explain", "values", "pragma"})
    if (word == read) return false;
  return true;
}

class Run {
 public:
  Run(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options)
      : settings_(settings),
        store_(std::move(store)),
        options_(options),
        raw_(*store_, settings.bucket, settings.ingest_prefix) {
    write_options_.store = store_;
  }

  RunReport Execute() {
    Clock::time_point start = Clock::now();
    Target target = ResolveTarget(options_.project_dir, options_.profile, settings_, options_.vars);
    threads_ = options_.threads > 0 ? options_.threads : target.threads;
    target.threads = threads_;
    LoadOptions load;
    load.render = [this, &target](const std::string& text, const std::string& where) {
      return RenderConfigValue(text, where, settings_, options_.vars, target);
    };
    Project project = LoadProject(options_.project_dir, load);
    report_.warnings = project.warnings;
    target_dir_ = project.root / project.target_path;
    SelectionSpec selection = options_.selection;
    for (const std::string& positional : options_.positional)
      selection.select.push_back(PositionalSelector(project, positional));
    CompileOptions compile;
    compile.full_refresh = options_.full_refresh;
    compile.target = target;
    compile.cli_vars = options_.vars;
    compile.which = options_.kind == RunKind::kTest ? "test" : options_.kind == RunKind::kSeed ? "seed" : "run";
    compile.log = options_.on_log;
    compiler_ = std::make_unique<Compiler>(std::move(project), settings_, raw_, compile);
    compiler_->Parse();
    dag_ = compiler_->BuildGraph();
    const Dag& dag = dag_;
    std::set<std::string> selected;
    for (const std::string& id : SelectNodes(dag, selection))
      if (Runs(dag.Node(id))) selected.insert(id);
    Scheduler scheduler(dag, selected);
    total_ = scheduler.size();
    if (options_.kind != RunKind::kTest) PrepareCatalogs(selected);
    RunProjectHooks(true);
    RunScheduled(
        scheduler, threads_, [this](const std::string& id) { return RunNode(id); },
        [this, &dag](const std::string& id) { Skip(dag, id); });
    RunProjectHooks(false);
    report_.seconds = SecondsSince(start);
    WriteRunResults();
    return std::move(report_);
  }

 private:
  // Whether this command runs the node.
  bool Runs(const GraphNode& node) const {
    switch (options_.kind) {
      case RunKind::kTest:
        return node.kind == NodeKind::kTest;
      case RunKind::kSeed:
        return node.kind == NodeKind::kSeed;
      case RunKind::kTransform:
        if (node.kind == NodeKind::kSeed) return true;
        if (node.kind != NodeKind::kModel) return false;
        return compiler_->FindModel(node.unique_id)->config.materialized != "ephemeral";
    }
    return false;
  }

  void PrepareCatalogs(const std::set<std::string>& selected) {
    std::map<std::string, std::set<std::string>> schemas;
    for (const std::string& id : selected) {
      const Relation& relation = compiler_->RelationOf(id);
      schemas[relation.database].insert(relation.schema);
    }
    if (schemas.empty()) return;
    Engine engine(store_, settings_);
    PrepareSchemas(schemas, settings_, engine, write_options_);
    generation_++;
  }

  Worker& ThisWorker() {
    std::lock_guard lock(mutex_);
    std::unique_ptr<Worker>& worker = workers_[std::this_thread::get_id()];
    if (!worker) {
      worker = std::make_unique<Worker>();
      worker->engine = std::make_unique<Engine>(store_, settings_);
    }
    return *worker;
  }

  // Binds the catalogs again when a commit happened since this worker last bound them.
  void Bind(Worker& worker) {
    uint64_t generation = generation_.load();
    if (worker.bound_generation == generation) return;
    worker.router.reset();
    worker.states.clear();
    auto lakehouse = std::make_unique<lake::Lakehouse>(settings_);
    lakehouse->Bind(*worker.engine);  // objects that cannot be bound fail when a model reads them
    worker.lakehouse = std::move(lakehouse);
    worker.router = std::make_unique<lake::StatementRouter>(*worker.engine, settings_, write_options_);
    worker.bound_generation = generation;
  }

  // The lake catalog's state when `database` is one (else nullptr).
  static const lake::CatalogState* LakeState(Worker& worker, const std::string& database) {
    for (const std::string& name : worker.lakehouse->names()) {
      if (Lower(name) != Lower(database)) continue;
      auto found = worker.states.find(name);
      if (found == worker.states.end())
        found = worker.states.emplace(name, worker.lakehouse->reader(name).Load({}, false)).first;
      return &found->second;
    }
    return nullptr;
  }

  ExecutionHooks Hooks(Worker& worker) {
    ExecutionHooks hooks;
    hooks.run_sql = [this, &worker](const std::string& sql) {
      Debug("statement:\n" + sql);
      bool writes = MayWrite(sql);
      QueryResult result = worker.router->Run(sql);
      if (writes) {
        generation_++;
        Bind(worker);
      }
      return result;
    };
    hooks.find_relation = [&worker](const Relation& relation) -> std::optional<Relation> {
      const lake::CatalogState* state = LakeState(worker, relation.database);
      if (!state) return std::nullopt;
      for (const auto& schema : state->schemas) {
        if (Lower(schema.name) != Lower(relation.schema)) continue;
        for (const auto& table : schema.tables)
          if (Lower(table.name) == Lower(relation.identifier))
            return Relation{relation.database, schema.name, table.name, "table"};
        for (const auto& view : schema.views)
          if (Lower(view.name) == Lower(relation.identifier))
            return Relation{relation.database, schema.name, view.name, "view"};
      }
      return std::nullopt;
    };
    hooks.columns = [&worker](const Relation& relation) {
      QueryResult result = worker.engine->Query(
          "select column_name, data_type from information_schema.columns where lower(table_catalog) = lower(" +
          QuoteLiteral(relation.database) + ") and lower(table_schema) = lower(" + QuoteLiteral(relation.schema) +
          ") and lower(table_name) = lower(" + QuoteLiteral(relation.identifier) + ") order by ordinal_position");
      std::vector<ColumnInfo> columns;
      for (const auto& row : result.rows) columns.push_back({row.at(0).value_or(""), row.at(1).value_or("")});
      return columns;
    };
    hooks.list_relations = [&worker](const std::string& database, const std::string& schema_name) {
      std::vector<Relation> relations;
      const lake::CatalogState* state = LakeState(worker, database);
      if (!state) return relations;
      for (const auto& schema : state->schemas) {
        if (Lower(schema.name) != Lower(schema_name)) continue;
        for (const auto& table : schema.tables) relations.push_back({database, schema.name, table.name, "table"});
        for (const auto& view : schema.views) relations.push_back({database, schema.name, view.name, "view"});
      }
      return relations;
    };
    return hooks;
  }

  std::string WriteCompiled(const std::string& relative_file, const std::string& sql) {
    fs::path relative = fs::path("compiled") / compiler_->project().name / relative_file;
    fs::path path = target_dir_ / relative;
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << sql << "\n";
    if (!out) throw Error("cannot write " + path.string());
    return (fs::path(compiler_->project().target_path) / relative).generic_string();
  }

  bool RunNode(const std::string& id) {
    Clock::time_point start = Clock::now();
    NodeResult result;
    result.unique_id = id;
    if (options_.fail_fast && failed_.load()) {
      Skip(dag_, id, "skipped: --fail-fast stopped the run after a failure");
      return true;
    }
    Worker& worker = ThisWorker();
    try {
      Bind(worker);
      if (const Model* model = compiler_->FindModel(id)) {
        RunModel(worker, *model, result);
      } else if (const Seed* seed = compiler_->FindSeed(id)) {
        RunSeed(worker, *seed, result);
      } else if (const DataTest* test = compiler_->FindTest(id)) {
        RunTest(worker, *test, result);
      }
    } catch (const std::exception& e) {
      result.status = "error";
      result.message = e.what();
    }
    result.seconds = SecondsSince(start);
    bool ok = result.status != "error" && result.status != "fail";
    if (!ok) failed_ = true;
    Record(std::move(result));
    return ok;
  }

  void RunModel(Worker& worker, const Model& model, NodeResult& result) {
    result.name = model.name;
    result.resource_type = "model";
    result.materialized = model.config.materialized;
    const Relation& relation = compiler_->RelationOf(model.unique_id);
    result.relation = PlainName(relation);
    ExecutionHooks hooks = Hooks(worker);
    ModelWrite write;
    write.relation = relation;
    write.materialized = model.config.materialized;
    write.sql = compiler_->CompileModel(model, hooks);
    Debug(model.unique_id + ":\n" + write.sql);
    result.compiled_path = WriteCompiled(model.file.path, write.sql);
    write.full_refresh = options_.full_refresh;
    write.unique_key = UniqueKeyColumns(model.config.values);
    if (model.config.values.contains("incremental_strategy") && model.config.values["incremental_strategy"].is_string())
      write.incremental_strategy = model.config.values["incremental_strategy"].get<std::string>();
    RunNodeHooks(worker, model.config, "pre_hook", model.unique_id);
    Commit(worker, write, result);
    RunNodeHooks(worker, model.config, "post_hook", model.unique_id);
  }

  // A node's pre_hook or post_hook list: SQL (strings, or {sql: ...}) rendered with the node's
  // context, each run after (or before) its commit.
  void RunNodeHooks(Worker& worker, const NodeConfig& config, const char* key, const std::string& id) {
    auto found = config.values.find(key);
    if (found == config.values.end() || found->is_null()) return;
    nlohmann::json list = found->is_array() ? *found : nlohmann::json::array({*found});
    for (const auto& hook : list) {
      std::string text = hook.is_object() ? hook.value("sql", "") : hook.is_string() ? hook.get<std::string>() : "";
      RunHook(worker, text, id);
    }
  }

  void RunHook(Worker& worker, const std::string& text, const std::string& id) {
    Bind(worker);
    ExecutionHooks hooks = Hooks(worker);
    std::string sql = compiler_->RenderHook(text, id, hooks);
    if (sql.find_first_not_of(" \t\r\n;") != std::string::npos) hooks.run_sql(sql);
  }

  // on-run-start / on-run-end of the root project and its packages.
  void RunProjectHooks(bool start) {
    Worker& worker = ThisWorker();
    const Project& project = compiler_->project();
    std::vector<std::string> hooks = start ? project.on_run_start : project.on_run_end;
    for (const PackageInfo& package : project.packages) {
      const auto& more = start ? package.on_run_start : package.on_run_end;
      hooks.insert(hooks.end(), more.begin(), more.end());
    }
    for (const std::string& hook : hooks) RunHook(worker, hook, "");
  }

  void RunSeed(Worker& worker, const Seed& seed, NodeResult& result) {
    result.name = seed.name;
    result.resource_type = "seed";
    result.materialized = "seed";
    const Relation& relation = compiler_->RelationOf(seed.unique_id);
    result.relation = PlainName(relation);
    ModelWrite write;
    write.relation = relation;
    write.materialized = "seed";
    write.sql = SeedSql(fs::absolute(compiler_->project().PackageRoot(seed.package) / seed.path).string(),
                        seed.config.values);
    result.compiled_path = WriteCompiled(seed.path + ".sql", write.sql);
    RunNodeHooks(worker, seed.config, "pre_hook", seed.unique_id);
    Commit(worker, write, result);
    RunNodeHooks(worker, seed.config, "post_hook", seed.unique_id);
  }

  void Commit(Worker& worker, const ModelWrite& write, NodeResult& result) {
    int64_t rows = Materialize(write, settings_, *worker.engine, write_options_);
    if (rows >= 0) result.rows = rows;
    generation_++;  // every worker binds the catalogs again before its next node
    result.status = "success";
  }

  void RunTest(Worker& worker, const DataTest& test, NodeResult& result) {
    result.name = test.name;
    result.resource_type = "test";
    result.materialized = "test";
    ExecutionHooks hooks = Hooks(worker);
    std::string sql = compiler_->CompileTest(test, hooks);
    Debug(test.unique_id + ":\n" + sql);
    std::string file = test.kind == DataTest::Kind::kSingular ? test.file.path : test.path + "/" + test.name + ".sql";
    result.compiled_path = WriteCompiled(file, sql);
    QueryResult outcome = worker.engine->Query(TestResultSql(sql, test.config));
    const auto& row = outcome.rows.at(0);
    int64_t failures = static_cast<int64_t>(std::stod(row.at(0).value_or("0")));
    bool should_warn = row.at(1).value_or("false") == "true", should_error = row.at(2).value_or("false") == "true";
    result.failures = failures;
    if (test.config.severity == "error" && should_error)
      result.status = "fail";
    else if (should_warn || (test.config.severity == "warn" && should_error))
      result.status = "warn";
    else
      result.status = "pass";
    if (result.status != "pass") {
      std::string condition = test.config.values.value(result.status == "fail" ? "error_if" : "warn_if", "!= 0");
      result.message = fmt::format("got {} result{}, configured to {} if {}", failures, failures == 1 ? "" : "s",
                                   result.status == "warn" ? "warn" : "fail", condition);
    }
  }

  void Skip(const Dag& dag, const std::string& id, const std::string& why = "skipped: an upstream node failed") {
    NodeResult result;
    result.unique_id = id;
    const GraphNode& node = dag.Node(id);
    result.name = node.name;
    result.resource_type = NodeKindName(node.kind);
    result.status = "skipped";
    result.message = why;
    if (node.kind != NodeKind::kTest) {
      result.relation = PlainName(compiler_->RelationOf(id));
      if (const Model* model = compiler_->FindModel(id)) result.materialized = model->config.materialized;
    } else {
      result.materialized = "test";
    }
    Record(std::move(result));
  }

  void Debug(const std::string& text) {
    if (!options_.on_debug) return;
    std::lock_guard lock(mutex_);
    options_.on_debug(text);
  }

  void Record(NodeResult result) {
    std::lock_guard lock(mutex_);
    result.index = report_.results.size() + 1;
    result.total = total_;
    if (options_.on_node) options_.on_node(result);
    report_.results.push_back(std::move(result));
  }

  void WriteRunResults() {
    fs::path path = target_dir_ / "run_results.json";
    std::error_code ec;
    fs::create_directories(target_dir_, ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << RunResultsJson(report_) << "\n";
    if (!out) throw Error("cannot write " + path.string());
    report_.run_results_path = path;
  }

  const Settings& settings_;
  std::shared_ptr<ObjectStore> store_;
  const RunOptions& options_;
  RawDatasets raw_;
  lake::WriteOptions write_options_;
  std::unique_ptr<Compiler> compiler_;
  fs::path target_dir_;
  size_t total_ = 0;
  int threads_ = 1;
  Dag dag_;
  std::atomic<bool> failed_{false};
  std::atomic<uint64_t> generation_{0};
  std::mutex mutex_;
  std::map<std::thread::id, std::unique_ptr<Worker>> workers_;
  RunReport report_;
};

}  // namespace

std::string PositionalSelector(const Project& project, const std::string& positional) {
  std::string dataset = SnakeCase(positional);
  bool names_node = project.FindModel(positional) || project.FindSeed(positional);
  if (!names_node)
    for (const SourceTable& source : project.sources)
      if (source.IsRawDataset() && source.source_name == dataset) return "source:" + dataset + "+";
  return positional;
}

bool RunReport::failed() const {
  for (const NodeResult& result : results)
    if (result.status == "error" || result.status == "fail") return true;
  return false;
}

RunReport RunProject(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options) {
  Run run(settings, std::move(store), options);
  return run.Execute();
}

std::string FormatNodeLine(const NodeResult& result) {
  std::string status;
  if (result.status == "success") status = "OK";
  else if (result.status == "skipped") status = "SKIP";
  else if (result.status == "pass") status = "PASS";
  else if (result.status == "warn") status = "WARN";
  else if (result.status == "fail") status = "FAIL";
  else status = "ERROR";
  std::string what = result.resource_type == "test" ? "test " + result.name
                                                     : result.materialized + " " + result.resource_type + " " + result.relation;
  std::string detail;
  if (result.status == "skipped") detail = "SKIP";
  else if (result.status == "error") detail = fmt::format("ERROR in {:.2f}s", result.seconds);
  else if (result.failures && *result.failures > 0) detail = fmt::format("{} {} in {:.2f}s", status, *result.failures, result.seconds);
  else if (result.rows) detail = fmt::format("{} rows in {:.2f}s", *result.rows, result.seconds);
  else detail = fmt::format("{} in {:.2f}s", status, result.seconds);
  std::string head = fmt::format("{:>3} of {} {:<5} {} ", result.index, result.total, status, what);
  if (head.size() < 72) head += std::string(72 - head.size(), '.');
  return head + " [" + detail + "]";
}

std::string FormatSummary(const RunReport& report) {
  size_t pass = 0, warn = 0, error = 0, skip = 0;
  for (const NodeResult& result : report.results) {
    if (result.status == "success" || result.status == "pass") ++pass;
    else if (result.status == "warn") ++warn;
    else if (result.status == "skipped") ++skip;
    else ++error;
  }
  return fmt::format("Done. PASS={} WARN={} ERROR={} SKIP={} TOTAL={} in {:.2f}s", pass, warn, error, skip,
                     report.results.size(), report.seconds);
}

std::string RunResultsJson(const RunReport& report) {
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const NodeResult& result : report.results) {
    nlohmann::ordered_json entry;
    entry["unique_id"] = result.unique_id;
    entry["name"] = result.name;
    entry["resource_type"] = result.resource_type;
    entry["status"] = result.status;
    entry["execution_time"] = result.seconds;
    if (!result.materialized.empty()) entry["materialized"] = result.materialized;
    if (!result.relation.empty()) entry["relation_name"] = result.relation;
    entry["rows_affected"] = result.rows ? nlohmann::ordered_json(*result.rows) : nlohmann::ordered_json(nullptr);
    if (result.failures) entry["failures"] = *result.failures;
    entry["message"] = result.message.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(result.message);
    entry["compiled_path"] = result.compiled_path.empty() ? nlohmann::ordered_json(nullptr)
                                                          : nlohmann::ordered_json(result.compiled_path);
    results.push_back(std::move(entry));
  }
  nlohmann::ordered_json root;
  root["metadata"] = {{"generator", "dlctl"}};
  root["elapsed_time"] = report.seconds;
  root["success"] = !report.failed();
  root["results"] = std::move(results);
  return root.dump(2);
}

}  // namespace dlctl::transform
