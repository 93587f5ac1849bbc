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
#include "transform/compile/compiler.h"
#include "transform/compile/fixtures.h"
#include "transform/run/session.h"
#include "transform/run/snapshot.h"
#include "transform/run/materialization.h"
#include "transform/run/model_error.h"
#include "transform/run/raw_datasets.h"
#include "transform/graph/scheduler.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/slug.h"
#include "util/sql_quote.h"

namespace dlctl::transform {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::string PlainName(const Relation& relation) {
  return relation.database + "." + relation.schema + "." + relation.identifier;
}

class Run {
 public:
  Run(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options)
      : options_(options), session_(settings, std::move(store), options) {}

  RunReport Execute() {
    Clock::time_point start = Clock::now();
    session_.Open(Which());
    report_.warnings = session_.warnings();
    const Dag& dag = session_.dag();
    std::set<std::string> selected;
    for (const std::string& id : session_.Select())
      if (Runs(dag.Node(id))) selected.insert(id);
    session_.Publish(selected);
    Dag graph = options_.kind == RunKind::kBuild ? BuildGraph(selected) : dag;
    Scheduler scheduler(graph, selected);
    total_ = scheduler.size();
    PrepareCatalogs(selected);
    RunProjectHooks(true);
    RunScheduled(
        scheduler, session_.threads(), [this](const std::string& id) { return RunNode(id); },
        [this](const std::string& id) { Skip(id); });
    RunProjectHooks(false);
    report_.seconds = SecondsSince(start);
    WriteRunResults();
    return std::move(report_);
  }

 private:
  const char* Which() const {
    switch (options_.kind) {
      case RunKind::kTest: return "test";
      case RunKind::kSeed: return "seed";
      case RunKind::kBuild: return "build";
      case RunKind::kSnapshot: return "snapshot";
      default: return "run";
    }
  }

  const Compiler& compiler() const { return session_.compiler(); }

  // Whether this command runs the node.
  bool Runs(const GraphNode& node) const {
    bool model = node.kind == NodeKind::kModel &&
                 compiler().FindModel(node.unique_id)->config.materialized != "ephemeral";
    switch (options_.kind) {
      case RunKind::kTest:
        return node.kind == NodeKind::kTest || node.kind == NodeKind::kUnitTest;
      case RunKind::kSeed:
        return node.kind == NodeKind::kSeed;
      case RunKind::kTransform:
        return node.kind == NodeKind::kSeed || model;
      case RunKind::kBuild:
        return node.kind == NodeKind::kSeed || node.kind == NodeKind::kTest || node.kind == NodeKind::kUnitTest ||
               node.kind == NodeKind::kSnapshot || model;
      case RunKind::kSnapshot:
        return node.kind == NodeKind::kSnapshot;
    }
    return false;
  }

  // dbt build's graph: what reads a node also waits for the node's tests, so a failing test
  // skips everything downstream of what it tests; a model waits for its unit tests.
  Dag BuildGraph(const std::set<std::string>& selected) const {
    Dag graph = session_.dag();
    for (const std::string& id : selected) {
      const GraphNode& node = graph.Node(id);
      if (node.kind == NodeKind::kUnitTest && graph.Contains(node.attached_to)) graph.AddEdge(id, node.attached_to);
      if (node.kind != NodeKind::kTest) continue;
      for (const std::string& tested : graph.Parents(id))
        for (const std::string& child : session_.dag().Children(tested))
          if (child != id && graph.Node(child).kind != NodeKind::kTest) graph.AddEdge(id, child);
    }
    return graph;
  }

  void PrepareCatalogs(const std::set<std::string>& selected) {
    std::map<std::string, std::set<std::string>> schemas;
    for (const std::string& id : selected) {
      NodeKind kind = session_.dag().Node(id).kind;
      if (kind == NodeKind::kTest || kind == NodeKind::kUnitTest) continue;
      const Relation& relation = compiler().RelationOf(id);
      schemas[relation.database].insert(relation.schema);
    }
    if (schemas.empty()) return;
    Engine engine(session_.store(), session_.settings());
    lake::Lakehouse(session_.settings()).Attach(engine, {}, {}, session_.write_options());
    PrepareSchemas(schemas, engine);
  }

