#include "transform/compile/compiler.h"

#include <fmt/format.h>

#include <cstdio>
#include <regex>
#include <set>

#include "transform/compile/builtin_macros.h"
#include "transform/jinja/error.h"
#include "transform/jinja/json.h"
#include "util/error.h"

namespace dlctl::transform {

using jinja::CallArgs;
using jinja::MakeDict;
using jinja::MakeObject;
using jinja::Value;

namespace {

std::string QuoteIdentifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string QuoteLiteral(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

nlohmann::json ToJsonValue(const Value& value) { return nlohmann::json::parse(jinja::ToJson(value)); }

Value ListOf(const std::vector<std::string>& items) {
  std::vector<Value> values;
  for (const auto& item : items) values.emplace_back(item);
  return Value(std::move(values));
}

Value RelationValue(const Relation& relation) {
  std::string printed = relation.Render();
  return MakeObject("Relation",
                    {{"database", Value(relation.database)},
                     {"schema", Value(relation.schema)},
                     {"identifier", Value(relation.identifier)},
                     {"name", Value(relation.identifier)},
                     {"table", Value(relation.identifier)},
                     {"render", Value::Function("render", [printed](const CallArgs&) { return Value(printed); })}},
                    printed);
}

// A cell of a run_query() result as the Python value agate would give.
Value CellValue(const std::optional<std::string>& cell, const std::string& type) {
  if (!cell) return Value::None();
  try {
    if (type == "BOOLEAN") return Value(*cell == "true");
    if (type.find("INT") != std::string::npos) return Value(static_cast<int64_t>(std::stoll(*cell)));
    if (type == "DOUBLE" || type == "FLOAT" || type.rfind("DECIMAL", 0) == 0) return Value(std::stod(*cell));
  } catch (const std::exception&) {
  }
  return Value(*cell);
}

// An agate-like table: .rows (tuples), .column_names, .columns[i].name / .values().
Value TableValue(const QueryResult& result) {
  std::vector<Value> rows;
  std::vector<std::vector<Value>> columns(result.columns.size());
  for (const auto& row : result.rows) {
    std::vector<Value> cells;
    for (size_t i = 0; i < row.size(); ++i) {
      cells.push_back(CellValue(row[i], result.types.at(i)));
      columns[i].push_back(cells.back());
    }
    rows.emplace_back(std::move(cells), true);
  }
  std::vector<Value> column_values;
  for (size_t i = 0; i < result.columns.size(); ++i) {
    Value values(std::move(columns[i]));
    column_values.push_back(MakeObject(
        "Column", {{"name", Value(result.columns[i])},
                   {"values", Value::Function("values", [values](const CallArgs&) { return values; })}}));
  }
  return MakeObject("Table", {{"rows", Value(std::move(rows))},
                              {"column_names", ListOf(result.columns)},
                              {"columns", Value(std::move(column_values))}});
}

const std::regex& RefOrSourceCall() {
  static const std::regex pattern(R"(^\s*(ref|source)\s*\(.*\)\s*$)");
  return pattern;
}

}  // namespace

std::string Relation::Render() const {
  return QuoteIdentifier(database) + "." + QuoteIdentifier(schema) + "." + QuoteIdentifier(identifier);
}

std::string CountFailuresSql(const std::string& test_sql) {
  return "select count(*) as failures from (\n" + test_sql + "\n) as dbt_internal_test";
}

struct Compiler::RenderState {
  std::string node_id;
  NodeConfig* config = nullptr;
  std::optional<Relation> self;
  bool execute = false;
  const ExecutionHooks* hooks = nullptr;
  nlohmann::json file_config = nlohmann::json::object();
  std::vector<std::string> depends_on;
  std::vector<std::string> ctes;   // ephemeral models inlined, in dependency order
  std::set<std::string> inlined;
};

Compiler::Compiler(Project project, const Settings& settings, RawDatasets& raw, bool full_refresh, int threads)
    : project_(std::move(project)), settings_(settings), raw_(raw), full_refresh_(full_refresh) {
  if (settings_.catalogs.empty()) throw UsageError("no lake catalog is configured (STAGE_DB)");
  target_database_ = settings_.catalogs.front().name;
  for (size_t i = 0; i < project_.models.size(); ++i) {
    models_[project_.models[i].unique_id] = i;
    if (project_.models[i].config.enabled) model_ids_by_name_[project_.models[i].name] = project_.models[i].unique_id;
  }
  for (size_t i = 0; i < project_.seeds.size(); ++i) {
    seeds_[project_.seeds[i].unique_id] = i;
    if (project_.seeds[i].config.enabled) model_ids_by_name_.emplace(project_.seeds[i].name, project_.seeds[i].unique_id);
  }
  for (size_t i = 0; i < project_.tests.size(); ++i) tests_[project_.tests[i].unique_id] = i;

  environment_.AddGlobal("target", MakeDict({{"name", Value("lakehouse")},
                                             {"type", Value("duckdb")},
                                             {"database", Value(target_database_)},
                                             {"schema", Value("main")},
                                             {"threads", Value(threads)},
                                             {"profile_name", Value(project_.name)}}));
  environment_.AddFunction("var", [this](const CallArgs& args) {
    auto bound = args.Bind("var", {"name", "default"}, {Value()});
    std::string name = bound[0].ToString();
    if (project_.vars.contains(name)) return jinja::FromJson(project_.vars[name]);
    if (bound[1].is_undefined()) throw Error("required var '" + name + "' is not set in dbt_project.yml");
    return bound[1];
  });
  environment_.AddFunction("env_var", [this](const CallArgs& args) { return EnvVar(args); });
  environment_.AddFunction("log", [this](const CallArgs& args) {
    auto bound = args.Bind("log", {"msg", "info"}, {Value(false)});
    if (bound[1].Truthy()) {
      std::lock_guard lock(*log_mutex_);
      std::printf("%s\n", bound[0].ToString().c_str());
      std::fflush(stdout);
    }
    return Value("");
  });
  environment_.AddGlobal(
      "adapter",
      MakeObject("adapter",
                 {{"quote", Value::Function("quote",
                                            [](const CallArgs& args) {
                                              return Value(QuoteIdentifier(
                                                  args.Bind("quote", {"identifier"}, {})[0].ToString()));
                                            })},
                  {"dispatch", Value::Function("dispatch", [this](const CallArgs& args) {
                     std::string name = args.Bind("dispatch", {"macro_name", "macro_namespace"}, {Value::None()})[0]
                                            .ToString();
                     for (const std::string& candidate : {"duckdb__" + name, "default__" + name, name})
                       if (const Value* macro = environment_.FindGlobal(candidate)) return *macro;
                     throw Error("adapter.dispatch: no macro " + name + " (nor duckdb__ or default__ " + name + ")");
                   })}}));
  environment_.AddGlobal(
      "exceptions",
      MakeObject("exceptions",
                 {{"raise_compiler_error", Value::Function("raise_compiler_error",
                                                           [](const CallArgs& args) -> Value {
                                                             throw Error(args.Bind("raise_compiler_error", {"msg"}, {})[0]
                                                                             .ToString());
                                                           })},
                  {"warn", Value::Function("warn", [this](const CallArgs& args) {
                     std::lock_guard lock(*log_mutex_);
                     std::fprintf(stderr, "dlctl: warning: %s\n", args.Bind("warn", {"msg"}, {})[0].ToString().c_str());
                     return Value("");
                   })}}));
  environment_.LoadMacros(BuiltinMacros(), "<dlctl builtin macros>");
  for (const ProjectFile& file : project_.macro_files) environment_.LoadMacros(file.text, project_.DisplayPath(file.path));
}

Value Compiler::EnvVar(const CallArgs& args) const {
  auto bound = args.Bind("env_var", {"var", "default"}, {Value()});
  std::string name = bound[0].ToString();
  auto found = settings_.variables.find(name);
  if (found != settings_.variables.end()) return Value(found->second);
  if (name.rfind("RAW__", 0) == 0)
    if (auto uri = raw_.CompatibilityVariable(name)) return Value(*uri);
  if (!bound[1].is_undefined()) return bound[1];
  throw Error("env_var('" + name + "') is not set and has no default");
}

const Model* Compiler::FindModel(const std::string& id) const {
  auto found = models_.find(id);
  return found == models_.end() ? nullptr : &project_.models[found->second];
}
const Seed* Compiler::FindSeed(const std::string& id) const {
  auto found = seeds_.find(id);
  return found == seeds_.end() ? nullptr : &project_.seeds[found->second];
}
const DataTest* Compiler::FindTest(const std::string& id) const {
  auto found = tests_.find(id);
  return found == tests_.end() ? nullptr : &project_.tests[found->second];
}

const Relation& Compiler::RelationOf(const std::string& unique_id) const {
  auto found = relations_.find(unique_id);
  if (found == relations_.end()) throw Error("no relation for " + unique_id);
  return found->second;
}

Value Compiler::RefValue(RenderState& state, const std::string& name) const {
  auto found = model_ids_by_name_.find(name);
  if (found == model_ids_by_name_.end()) throw Error("ref('" + name + "') names no enabled model or seed of the project");
  const std::string& id = found->second;
  state.depends_on.push_back(id);
  auto relation = relations_.find(id);
  if (!state.execute || relation == relations_.end())
    return RelationValue(relation == relations_.end() ? Relation{target_database_, "main", name} : relation->second);
  const Model* model = FindModel(id);
  if (!model || model->config.materialized != "ephemeral") return RelationValue(relation->second);
  // An ephemeral model is inlined as a CTE of the model that refers to it.
  std::string cte = "__dbt__cte__" + model->name;
  if (state.inlined.insert(id).second) {
    RenderState inner;
    inner.node_id = id;
    inner.config = const_cast<NodeConfig*>(&model->config);
    inner.self = relation->second;
    inner.execute = true;
    inner.hooks = state.hooks;
    inner.ctes = std::move(state.ctes);
    inner.inlined = std::move(state.inlined);
    std::string sql = RenderModel(*model, inner);
    state.ctes = std::move(inner.ctes);
    state.inlined = std::move(inner.inlined);
    state.ctes.push_back(cte + " as (\n" + sql + "\n)");
  }
  return Value(cte);
}

Value Compiler::SourceValue(RenderState& state, const std::string& source_name, const std::string& table_name) const {
  const SourceTable* table = project_.FindSource(source_name, table_name);
  if (!table) throw Error("source('" + source_name + "', '" + table_name + "') is not declared in any sources yml");
  state.depends_on.push_back(table->unique_id);
  if (table->IsRawDataset()) {
    if (!state.execute) return Value(QuoteLiteral("raw://" + table->schema + "/" + table->identifier));
    return Value(QuoteLiteral(raw_.FileUri(table->schema, table->identifier)));
  }
  return RelationValue(Relation{table->database.value_or(target_database_), table->schema, table->identifier});
}

jinja::Context Compiler::MakeContext(RenderState& state) const {
  jinja::Context context;
  RenderState* s = &state;
  auto config_get = [this, s](const CallArgs& args) {
    auto bound = args.Bind("get", {"name", "default"}, {Value::None()});
    std::string key = bound[0].ToString();
    if (s->file_config.contains(key)) return jinja::FromJson(s->file_config[key]);
    if (s->config && s->config->values.contains(key)) return jinja::FromJson(s->config->values[key]);
    return bound[1];
  };
  context["config"] = MakeObject(
      "config",
      {{"get", Value::Function("get", config_get)},
       {"require", Value::Function("require",
                                   [config_get](const CallArgs& args) {
                                     Value value = config_get(args);
                                     if (value.is_none())
                                       throw Error("config '" + args.positional.at(0).ToString() + "' is required");
                                     return value;
                                   })}},
      "", [s](const CallArgs& args) {
        if (s->execute) return Value("");
        for (const Value& positional : args.positional)
          if (positional.is_dict()) s->file_config.update(ToJsonValue(positional));
        for (const auto& [key, value] : args.keyword) s->file_config[key] = ToJsonValue(value);
        return Value("");
      });
  context["ref"] = Value::Function("ref", [this, s](const CallArgs& args) {
    if (args.positional.empty() || args.positional.size() > 2) throw Error("ref() takes a model name (and a package)");
    return RefValue(*s, args.positional.back().ToString());
  });
  context["source"] = Value::Function("source", [this, s](const CallArgs& args) {
    auto bound = args.Bind("source", {"source_name", "table_name"}, {});
    return SourceValue(*s, bound[0].ToString(), bound[1].ToString());
  });
  context["execute"] = Value(state.execute);
  context["flags"] = MakeDict({{"FULL_REFRESH", Value(full_refresh_)}});
  if (state.self) context["this"] = RelationValue(*state.self);
  context["is_incremental"] = Value::Function("is_incremental", [this, s](const CallArgs&) {
    if (!s->execute || full_refresh_ || !s->config || s->config->materialized != "incremental" || !s->self) return Value(false);
    return Value(s->hooks && s->hooks->table_exists && s->hooks->table_exists(*s->self));
  });
  context["run_query"] = Value::Function("run_query", [s](const CallArgs& args) {
    std::string sql = args.Bind("run_query", {"sql"}, {})[0].ToString();
    if (!s->execute || !s->hooks || !s->hooks->run_query) return Value::None();
    return TableValue(s->hooks->run_query(sql));
  });
  return context;
}

std::string Compiler::RenderModel(const Model& model, RenderState& state) const {
  jinja::Context context = MakeContext(state);
  context["model"] = NodeValue(model.unique_id, "model", model.name, model.fqn, model.file.path, model.config);
  return Trim(environment_.RenderString(model.file.text, project_.DisplayPath(model.file.path), context));
}

std::string Compiler::RenderTest(const DataTest& test, RenderState& state) const {
  jinja::Context context = MakeContext(state);
  std::string where = project_.DisplayPath(test.path) + (test.line > 0 ? ":" + std::to_string(test.line) : "");
  if (test.kind == DataTest::Kind::kSingular)
    return Trim(environment_.RenderString(test.file.text, project_.DisplayPath(test.file.path), context));

  std::string macro = TestMacroName(test.test_namespace, test.test_name);
  if (!environment_.FindGlobal(macro))
    throw Error(fmt::format("{}: test '{}{}' is not defined (no macro {} among the project's macros)", where,
                            test.test_namespace.empty() ? "" : test.test_namespace + ".", test.test_name, macro));
  CallArgs args;
  // The tested relation; `where` narrows it to a subquery, as dbt does.
  Value model;
  if (const SourceTable* source = [&]() -> const SourceTable* {
        for (const auto& s : project_.sources)
          if (s.unique_id == test.attached_to) return &s;
        return nullptr;
      }()) {
    model = SourceValue(state, source->source_name, source->name);
  } else {
    state.depends_on.push_back(test.attached_to);
    auto relation = relations_.find(test.attached_to);
    model = RelationValue(relation != relations_.end() ? relation->second : Relation{target_database_, "main", test.attached_to});
  }
  if (test.config.where) model = Value("(select * from " + model.ToString() + " where " + *test.config.where + ") as dbt_subquery");
  args.keyword.emplace_back("model", model);
  if (test.column_name) args.keyword.emplace_back("column_name", Value(*test.column_name));
  try {
    for (const auto& [key, value] : test.arguments.items()) {
      Value argument = jinja::FromJson(value);
      if (value.is_string()) {
        const std::string text = value.get<std::string>();
        if (std::regex_match(text, RefOrSourceCall()))
          argument = Value(environment_.RenderString("{{ " + text + " }}", where, context));
        else if (text.find("{{") != std::string::npos || text.find("{%") != std::string::npos)
          argument = Value(environment_.RenderString(text, where, context));
      }
      args.keyword.emplace_back(key, argument);
    }
    return Trim(environment_.CallGlobal(macro, args, context).ToString());
  } catch (const jinja::TemplateError&) {
    throw;
  } catch (const Error& e) {
    throw Error(where + ": " + test.name + ": " + e.what());
  }
}

Value Compiler::NodeValue(const std::string& unique_id, const std::string& resource_type, const std::string& name,
                          const std::vector<std::string>& fqn, const std::string& path, const NodeConfig& config) const {
  return MakeDict({{"unique_id", Value(unique_id)},
                   {"resource_type", Value(resource_type)},
                   {"name", Value(name)},
                   {"package_name", Value(project_.name)},
                   {"fqn", ListOf(fqn)},
                   {"path", Value(path)},
                   {"original_file_path", Value(path)},
                   {"tags", ListOf(config.tags)},
                   {"config", jinja::FromJson(config.values)}});
}

Relation Compiler::NameRelation(const std::string& unique_id, const std::string& resource_type,
                                const std::string& name, const std::vector<std::string>& fqn, const std::string& path,
                                const NodeConfig& config) const {
  Value node = NodeValue(unique_id, resource_type, name, fqn, path, config);
  auto call = [&](const char* macro, const std::optional<std::string>& custom) {
    CallArgs args;
    args.positional = {custom ? Value(*custom) : Value::None(), node};
    return Trim(environment_.CallGlobal(macro, args).ToString());
  };
  Relation relation{call("generate_database_name", config.database), call("generate_schema_name", config.schema),
                    call("generate_alias_name", config.alias)};
  if (!settings_.FindCatalog(relation.database)) {
    std::string known;
    for (const auto& catalog : settings_.catalogs) known += (known.empty() ? "" : ", ") + catalog.name;
    throw Error(fmt::format("{}: database '{}' is not a lake catalog (configured: {})", project_.DisplayPath(path),
                            relation.database, known));
  }
  return relation;
}

void Compiler::Parse() {
  for (Model& model : project_.models) {
    if (!model.config.enabled) continue;
    RenderState state;
    state.node_id = model.unique_id;
    state.config = &model.config;
    state.self = Relation{target_database_, "main", model.name};
    RenderModel(model, state);
    ApplyFileConfig(model.config, state.file_config, project_.DisplayPath(model.file.path));
    if (model.config.materialized.empty()) model.config.materialized = "view";
    depends_on_[model.unique_id] = std::move(state.depends_on);
  }
  for (const Model& model : project_.models)
    if (model.config.enabled)
      relations_[model.unique_id] = NameRelation(model.unique_id, "model", model.name, model.fqn, model.file.path, model.config);
  for (const Seed& seed : project_.seeds)
    if (seed.config.enabled)
      relations_[seed.unique_id] = NameRelation(seed.unique_id, "seed", seed.name, seed.fqn, seed.path, seed.config);
  for (DataTest& test : project_.tests) {
    if (!test.config.enabled) continue;
    RenderState state;
    state.node_id = test.unique_id;
    state.config = &test.config;
    RenderTest(test, state);
    ApplyFileConfig(test.config, state.file_config, project_.DisplayPath(test.path));
    depends_on_[test.unique_id] = std::move(state.depends_on);
  }
}

Dag Compiler::BuildGraph() const {
  Dag dag = BuildDag(project_);
  for (const auto& [node, upstreams] : depends_on_)
    for (const std::string& upstream : upstreams)
      if (upstream != node && dag.Contains(upstream) && dag.Contains(node)) dag.AddEdge(upstream, node);
  return dag;
}

std::string Compiler::CompileModel(const Model& model, const ExecutionHooks& hooks) const {
  RenderState state;
  state.node_id = model.unique_id;
  state.config = const_cast<NodeConfig*>(&model.config);
  state.self = RelationOf(model.unique_id);
  state.execute = true;
  state.hooks = &hooks;
  std::string sql = RenderModel(model, state);
  if (state.ctes.empty()) return sql;
  std::string with = "with ";
  for (size_t i = 0; i < state.ctes.size(); ++i) with += (i ? ",\n" : "") + state.ctes[i];
  return with + "\nselect * from (\n" + sql + "\n) as __dbt__model";
}

std::string Compiler::CompileTest(const DataTest& test, const ExecutionHooks& hooks) const {
  RenderState state;
  state.node_id = test.unique_id;
  state.config = const_cast<NodeConfig*>(&test.config);
  state.execute = true;
  state.hooks = &hooks;
  std::string sql = RenderTest(test, state);
  if (state.ctes.empty()) return sql;
  std::string with = "with ";
  for (size_t i = 0; i < state.ctes.size(); ++i) with += (i ? ",\n" : "") + state.ctes[i];
  return with + "\nselect * from (\n" + sql + "\n) as __dbt__test";
}

}  // namespace dlctl::transform
