#include "transform/compile/compiler.h"

#include <fmt/format.h>

#include <cstdio>
#include <regex>
#include <set>

#include "transform/compile/agate.h"
#include "transform/compile/builtin_macros.h"
#include "transform/compile/dbt_globals.h"
#include "transform/compile/fixtures.h"
#include "transform/jinja/error.h"
#include "transform/jinja/interpreter.h"
#include "transform/jinja/json.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::transform {

using jinja::CallArgs;
using jinja::MakeDict;
using jinja::MakeObject;
using jinja::Value;

namespace {

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

const std::regex& RefOrSourceCall() {
  static const std::regex pattern(R"(^\s*(ref|source)\s*\(.*\)\s*$)");
  return pattern;
}

// The relation type a node's materialization gives it.
std::string RelationType(const std::string& materialized) {
  if (materialized == "view") return "view";
  if (materialized == "ephemeral") return "cte";
  return "table";
}

Value WithType(Relation relation, const std::string& materialized) {
  relation.type = RelationType(materialized);
  return RelationValue(relation);
}

}  // namespace

std::string TestResultSql(const std::string& test_sql, const NodeConfig& config) {
  auto text = [&](const char* key, const char* fallback) {
    auto found = config.values.find(key);
    if (found == config.values.end() || found->is_null()) return std::string(fallback);
    return found->is_string() ? found->get<std::string>() : found->dump();
  };
  std::string fail_calc = text("fail_calc", "count(*)");
  std::string limit = config.values.contains("limit") && !config.values["limit"].is_null()
                          ? "\nlimit " + text("limit", "")
                          : "";
  return "select " + fail_calc + " as failures, " + fail_calc + " " + text("warn_if", "!= 0") + " as should_warn, " +
         fail_calc + " " + text("error_if", "!= 0") + " as should_error from (\n" + test_sql + limit +
         "\n) as dbt_internal_test";
}

struct Compiler::RenderState {
  std::string node_id;
  std::string package;             // the node's package: which macros and vars it sees
  NodeConfig* config = nullptr;
  std::optional<Relation> self;
  std::string materialized;
  bool execute = false;
  const ExecutionHooks* hooks = nullptr;
  nlohmann::json file_config = nlohmann::json::object();
  std::vector<std::string> depends_on;
  std::vector<std::string> ctes;   // ephemeral models inlined, in dependency order
  std::set<std::string> inlined;
  std::map<std::string, Value> results;  // statement(name) -> load_result(name)
  // Unit tests: fixture SQL by the unique id of the node it replaces ("this" for the model
  // itself), and the test's overrides (macros, vars, env_vars).
  std::map<std::string, std::string> fixtures;
  const nlohmann::json* overrides = nullptr;
};