  bool RunNode(const std::string& id) {
    Clock::time_point start = Clock::now();
    NodeResult result;
    result.unique_id = id;
    result.started_at = IsoTimestamp(std::chrono::system_clock::now());
    if (options_.fail_fast && failed_.load()) {
      Skip(id, "skipped: --fail-fast stopped the run after a failure");
      return true;
    }
    Start(result);
    Worker& worker = session_.ThisWorker();
    try {
      if (const Model* model = compiler().FindModel(id)) {
        RunModel(worker, *model, result);
      } else if (const Seed* seed = compiler().FindSeed(id)) {
        RunSeed(worker, *seed, result);
      } else if (const DataTest* test = compiler().FindTest(id)) {
        RunTest(worker, *test, result);
      } else if (const UnitTest* unit = compiler().FindUnitTest(id)) {
        RunUnitTest(worker, *unit, result);
      } else if (const Snapshot* snapshot = compiler().FindSnapshot(id)) {
        RunSnapshot(worker, *snapshot, result);
      }
    } catch (const std::exception& e) {
      result.status = "error";
      result.message = e.what();
    }
    result.seconds = SecondsSince(start);
    result.completed_at = IsoTimestamp(std::chrono::system_clock::now());
    result.thread_id = worker.name;
    bool ok = result.status != "error" && result.status != "fail";
    if (!ok) failed_ = true;
    Record(std::move(result));
    return ok;
  }

  void RunModel(Worker& worker, const Model& model, NodeResult& result) {
    result.name = model.name;
    result.resource_type = "model";
    result.materialized = model.config.materialized;
    const Relation& relation = compiler().RelationOf(model.unique_id);
    result.relation = PlainName(relation);
    result.relation_name = relation.Render();
    ExecutionHooks hooks = session_.Hooks(worker);
    ModelWrite write;
    write.relation = relation;
    write.materialized = model.config.materialized;
    write.sql = compiler().CompileModel(model, hooks);
    result.compiled_code = write.sql;
    session_.Debug(model.unique_id + ":\n" + write.sql);
    result.compiled_path = session_.WriteCompiled(model.file.path, write.sql);
    write.full_refresh = options_.full_refresh;
    ApplyIncrementalConfig(write, model.config.values);
    RunNodeHooks(worker, model.config, "pre_hook", model.unique_id);
    try {
      Commit(worker, write, result);
    } catch (const Error& e) {
      throw Error(ModelErrorMessage(model.name, compiler().project().DisplayPath(model.package, model.file.path), write.sql,
                                    e.what()),
                  e.exit_code());
    }
    PersistDocs(worker, model, relation);
    RunNodeHooks(worker, model.config, "post_hook", model.unique_id);
  }

  // +persist_docs: {relation: true, columns: true}: the descriptions as the lake's comments.
  void PersistDocs(Worker& worker, const Model& model, const Relation& relation) {
    auto found = model.config.values.find("persist_docs");
    if (found == model.config.values.end() || !found->is_object()) return;
    std::string kind = model.config.materialized == "view" ? "VIEW" : "TABLE";
    if (found->value("relation", false) && !model.description.empty())
      worker.engine->Query("COMMENT ON " + kind + " " + relation.Render() + " IS " + SqlLiteral(model.description));
    if (found->value("columns", false) && kind == "TABLE")
      for (const Column& column : model.columns)
        if (!column.description.empty())
          worker.engine->Query("COMMENT ON COLUMN " + relation.Render() + "." + SqlIdentifier(column.name) + " IS " +
                               SqlLiteral(column.description));
  }

  // store_failures: the failing rows kept in <target schema>_dbt_test__audit.<test name>.
  void StoreFailures(Worker& worker, const DataTest& test, const std::string& sql) {
    const nlohmann::json& values = test.config.values;
    bool store = values.value("store_failures", false) || values.contains("store_failures_as");
    if (!store) return;
    std::string as = values.value("store_failures_as", "table");
    const Target& target = compiler().options().target;
    std::string schema = target.schema + "_" + (test.config.schema ? *test.config.schema : "dbt_test__audit");
    Relation relation{compiler().target_database(), schema, test.config.alias.value_or(test.name)};
    std::string kind = as == "view" ? "VIEW" : "TABLE";
    worker.engine->Query("BEGIN");
    try {
      worker.engine->Query("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifier(relation.database) + "." +
                           SqlIdentifier(relation.schema));
      worker.engine->Query("CREATE OR REPLACE " + kind + " " + relation.Render() + " AS " + sql);
      worker.engine->Query("COMMIT");
      session_.Changed();
    } catch (...) {
      worker.engine->Query("ROLLBACK");
      throw;
    }
  }

  // A node's pre_hook or post_hook list: SQL (strings, or {sql: ...}) rendered with the node's
  // context, each run before (or after) its commit.
  void RunNodeHooks(Worker& worker, const NodeConfig& config, const char* key, const std::string& id) {
    auto found = config.values.find(key);
    if (found == config.values.end() || found->is_null()) return;
    nlohmann::json list = found->is_array() ? *found : nlohmann::json::array({*found});
    for (const auto& hook : list) {
      std::string text = hook.is_object() ? hook.value("sql", "") : hook.is_string() ? hook.get<std::string>() : "";
      session_.RunHook(worker, text, id);
    }
  }

