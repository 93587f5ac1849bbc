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

// Whether SQL a template runs may change the lake (then relations are listed again).
bool MayWrite(const std::string& sql) {
  size_t start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string::npos) return false;
  std::string word = Lower(sql.substr(start, sql.find_first_of(" \t\r\n(", start) - start));
  for (const char* read : {"select", "with", "from", "describe", "show", "summarize", "explain", "values", "pragma"})
    if (word == read) return false;
  return true;
}

// Relations of `database`.`schema_name` as the engine's catalog has them: lake tables and views,
// and any other database's.
std::vector<Relation> Relations(Worker& worker, const std::string& database, const std::string& schema_name) {
  std::vector<Relation> relations;
  for (const Engine::CatalogRelation& found : worker.engine->Relations(database, schema_name))
    relations.push_back({found.database, found.schema, found.name, found.is_view ? "view" : "table"});
  return relations;
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
    lake::Lakehouse(settings_).Attach(*worker->engine, {}, {}, write_options_);
    worker->name = "Thread-" + std::to_string(workers_.size());
  }
  return *worker;
}

ExecutionHooks Session::Hooks(Worker& worker) {
  ExecutionHooks hooks;
  hooks.run_sql = [this, &worker](const std::string& sql) {
    Debug("statement:\n" + sql);
    QueryResult result = worker.engine->Query(sql);
    if (MayWrite(sql)) Changed();
    return result;
  };
  // Listing a catalog's relations costs tens of milliseconds: each schema is listed once per
  // generation of the lake (a write anywhere starts a new one).
  auto listed = [this, &worker](const std::string& database, const std::string& schema) -> const std::vector<Relation>& {
    uint64_t generation = generation_.load();
    if (worker.relations_generation != generation) {
      worker.relations.clear();
      worker.relations_generation = generation;
    }
    std::string key = Lower(database) + "." + Lower(schema);
    auto found = worker.relations.find(key);
    if (found == worker.relations.end()) found = worker.relations.emplace(key, Relations(worker, database, schema)).first;
    return found->second;
  };
  hooks.find_relation = [listed](const Relation& relation) -> std::optional<Relation> {
    for (const Relation& candidate : listed(relation.database, relation.schema))
      if (Lower(candidate.identifier) == Lower(relation.identifier)) return candidate;
    return std::nullopt;
  };
  // DESCRIBE binds the one relation (information_schema.columns would list every catalog).
  hooks.columns = [&worker](const Relation& relation) {
    std::vector<ColumnInfo> columns;
    QueryResult result;
    try {
      result = worker.engine->Query("DESCRIBE " + Relation{relation.database, relation.schema, relation.identifier}.Render());
    } catch (const Error&) {
      return columns;  // no such relation: no columns, as dbt answers
    }
    for (const auto& row : result.rows) columns.push_back({row.at(0).value_or(""), row.at(1).value_or("")});
    return columns;
  };
  hooks.list_relations = [listed](const std::string& database, const std::string& schema_name) {
    return listed(database, schema_name);
  };
  return hooks;
}

void Session::RunHook(Worker& worker, const std::string& text, const std::string& id) {
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