Compiler::Compiler(Project project, const Settings& settings, RawDatasets& raw, CompileOptions options)
    : project_(std::move(project)),
      settings_(settings),
      raw_(raw),
      options_(std::move(options)),
      macros_(project_.name, project_.dispatch) {
  if (settings_.catalogs.empty()) throw UsageError("no lake catalog is configured (STAGE_DB)");
  target_database_ = settings_.catalogs.front().name;
  for (size_t i = 0; i < project_.models.size(); ++i) {
    const Model& model = project_.models[i];
    models_[model.unique_id] = i;
    if (model.config.enabled) node_ids_[model.package + "." + model.name] = model.unique_id;
  }
  for (size_t i = 0; i < project_.seeds.size(); ++i) {
    const Seed& seed = project_.seeds[i];
    seeds_[seed.unique_id] = i;
    if (seed.config.enabled) node_ids_.emplace(seed.package + "." + seed.name, seed.unique_id);
  }
  for (size_t i = 0; i < project_.snapshots.size(); ++i) {
    const Snapshot& snapshot = project_.snapshots[i];
    snapshots_[snapshot.unique_id] = i;
    if (snapshot.config.enabled) node_ids_.emplace(snapshot.package + "." + snapshot.name, snapshot.unique_id);
  }
  for (size_t i = 0; i < project_.tests.size(); ++i) tests_[project_.tests[i].unique_id] = i;
  for (size_t i = 0; i < project_.unit_tests.size(); ++i) unit_tests_[project_.unit_tests[i].unique_id] = i;
  vars_[project_.name] = project_.VarsFor(project_.name, options_.cli_vars);
  for (const PackageInfo& package : project_.packages) vars_[package.name] = project_.VarsFor(package.name, options_.cli_vars);

  AddDbtGlobals(environment_, settings_, options_.cli_vars);
  environment_.AddGlobal("target", MakeDict({{"name", Value(options_.target.name)},
                                             {"type", Value("duckdb")},
                                             {"database", Value(target_database_)},
                                             {"schema", Value(options_.target.schema)},
                                             {"threads", Value(options_.target.threads)},
                                             {"profile_name", Value(options_.target.profile_name)}}));
  environment_.AddGlobal("project_name", Value(project_.name));
  environment_.AddGlobal("flags", MakeDict({{"FULL_REFRESH", Value(options_.full_refresh)},
                                            {"WHICH", Value(options_.which)},
                                            {"STORE_FAILURES", Value(false)},
                                            {"WARN_ERROR", Value(false)}}));
  environment_.AddFunction("env_var", [this](const CallArgs& args) { return EnvVar(args); });
  environment_.AddFunction("log", [this](const CallArgs& args) {
    auto bound = args.Bind("log", {"msg", "info"}, {Value(false)});
    if (bound[1].Truthy()) Log(bound[0].ToString());
    return Value("");
  });
  environment_.AddFunction("print", [this](const CallArgs& args) {
    Log(args.positional.empty() ? "" : args.positional[0].ToString());
    return Value("");
  });
  environment_.AddGlobal("api", MakeApi());
  // Until Publish: what dbt's parse sees.
  environment_.AddGlobal("graph", MakeDict({{"nodes", Value::EmptyDict()}, {"sources", Value::EmptyDict()}}));
  environment_.AddGlobal("selected_resources", Value(std::vector<Value>{}));

  // Files of the global project; a "shims_<package>.sql" file holds dlctl's DuckDB versions of
  // that package's macros (package dlctl__<package>), used only when the package is installed.
  for (const auto& [path, text] : GlobalProjectFiles()) {
    if (path.rfind("shims_", 0) == 0) {
      std::string package = path.substr(6, path.size() - 6 - 4);
      if (project_.FindPackage(package)) macros_.AddFile(environment_, ShimPackage(package), path, "<dlctl>/" + path, text);
      continue;
    }
    macros_.AddFile(environment_, kGlobalPackage, path, "<dbt>/" + path, text);
  }
  bool has_dbt_utils = project_.FindPackage("dbt_utils") != nullptr;
  if (!has_dbt_utils)
    macros_.AddFile(environment_, "dbt_utils", "macros/dlctl_fallback.sql", "<dlctl dbt_utils fallback>",
                    FallbackDbtUtilsMacros());
  for (const ProjectFile& file : project_.macro_files)
    macros_.AddFile(environment_, file.package, file.path, project_.DisplayPath(file.package, file.path), file.text);
  macros_.Build();
}