  // on-run-start / on-run-end of the root project and its packages.
  void RunProjectHooks(bool start) {
    Worker& worker = session_.ThisWorker();
    const Project& project = compiler().project();
    std::vector<std::string> hooks = start ? project.on_run_start : project.on_run_end;
    for (const PackageInfo& package : project.packages) {
      const auto& more = start ? package.on_run_start : package.on_run_end;
      hooks.insert(hooks.end(), more.begin(), more.end());
    }
    for (const std::string& hook : hooks) session_.RunHook(worker, hook, "");
  }

  void RunSeed(Worker& worker, const Seed& seed, NodeResult& result) {
    result.name = seed.name;
    result.resource_type = "seed";
    result.materialized = "seed";
    const Relation& relation = compiler().RelationOf(seed.unique_id);
    result.relation = PlainName(relation);
    result.relation_name = relation.Render();
    ModelWrite write;
    write.relation = relation;
    write.materialized = "seed";
    write.sql = SeedSql(fs::absolute(compiler().project().PackageRoot(seed.package) / seed.path).string(),
                        seed.config.values);
    result.compiled_path = session_.WriteCompiled(seed.path + ".sql", write.sql);
    RunNodeHooks(worker, seed.config, "pre_hook", seed.unique_id);
    Commit(worker, write, result);
    RunNodeHooks(worker, seed.config, "post_hook", seed.unique_id);
  }

  void RunSnapshot(Worker& worker, const Snapshot& snapshot, NodeResult& result) {
    result.name = snapshot.name;
    result.resource_type = "snapshot";
    result.materialized = "snapshot";
    const Relation& relation = compiler().RelationOf(snapshot.unique_id);
    result.relation = PlainName(relation);
    result.relation_name = relation.Render();
    ExecutionHooks hooks = session_.Hooks(worker);
    std::string sql = compiler().CompileSnapshot(snapshot, hooks);
    result.compiled_code = sql;
    session_.Debug(snapshot.unique_id + ":\n" + sql);
    result.compiled_path = session_.WriteCompiled(snapshot.file.path, sql);
    SnapshotWrite write = SnapshotSettings(relation, sql, snapshot.config.values);
    RunNodeHooks(worker, snapshot.config, "pre_hook", snapshot.unique_id);
    result.rows = WriteSnapshot(write, *worker.engine);
    session_.Changed();
    result.status = "success";
    RunNodeHooks(worker, snapshot.config, "post_hook", snapshot.unique_id);
  }

  void Commit(Worker& worker, const ModelWrite& write, NodeResult& result) {
    int64_t rows = Materialize(write, *worker.engine);
    session_.Changed();
    if (rows >= 0) result.rows = rows;
    result.status = "success";
  }

