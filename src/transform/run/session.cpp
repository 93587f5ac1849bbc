#include "transform/run/session.h"

#include <fstream>

#include "transform/run/artifacts.h"
#include "util/error.h"

namespace dlctl::transform {
namespace fs = std::filesystem;
namespace {

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

// The lake catalog's state when `database` is one (else nullptr).
const lake::CatalogState* LakeState(Worker& worker, const std::string& database) {
  for (const std::string& name : worker.lakehouse->names()) {
    if (Lower(name) != Lower(database)) continue;
    auto found = worker.states.find(name);
    if (found == worker.states.end())
      found = worker.states.emplace(name, worker.lakehouse->reader(name).Load({}, false)).first;
    return &found->second;
  }
  return nullptr;
}

}  // namespace

Session::Session(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options)
    : settings_(settings),
      store_(std::move(store)),
      options_(options),
      raw_(*store_, settings.bucket, settings.ingest_prefix) {
  write_options_.store = store_;
}

void Session::Open(const std::string& which) {
  target_ = ResolveTarget(options_.project_dir, options_.profile, settings_, options_.vars);
  if (options_.threads > 0) target_.threads = options_.threads;
  LoadOptions load;
  load.render = [this](const std::string& text, const std::string& where) {
    return RenderConfigValue(text, where, settings_, options_.vars, target_);
  };
  Project project = LoadProject(options_.project_dir, load);
  warnings_ = project.warnings;
  target_dir_ = project.root / project.target_path;
  selection_ = options_.selection;
  for (const std::string& positional : options_.positional)
    selection_.select.push_back(PositionalSelector(project, positional));
  CompileOptions compile;
  compile.full_refresh = options_.full_refresh;
  compile.target = target_;
  compile.cli_vars = options_.vars;
  compile.which = which;
  compile.log = options_.on_log;
  compiler_ = std::make_unique<Compiler>(std::move(project), settings_, raw_, compile);
  compiler_->Parse();
  dag_ = compiler_->BuildGraph();
  WriteManifest(*compiler_, dag_, target_dir_);
}

std::set<std::string> Session::Select() const { return SelectNodes(dag_, selection_); }

Worker& Session::ThisWorker() {
  std::lock_guard lock(mutex_);
  std::unique_ptr<Worker>& worker = workers_[std::this_thread::get_id()];
  if (!worker) {
    worker = std::make_unique<Worker>();
    worker->engine = std::make_unique<Engine>(store_, settings_);
    worker->name = "Thread-" + std::to_string(workers_.size());
  }
  return *worker;
}

void Session::Bind(Worker& worker) {
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

ExecutionHooks Session::Hooks(Worker& worker) {
  ExecutionHooks hooks;
  hooks.run_sql = [this, &worker](const std::string& sql) {
    Debug("statement:\n" + sql);
    Bind(worker);
    bool writes = MayWrite(sql);
    QueryResult result = worker.router->Run(sql);
    if (writes) {
      Committed();
      Bind(worker);
    }
    return result;
  };
  hooks.find_relation = [this, &worker](const Relation& relation) -> std::optional<Relation> {
    Bind(worker);
    const lake::CatalogState* state = LakeState(worker, relation.database);
    if (!state) return std::nullopt;
    for (const auto& schema : state->schemas) {
      if (Lower(schema.name) != Lower(relation.schema)) continue;
      for (const auto& table : schema.tables)
        if (Lower(table.name) == Lower(relation.identifier)) return Relation{relation.database, schema.name, table.name, "table"};
      for (const auto& view : schema.views)
        if (Lower(view.name) == Lower(relation.identifier)) return Relation{relation.database, schema.name, view.name, "view"};
    }
    return std::nullopt;
  };
  hooks.columns = [this, &worker](const Relation& relation) {
    Bind(worker);
    QueryResult result = worker.engine->Query(
        "select column_name, data_type from information_schema.columns where lower(table_catalog) = lower(" +
        QuoteLiteral(relation.database) + ") and lower(table_schema) = lower(" + QuoteLiteral(relation.schema) +
        ") and lower(table_name) = lower(" + QuoteLiteral(relation.identifier) + ") order by ordinal_position");
    std::vector<ColumnInfo> columns;
    for (const auto& row : result.rows) columns.push_back({row.at(0).value_or(""), row.at(1).value_or("")});
    return columns;
  };
  hooks.list_relations = [this, &worker](const std::string& database, const std::string& schema_name) {
    Bind(worker);
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

void Session::RunHook(Worker& worker, const std::string& text, const std::string& id) {
  Bind(worker);
  ExecutionHooks hooks = Hooks(worker);
  std::string sql = compiler_->RenderHook(text, id, hooks);
  if (sql.find_first_not_of(" \t\r\n;") != std::string::npos) hooks.run_sql(sql);
}

std::string Session::WriteCompiled(const std::string& relative_file, const std::string& sql) {
  fs::path relative = fs::path("compiled") / compiler_->project().name / relative_file;
  fs::path path = target_dir_ / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << sql << "\n";
  if (!out) throw Error("cannot write " + path.string());
  return (fs::path(compiler_->project().target_path) / relative).generic_string();
}

void Session::Debug(const std::string& text) {
  if (!options_.on_debug) return;
  std::lock_guard lock(mutex_);
  options_.on_debug(text);
}

}  // namespace dlctl::transform