void Compiler::Log(const std::string& line) const {
  std::lock_guard lock(*log_mutex_);
  if (options_.log) {
    options_.log(line);
  } else {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  }
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
const Snapshot* Compiler::FindSnapshot(const std::string& id) const {
  auto found = snapshots_.find(id);
  return found == snapshots_.end() ? nullptr : &project_.snapshots[found->second];
}

const DataTest* Compiler::FindTest(const std::string& id) const {
  auto found = tests_.find(id);
  return found == tests_.end() ? nullptr : &project_.tests[found->second];
}

const UnitTest* Compiler::FindUnitTest(const std::string& id) const {
  auto found = unit_tests_.find(id);
  return found == unit_tests_.end() ? nullptr : &project_.unit_tests[found->second];
}

const Relation& Compiler::RelationOf(const std::string& unique_id) const {
  auto found = relations_.find(unique_id);
  if (found == relations_.end()) throw Error("no relation for " + unique_id);
  return found->second;
}

const std::vector<std::string>& Compiler::DependsOn(const std::string& unique_id) const {
  static const std::vector<std::string> none;
  auto found = depends_on_.find(unique_id);
  return found == depends_on_.end() ? none : found->second;
}

const jinja::Namespace& Compiler::NamespaceOf(const RenderState& state) const {
  return macros_.NamespaceFor(state.package.empty() ? project_.name : state.package);
}

// dbt's ref resolution: the named package; else the node's own package, then the root project,
// then any package.
std::optional<std::string> Compiler::FindNodeId(const std::string& package, const std::string& name,
                                                const std::string& from_package) const {
  auto lookup = [&](const std::string& p) -> std::optional<std::string> {
    auto found = node_ids_.find(p + "." + name);
    if (found == node_ids_.end()) return std::nullopt;
    return found->second;
  };
  if (!package.empty()) return lookup(package);
  if (auto id = lookup(from_package)) return id;
  if (auto id = lookup(project_.name)) return id;
  for (const PackageInfo& info : project_.packages)
    if (auto id = lookup(info.name)) return id;
  return std::nullopt;
}

Value Compiler::RefValue(RenderState& state, const std::string& package, const std::string& name) const {
  std::optional<std::string> found = FindNodeId(package, name, state.package.empty() ? project_.name : state.package);
  if (!found)
    throw Error("ref('" + (package.empty() ? "" : package + "', '") + name +
                "') names no enabled model or seed of the project or its packages");
  const std::string& id = *found;
  state.depends_on.push_back(id);
  if (state.fixtures.count(id)) return FixtureValue(state, id, name);
  const Model* model = FindModel(id);
  std::string materialized = model ? model->config.materialized : "seed";
  auto relation = relations_.find(id);
  if (relation == relations_.end()) return WithType(Relation{target_database_, options_.target.schema, name}, materialized);
  if (!state.execute || !model || model->config.materialized != "ephemeral")
    return WithType(relation->second, materialized);
  // An ephemeral model is inlined as a CTE of the model that refers to it.
  std::string cte = "__dbt__cte__" + model->name;
  if (state.inlined.insert(id).second) {
    RenderState inner;
    inner.node_id = id;
    inner.package = model->package;
    inner.config = const_cast<NodeConfig*>(&model->config);
    inner.self = relation->second;
    inner.materialized = "ephemeral";
    inner.execute = true;
    inner.hooks = state.hooks;
    inner.ctes = std::move(state.ctes);
    inner.inlined = std::move(state.inlined);
    std::string sql = RenderModel(*model, inner);
    state.ctes = std::move(inner.ctes);
    state.inlined = std::move(inner.inlined);
    state.ctes.push_back(cte + " as (\n" + sql + "\n)");
  }
  Relation inlined{"", "", cte, "cte"};
  return RelationValue(inlined);
}

Value Compiler::SourceValue(RenderState& state, const std::string& source_name, const std::string& table_name) const {
  const SourceTable* table = project_.FindSource(source_name, table_name);
  if (!table) throw Error("source('" + source_name + "', '" + table_name + "') is not declared in any sources yml");
  state.depends_on.push_back(table->unique_id);
  if (state.fixtures.count(table->unique_id)) return FixtureValue(state, table->unique_id, source_name + "_" + table_name);
  if (table->IsRawDataset()) {
    if (!state.execute) return Value(SqlLiteral("raw://" + table->schema + "/" + table->identifier));
    return Value(SqlLiteral(raw_.FileUri(table->schema, table->identifier)));
  }
  return RelationValue(Relation{table->database.value_or(target_database_), table->schema, table->identifier, "table"});
}

// A fixture as a CTE of the unit test's SQL.
Value Compiler::FixtureValue(RenderState& state, const std::string& id, const std::string& name) const {
  std::string cte = "__dbt__fixture_" + name;
  if (state.inlined.insert("fixture:" + id).second) state.ctes.push_back(cte + " as (\n" + state.fixtures.at(id) + "\n)");
  return RelationValue(Relation{"", "", cte, "cte"});
}

jinja::Context Compiler::MakeContext(RenderState& state) const {
  jinja::Context context;
  RenderState* s = &state;
  auto config_get = [this, s](const CallArgs& args) {
    auto bound = args.Bind("get", {"name", "default", "validator"}, {Value::None(), Value::None()});
    std::string key = bound[0].ToString();
    if (s->file_config.contains(key)) return jinja::FromJson(s->file_config[key]);
    if (s->config && s->config->values.contains(key)) return jinja::FromJson(s->config->values[key]);
    return bound[1];
  };
  auto config_set = [s](const CallArgs& args) {
    if (s->execute) return Value("");
    for (const Value& positional : args.positional)
      if (positional.is_dict()) s->file_config.update(ToJsonValue(positional));
    for (const auto& [key, value] : args.keyword) s->file_config[key] = ToJsonValue(value);
    return Value("");
  };
  context["config"] = MakeObject(
      "config",
      {{"get", Value::Function("get", config_get)},
       {"set", Value::Function("set", config_set)},
       {"require", Value::Function("require",
                                   [config_get](const CallArgs& args) {
                                     Value value = config_get(args);
                                     if (value.is_none())
                                       throw Error("config '" + args.positional.at(0).ToString() + "' is required");
                                     return value;
                                   })},
       {"persist_relation_docs", Value::Function("persist_relation_docs", [](const CallArgs&) { return Value(false); })},
       {"persist_column_docs", Value::Function("persist_column_docs", [](const CallArgs&) { return Value(false); })}},
      "", config_set);
  context["ref"] = Value::Function("ref", [this, s](const CallArgs& args) {
    if (args.positional.empty() || args.positional.size() > 2) throw Error("ref() takes a model name (and a package)");
    std::string package = args.positional.size() == 2 ? args.positional[0].ToString() : "";
    return RefValue(*s, package, args.positional.back().ToString());
  });
  context["source"] = Value::Function("source", [this, s](const CallArgs& args) {
    auto bound = args.Bind("source", {"source_name", "table_name"}, {});
    return SourceValue(*s, bound[0].ToString(), bound[1].ToString());
  });
  const nlohmann::json& vars = vars_.at(vars_.count(state.package) ? state.package : project_.name);
  context["var"] = Value::Function("var", [&vars, s](const CallArgs& args) {
    auto bound = args.Bind("var", {"name", "default"}, {Value()});
    std::string name = bound[0].ToString();
    if (vars.contains(name)) return jinja::FromJson(vars[name]);
    if (!bound[1].is_undefined()) return bound[1];
    if (!s->execute) return Value::None();  // dbt's parse does not insist
    throw Error("required var '" + name + "' is not set (dbt_project.yml vars: or --vars)");
  });
  context["execute"] = Value(state.execute);
  if (state.self) context["this"] = WithType(*state.self, state.materialized);
  context["is_incremental"] = Value::Function("is_incremental", [this, s](const CallArgs&) {
    if (!s->execute || options_.full_refresh || s->materialized != "incremental" || !s->self) return Value(false);
    if (!s->hooks || !s->hooks->find_relation) return Value(false);
    std::optional<Relation> existing = s->hooks->find_relation(*s->self);
    return Value(existing && existing->type == "table");
  });
  context["should_full_refresh"] = Value::Function("should_full_refresh", [this, s](const CallArgs&) {
    if (s->config && s->config->values.contains("full_refresh") && s->config->values["full_refresh"].is_boolean())
      return Value(s->config->values["full_refresh"].get<bool>());
    return Value(options_.full_refresh);
  });
  auto run = [s](const std::string& sql) -> std::optional<QueryResult> {
    if (!s->execute || !s->hooks || !s->hooks->run_sql) return std::nullopt;
    return s->hooks->run_sql(sql);
  };
  context["run_query"] = Value::Function("run_query", [run](const CallArgs& args) {
    std::optional<QueryResult> result = run(args.Bind("run_query", {"sql"}, {})[0].ToString());
    return result ? TableValue(*result) : Value::None();
  });
  context["statement"] = Value::RendererCallable("statement", [run, s](const CallArgs& args, jinja::Renderer& renderer) {
    auto bound = args.Bind("statement", {"name", "fetch_result", "auto_begin", "language", "caller"},
                           {Value::None(), Value(false), Value(true), Value("sql"), Value::None()});
    if (!bound[4].is_callable()) throw Error("statement() is used as {% call statement(...) %}...{% endcall %}");
    std::string sql = renderer.Call(bound[4], {}).ToString();
    std::optional<QueryResult> result = run(sql);
    if (result && !bound[0].is_none()) s->results[bound[0].ToString()] = StatementResult(*result);
    return Value("");
  });
  context["load_result"] = Value::Function("load_result", [s](const CallArgs& args) {
    auto found = s->results.find(args.Bind("load_result", {"name"}, {})[0].ToString());
    return found == s->results.end() ? Value::None() : found->second;
  });
  context["store_result"] = Value::Function("store_result", [s](const CallArgs& args) {
    auto bound = args.Bind("store_result", {"name", "response", "agate_table"}, {Value::None(), Value::None()});
    s->results[bound[0].ToString()] =
        MakeDict({{"response", bound[1]}, {"data", Value(std::vector<Value>{})}, {"table", bound[2]}});
    return Value("");
  });
  static const ExecutionHooks kNoHooks;
  context["adapter"] = MakeAdapter(macros_, NamespaceOf(state), state.execute && state.hooks ? *state.hooks : kNoHooks);
  if (state.overrides) ApplyOverrides(context, *state.overrides);
  if (state.fixtures.count("this")) context["this"] = FixtureValue(state, "this", "this");
  return context;
}

// A unit test's overrides: macros return the given value, vars and env_vars win over the
// project's.
void Compiler::ApplyOverrides(jinja::Context& context, const nlohmann::json& overrides) const {
  if (overrides.contains("macros") && overrides["macros"].is_object())
    for (const auto& [name, value] : overrides["macros"].items()) {
      Value result = jinja::FromJson(value);
      context[name] = Value::Function(name, [result](const CallArgs&) { return result; });
    }
  for (const char* key : {"vars", "env_vars"}) {
    if (!overrides.contains(key) || !overrides[key].is_object()) continue;
    Value given = jinja::FromJson(overrides[key]);
    const char* function = std::string(key) == "vars" ? "var" : "env_var";
    auto found = context.find(function);
    Value fallback = found != context.end() ? found->second : *environment_.FindGlobal(function);
    context[function] = Value::RendererCallable(function, [given, fallback](const CallArgs& args, jinja::Renderer& renderer) {
      if (!args.positional.empty())
        if (const Value* value = given.dict().Find(args.positional[0])) return *value;
      return renderer.Call(fallback, args);
    });
  }
}

std::string Compiler::RenderModel(const Model& model, RenderState& state) const {
  jinja::Context context = MakeContext(state);
  context["model"] =
      NodeValue(model.unique_id, "model", model.package, model.name, model.fqn, model.file.path, model.config);
  return Trim(environment_.RenderString(model.file.text, project_.DisplayPath(model.package, model.file.path), context,
                                        &NamespaceOf(state)));
}

std::string Compiler::RenderSnapshot(const Snapshot& snapshot, RenderState& state) const {
  jinja::Context context = MakeContext(state);
  context["model"] = NodeValue(snapshot.unique_id, "snapshot", snapshot.package, snapshot.name, snapshot.fqn,
                               snapshot.file.path, snapshot.config);
  return Trim(environment_.RenderString(snapshot.file.text, project_.DisplayPath(snapshot.package, snapshot.file.path),
                                        context, &NamespaceOf(state)));
}

std::string Compiler::RenderTest(const DataTest& test, RenderState& state) const {
  jinja::Context context = MakeContext(state);
  context["model"] = NodeValue(test.unique_id, "test", test.package, test.name, test.fqn, test.path, test.config);
  const jinja::Namespace& visible = NamespaceOf(state);
  std::string where =
      project_.DisplayPath(test.package, test.path) + (test.line > 0 ? ":" + std::to_string(test.line) : "");
  if (test.kind == DataTest::Kind::kSingular)
    return Trim(environment_.RenderString(test.file.text, project_.DisplayPath(test.package, test.file.path), context,
                                          &visible));

  std::string macro_name = "test_" + test.test_name;
  const Value* macro = macros_.Find(test.test_namespace, macro_name, visible);
  if (!macro)
    throw Error(fmt::format("{}: test '{}{}' is not defined (no macro {}{})", where,
                            test.test_namespace.empty() ? "" : test.test_namespace + ".", test.test_name,
                            test.test_namespace.empty() ? "" : test.test_namespace + ".", macro_name));
  CallArgs args;
  // The tested relation; `where` narrows it to a subquery, as dbt does.
  Value model;
  if (const SourceTable* source = [&]() -> const SourceTable* {
        for (const auto& s : project_.sources)
          if (s.unique_id == test.attached_to) return &s;
        return nullptr;
      }()) {
    model = SourceValue(state, source->source_name, source->name);
  } else if (const Model* tested = FindModel(test.attached_to)) {
    model = RefValue(state, tested->package, tested->name);  // an ephemeral model comes inlined
  } else if (const Seed* seed = FindSeed(test.attached_to)) {
    model = RefValue(state, seed->package, seed->name);
  } else if (const Snapshot* snapshot = FindSnapshot(test.attached_to)) {
    model = RefValue(state, snapshot->package, snapshot->name);
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
          argument = environment_.Evaluate(text, where, context, &visible);
        else if (text.find("{{") != std::string::npos || text.find("{%") != std::string::npos)
          argument = Value(environment_.RenderString(text, where, context, &visible));
      }
      args.keyword.emplace_back(key, argument);
    }
    return Trim(environment_.CallValue(*macro, args, context, &visible).ToString());
  } catch (const jinja::TemplateError&) {
    throw;
  } catch (const Error& e) {
    throw Error(where + ": " + test.name + ": " + e.what());
  }
}