  void RunTest(Worker& worker, const DataTest& test, NodeResult& result) {
    result.name = test.name;
    result.resource_type = "test";
    result.materialized = "test";
    ExecutionHooks hooks = session_.Hooks(worker);
    std::string sql = compiler().CompileTest(test, hooks);
    result.compiled_code = sql;
    session_.Debug(test.unique_id + ":\n" + sql);
    std::string file = test.kind == DataTest::Kind::kSingular ? test.file.path : test.path + "/" + test.name + ".sql";
    result.compiled_path = session_.WriteCompiled(file, sql);
    StoreFailures(worker, test, sql);
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

  // dbt's unit test: the model's SQL on its fixtures against the expected rows, compared on
  // the expected columns (typed as the model's); every row on one side only is a failure.
  void RunUnitTest(Worker& worker, const UnitTest& test, NodeResult& result) {
    result.name = test.name;
    result.resource_type = "unit_test";
    result.materialized = "unit_test";
    ExecutionHooks hooks = session_.Hooks(worker);
    std::string actual = compiler().CompileUnitTest(test, hooks);
    std::string where = test.path + ": unit test " + test.name;
    QueryResult shape = worker.engine->Query("describe select * from (\n" + actual + "\n) as dbt_actual");
    std::vector<ColumnInfo> columns;
    for (const auto& row : shape.rows) columns.push_back({row.at(0).value_or(""), row.at(1).value_or("")});
    std::vector<ColumnInfo> expected_columns;
    std::set<std::string> named;
    nlohmann::json rows = test.expect.format == "csv" ? CsvRows(test.expect.rows.get<std::string>(), where)
                                                      : test.expect.rows;
    if (test.expect.format != "sql")
      for (const auto& row : rows)
        for (const auto& [name, value] : row.items()) named.insert(name);
    for (const ColumnInfo& column : columns)
      if (test.expect.format == "sql" || named.count(column.name)) expected_columns.push_back(column);
    for (const std::string& name : named)
      if (std::none_of(columns.begin(), columns.end(), [&](const ColumnInfo& c) { return c.name == name; }))
        throw Error(where + ": expected column '" + name + "' is not a column of the model");
    FixtureRows expect = test.expect;
    if (expect.format == "csv") {
      expect.format = "dict";
      expect.rows = rows;
    }
    std::string expected = FixtureSql(expect, expected_columns, where);
    std::string list;
    for (const ColumnInfo& column : expected_columns) list += (list.empty() ? "" : ", ") + SqlIdentifier(column.name);
    std::string sql = "with dbt_actual as (select " + list + " from (\n" + actual + "\n) as dbt_model),\n" +
                      "dbt_expected as (select " + list + " from (\n" + expected + "\n) as dbt_fixture)\n" +
                      "(select 'actual' as dbt_side, * from (select * from dbt_actual except all select * from dbt_expected))\n" +
                      "union all\n(select 'expected' as dbt_side, * from (select * from dbt_expected except all select * from dbt_actual))";
    result.compiled_code = sql;
    result.compiled_path = session_.WriteCompiled(test.path + "/" + test.model + "/" + test.name + ".sql", sql);
    session_.Debug(test.unique_id + ":\n" + sql);
    QueryResult differences = worker.engine->Query(sql);
    result.failures = static_cast<int64_t>(differences.rows.size());
    result.status = differences.rows.empty() ? "pass" : "fail";
    if (!differences.rows.empty()) {
      std::string shown;
      for (size_t i = 0; i < differences.rows.size() && i < 5; ++i) {
        std::string line;
        for (size_t c = 0; c < differences.rows[i].size(); ++c)
          line += (c ? (c == 1 ? ": " : ", ") : "") + differences.rows[i][c].value_or("null");
        shown += "; " + line;
      }
      result.message = fmt::format("{} row{} differ (actual: rows the model gave, expected: rows it should have){}",
                                   differences.rows.size(), differences.rows.size() == 1 ? "" : "s", shown);
    }
  }

  // What a node is, before it runs: name, kind, materialization, relation.
  void Describe(NodeResult& result) {
    const GraphNode& node = session_.dag().Node(result.unique_id);
    result.name = node.name;
    result.resource_type = NodeKindName(node.kind);
    if (node.kind == NodeKind::kUnitTest) {
      result.materialized = "unit_test";
    } else if (node.kind != NodeKind::kTest) {
      result.relation = PlainName(compiler().RelationOf(result.unique_id));
      if (const Model* model = compiler().FindModel(result.unique_id)) result.materialized = model->config.materialized;
      if (node.kind == NodeKind::kSeed) result.materialized = "seed";
    } else {
      result.materialized = "test";
    }
  }

  // Numbers the node as dbt does, in the order nodes start, and tells on_start.
  void Start(NodeResult& result) {
    std::lock_guard lock(mutex_);
    result.index = ++started_;
    result.total = total_;
    if (!options_.on_start) return;
    NodeResult starting = result;
    Describe(starting);
    starting.status = "run";
    options_.on_start(starting);
  }

  void Skip(const std::string& id, const std::string& why = "skipped: an upstream node failed") {
    NodeResult result;
    result.unique_id = id;
    Describe(result);
    result.status = "skipped";
    result.message = why;
    Record(std::move(result));
  }

  void Record(NodeResult result) {
    std::lock_guard lock(mutex_);
    if (result.index == 0) result.index = ++started_;
    result.total = total_;
    if (options_.on_node) options_.on_node(result);
    report_.results.push_back(std::move(result));
  }

  void WriteRunResults() {
    fs::path path = session_.target_dir() / "run_results.json";
    std::error_code ec;
    fs::create_directories(session_.target_dir(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << RunResultsJson(report_) << "\n";
    if (!out) throw Error("cannot write " + path.string());
    report_.run_results_path = path;
  }

  const RunOptions& options_;
  Session session_;
  size_t total_ = 0;
  size_t started_ = 0;
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
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

std::string FormatStartLine(const NodeResult& result) {
  std::string what = result.resource_type == "test" || result.resource_type == "unit_test"
                         ? result.resource_type + " " + result.name
                         : result.materialized + " " + result.resource_type + " " + result.relation;
  std::string head = fmt::format("{:>3} of {} START {} ", result.index, result.total, what);
  if (head.size() < 72) head += std::string(72 - head.size(), '.');
  return head + " [RUN]";
}

std::string FormatNodeLine(const NodeResult& result) {
  std::string status;
  if (result.status == "success") status = "OK";
  else if (result.status == "skipped") status = "SKIP";
  else if (result.status == "pass") status = "PASS";
  else if (result.status == "warn") status = "WARN";
  else if (result.status == "fail") status = "FAIL";
  else status = "ERROR";
  std::string what = result.resource_type == "test" || result.resource_type == "unit_test" ? result.resource_type + " " + result.name
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

}  // namespace dlctl::transform