Value Compiler::NodeValue(const std::string& unique_id, const std::string& resource_type, const std::string& package,
                          const std::string& name, const std::vector<std::string>& fqn, const std::string& path,
                          const NodeConfig& config) const {
  return MakeDict({{"unique_id", Value(unique_id)},
                   {"resource_type", Value(resource_type)},
                   {"name", Value(name)},
                   {"package_name", Value(package)},
                   {"fqn", ListOf(fqn)},
                   {"path", Value(path)},
                   {"original_file_path", Value(path)},
                   {"tags", ListOf(config.tags)},
                   {"config", jinja::FromJson(config.values)}});
}

Relation Compiler::NameRelation(const std::string& unique_id, const std::string& resource_type,
                                const std::string& package, const std::string& name,
                                const std::vector<std::string>& fqn, const std::string& path,
                                const NodeConfig& config) const {
  Value node = NodeValue(unique_id, resource_type, package, name, fqn, path, config);
  RenderState state;
  state.node_id = unique_id;
  state.package = package;
  state.config = const_cast<NodeConfig*>(&config);
  jinja::Context context = MakeContext(state);
  context["model"] = node;
  const jinja::Namespace& visible = NamespaceOf(state);
  auto call = [&](const char* macro_name, const std::optional<std::string>& custom) {
    auto macro = visible.find(macro_name);
    if (macro == visible.end()) throw Error(std::string("no macro ") + macro_name);
    CallArgs args;
    args.positional = {custom ? Value(*custom) : Value::None(), node};
    return Trim(environment_.CallValue(macro->second, args, context, &visible).ToString());
  };
  // Snapshots' legacy target_database / target_schema name the relation as they are.
  auto legacy = [&](const char* key) -> std::optional<std::string> {
    if (resource_type != "snapshot" || !config.values.contains(key) || !config.values[key].is_string()) return std::nullopt;
    return config.values[key].get<std::string>();
  };
  std::optional<std::string> database = legacy("target_database"), schema = legacy("target_schema");
  Relation relation{database ? *database : call("generate_database_name", config.database),
                    schema ? *schema : call("generate_schema_name", config.schema),
                    call("generate_alias_name", config.alias)};
  if (!settings_.FindCatalog(relation.database)) {
    std::string known;
    for (const auto& catalog : settings_.catalogs) known += (known.empty() ? "" : ", ") + catalog.name;
    throw Error(fmt::format("{}: database '{}' is not a lake catalog (configured: {})",
                            project_.DisplayPath(package, path), relation.database, known));
  }
  return relation;
}

void Compiler::Parse() {
  for (Model& model : project_.models) {
    if (!model.config.enabled) continue;
    RenderState state;
    state.node_id = model.unique_id;
    state.package = model.package;
    state.config = &model.config;
    state.materialized = model.config.materialized;
    state.self = Relation{target_database_, options_.target.schema, model.name};
    RenderModel(model, state);
    ApplyFileConfig(model.config, state.file_config, project_.DisplayPath(model.package, model.file.path));
    if (model.config.materialized.empty()) model.config.materialized = "view";
    depends_on_[model.unique_id] = std::move(state.depends_on);
  }
  for (Snapshot& snapshot : project_.snapshots) {
    if (!snapshot.config.enabled) continue;
    RenderState state;
    state.node_id = snapshot.unique_id;
    state.package = snapshot.package;
    state.config = &snapshot.config;
    state.materialized = "snapshot";
    state.self = Relation{target_database_, options_.target.schema, snapshot.name};
    RenderSnapshot(snapshot, state);
    ApplyFileConfig(snapshot.config, state.file_config, project_.DisplayPath(snapshot.package, snapshot.file.path));
    depends_on_[snapshot.unique_id] = std::move(state.depends_on);
    relations_[snapshot.unique_id] = NameRelation(snapshot.unique_id, "snapshot", snapshot.package, snapshot.name,
                                                  snapshot.fqn, snapshot.file.path, snapshot.config);
  }
  for (const Model& model : project_.models)
    if (model.config.enabled)
      relations_[model.unique_id] = NameRelation(model.unique_id, "model", model.package, model.name, model.fqn,
                                                 model.file.path, model.config);
  for (const Seed& seed : project_.seeds)
    if (seed.config.enabled)
      relations_[seed.unique_id] =
          NameRelation(seed.unique_id, "seed", seed.package, seed.name, seed.fqn, seed.path, seed.config);
  for (DataTest& test : project_.tests) {
    if (!test.config.enabled) continue;
    RenderState state;
    state.node_id = test.unique_id;
    state.package = test.package;
    state.config = &test.config;
    state.materialized = "test";
    RenderTest(test, state);
    ApplyFileConfig(test.config, state.file_config, project_.DisplayPath(test.package, test.path));
    depends_on_[test.unique_id] = std::move(state.depends_on);
  }
}

Dag Compiler::BuildGraph() const {
  Dag dag = BuildDag(project_);
  for (const auto& [node, upstreams] : depends_on_)
    for (const std::string& upstream : upstreams)
      if (upstream != node && dag.Contains(upstream) && dag.Contains(node)) dag.AddEdge(upstream, node);
  // A unit test reads what its model reads (the real relations give its fixtures their types).
  for (const UnitTest& test : project_.unit_tests) {
    if (!dag.Contains(test.unique_id)) continue;
    auto upstreams = depends_on_.find("model." + test.package + "." + test.model);
    if (upstreams == depends_on_.end()) continue;
    for (const std::string& upstream : upstreams->second)
      if (dag.Contains(upstream)) dag.AddEdge(upstream, test.unique_id);
  }
  return dag;
}

void Compiler::Publish(const Dag& dag, const std::set<std::string>& selected) {
  Value nodes = Value::EmptyDict(), sources = Value::EmptyDict();
  for (const GraphNode& node : dag.nodes()) {
    std::vector<Value> parents;
    for (const std::string& parent : dag.Parents(node.unique_id)) parents.emplace_back(parent);
    std::vector<std::pair<std::string, Value>> fields = {
        {"unique_id", Value(node.unique_id)},
        {"name", Value(node.name)},
        {"resource_type", Value(NodeKindName(node.kind))},
        {"package_name", Value(node.package)},
        {"fqn", ListOf(node.fqn)},
        {"original_file_path", Value(node.path)},
        {"tags", ListOf(node.tags)},
        {"config", jinja::FromJson(node.config)},
        {"depends_on", MakeDict({{"nodes", Value(std::move(parents))}, {"macros", Value(std::vector<Value>{})}})}};
    auto relation = relations_.find(node.unique_id);
    if (relation != relations_.end()) {
      fields.emplace_back("database", Value(relation->second.database));
      fields.emplace_back("schema", Value(relation->second.schema));
      fields.emplace_back("alias", Value(relation->second.identifier));
      fields.emplace_back("relation_name", Value(relation->second.Render()));
    }
    if (node.kind == NodeKind::kSource) {
      fields.emplace_back("source_name", Value(node.source_name));
      sources.dict().Set(Value(node.unique_id), MakeDict(std::move(fields)));
    } else {
      nodes.dict().Set(Value(node.unique_id), MakeDict(std::move(fields)));
    }
  }
  environment_.AddGlobal("graph", MakeDict({{"nodes", nodes},
                                            {"sources", sources},
                                            {"exposures", Value::EmptyDict()},
                                            {"metrics", Value::EmptyDict()},
                                            {"groups", Value::EmptyDict()}}));
  std::vector<Value> ids;
  for (const std::string& id : selected) ids.emplace_back(id);
  environment_.AddGlobal("selected_resources", Value(std::move(ids)));
}

std::string Compiler::WithCtes(const std::string& sql, const RenderState& state, const char* alias) const {
  if (state.ctes.empty()) return sql;
  std::string with = "with ";
  for (size_t i = 0; i < state.ctes.size(); ++i) with += (i ? ",\n" : "") + state.ctes[i];
  return with + "\nselect * from (\n" + sql + "\n) as " + alias;
}

std::string Compiler::CompileModel(const Model& model, const ExecutionHooks& hooks) const {
  RenderState state;
  state.node_id = model.unique_id;
  state.package = model.package;
  state.config = const_cast<NodeConfig*>(&model.config);
  state.materialized = model.config.materialized;
  state.self = RelationOf(model.unique_id);
  state.execute = true;
  state.hooks = &hooks;
  return WithCtes(RenderModel(model, state), state, "__dbt__model");
}

std::string Compiler::CompileSnapshot(const Snapshot& snapshot, const ExecutionHooks& hooks) const {
  RenderState state;
  state.node_id = snapshot.unique_id;
  state.package = snapshot.package;
  state.config = const_cast<NodeConfig*>(&snapshot.config);
  state.materialized = "snapshot";
  state.self = RelationOf(snapshot.unique_id);
  state.execute = true;
  state.hooks = &hooks;
  return WithCtes(RenderSnapshot(snapshot, state), state, "__dbt__snapshot");
}

std::string Compiler::CompileTest(const DataTest& test, const ExecutionHooks& hooks) const {
  RenderState state;
  state.node_id = test.unique_id;
  state.package = test.package;
  state.config = const_cast<NodeConfig*>(&test.config);
  state.materialized = "test";
  state.execute = true;
  state.hooks = &hooks;
  return WithCtes(RenderTest(test, state), state, "__dbt__test");
}

std::string Compiler::CompileUnitTest(const UnitTest& test, const ExecutionHooks& hooks) const {
  const Model* model = FindModel("model." + test.package + "." + test.model);
  if (!model) throw Error("unit test " + test.name + ": no model " + test.model);
  std::string where = project_.DisplayPath(test.package, test.path) + ":" + std::to_string(test.line) + ": unit test " + test.name;
  RenderState state;
  state.node_id = model->unique_id;
  state.package = model->package;
  state.config = const_cast<NodeConfig*>(&model->config);
  state.materialized = model->config.materialized;
  state.self = RelationOf(model->unique_id);
  state.execute = true;
  state.hooks = &hooks;
  state.overrides = &test.overrides;
  static const std::regex kRef(R"(^\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*$)");
  static const std::regex kSource(R"(^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$)");
  for (const UnitTestInput& input : test.given) {
    std::smatch match;
    std::string id;
    std::optional<Relation> relation;
    if (std::regex_match(input.input, match, kRef)) {
      std::string package = match[2].matched ? match[1].str() : "";
      std::string name = match[2].matched ? match[2].str() : match[1].str();
      std::optional<std::string> found = FindNodeId(package, name, model->package);
      if (!found) throw Error(where + ": input " + input.input + " names no model or seed");
      id = *found;
      relation = RelationOf(id);
    } else if (std::regex_match(input.input, match, kSource)) {
      const SourceTable* table = project_.FindSource(match[1].str(), match[2].str());
      if (!table) throw Error(where + ": input " + input.input + " is not a declared source");
      id = table->unique_id;
      if (!table->IsRawDataset()) relation = Relation{table->database.value_or(target_database_), table->schema, table->identifier};
    } else if (Trim(input.input) == "this") {
      id = "this";
      relation = RelationOf(model->unique_id);
    } else {
      throw Error(where + ": input must be ref('...'), source('...', '...') or this (got '" + input.input + "')");
    }
    std::vector<ColumnInfo> columns;
    if (relation && hooks.find_relation && hooks.columns && hooks.find_relation(*relation)) columns = hooks.columns(*relation);
    state.fixtures[id] = FixtureSql(input.fixture, columns, where + ": " + input.input);
  }
  return WithCtes(RenderModel(*model, state), state, "__dbt__unit_test");
}

std::string Compiler::RenderHook(const std::string& hook, const std::string& unique_id,
                                 const ExecutionHooks& hooks) const {
  RenderState state;
  state.execute = true;
  state.hooks = &hooks;
  state.package = project_.name;
  jinja::Context context;
  if (const Model* model = FindModel(unique_id)) {
    state.node_id = unique_id;
    state.package = model->package;
    state.config = const_cast<NodeConfig*>(&model->config);
    state.materialized = model->config.materialized;
    state.self = RelationOf(unique_id);
    context = MakeContext(state);
    context["model"] =
        NodeValue(model->unique_id, "model", model->package, model->name, model->fqn, model->file.path, model->config);
  } else if (const Seed* seed = FindSeed(unique_id)) {
    state.node_id = unique_id;
    state.package = seed->package;
    state.config = const_cast<NodeConfig*>(&seed->config);
    state.materialized = "seed";
    state.self = RelationOf(unique_id);
    context = MakeContext(state);
    context["model"] = NodeValue(seed->unique_id, "seed", seed->package, seed->name, seed->fqn, seed->path, seed->config);
  } else {
    context = MakeContext(state);
  }
  return Trim(environment_.RenderString(hook, "hook", context, &NamespaceOf(state)));
}

std::string Compiler::RenderText(const std::string& text, const std::string& file, const ExecutionHooks& hooks) const {
  RenderState state;
  state.execute = true;
  state.hooks = &hooks;
  state.package = project_.name;
  jinja::Context context = MakeContext(state);
  return WithCtes(Trim(environment_.RenderString(text, file, context, &NamespaceOf(state))), state, "__dbt__inline");
}

std::string Compiler::CallMacro(const std::string& macro, const nlohmann::json& args,
                                const ExecutionHooks& hooks) const {
  RenderState state;
  state.execute = true;
  state.hooks = &hooks;
  state.package = project_.name;
  jinja::Context context = MakeContext(state);
  const jinja::Namespace& visible = NamespaceOf(state);
  size_t dot = macro.find('.');
  const Value* callee = dot == std::string::npos ? macros_.Find("", macro, visible)
                                                 : macros_.Find(macro.substr(0, dot), macro.substr(dot + 1), visible);
  if (!callee) throw NotFoundError("run-operation: no macro named '" + macro + "'");
  CallArgs call;
  if (args.is_object())
    for (const auto& [key, value] : args.items()) call.keyword.emplace_back(key, jinja::FromJson(value));
  Value result = environment_.CallValue(*callee, call, context, &visible);
  return result.is_none() || result.is_undefined() ? "" : result.ToString();
}

nlohmann::json RenderConfigValue(const std::string& text, const std::string& where, const Settings& settings,
                                 const nlohmann::json& cli_vars, const std::optional<Target>& target) {
  if (text.find("{{") == std::string::npos && text.find("{%") == std::string::npos) return text;
  static const jinja::Environment environment;
  jinja::Context context;
  AddDbtGlobals(context, settings, cli_vars);
  if (target)
    context["target"] = MakeDict({{"name", Value(target->name)},
                                  {"type", Value("duckdb")},
                                  {"schema", Value(target->schema)},
                                  {"threads", Value(target->threads)},
                                  {"profile_name", Value(target->profile_name)}});
  std::string trimmed = Trim(text);
  if (trimmed.size() > 4 && trimmed.rfind("{{", 0) == 0 && trimmed.ends_with("}}") &&
      trimmed.find("{{", 2) == std::string::npos) {
    Value value = environment.Evaluate(trimmed.substr(2, trimmed.size() - 4), where, context);
    if (!value.is_undefined() && !value.is_object()) return nlohmann::json::parse(jinja::ToJson(value));
  }
  return environment.RenderString(text, where, context);
}

}  // namespace dlctl::transform
