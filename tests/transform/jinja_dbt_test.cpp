// How dbt uses the interpreter: return(), native functions and objects the runner registers
// (toy versions of ref, source, config, var, env_var, this, adapter, exceptions, log,
// is_incremental), macros loaded from several files, overrides, and calls from C++.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "support/error_of.h"
#include "transform/jinja/environment.h"
#include "transform/jinja/error.h"
#include "transform/jinja/json.h"

namespace dlctl::jinja {
namespace {

using dlctl::testing::ErrorOf;

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

Value Relation(const std::string& database, const std::string& schema, const std::string& name) {
  return MakeObject("Relation",
                    {{"database", Value(database)},
                     {"schema", Value(schema)},
                     {"identifier", Value(name)},
                     {"name", Value(name)}},
                    Quoted(database) + "." + Quoted(schema) + "." + Quoted(name));
}

// An environment with the toy dbt context functions; what they saw lands in the fields.
class DbtEnvironment {
 public:
  DbtEnvironment() {
    environment.AddFunction("ref", [](const CallArgs& args) {
      std::string name = args.Bind("ref", {"name"}, {})[0].ToString();
      return Relation("stage", "dsn", name);
    });
    environment.AddFunction("source", [](const CallArgs& args) {
      auto bound = args.Bind("source", {"source_name", "table_name"}, {});
      return Value("read_csv('s3://bucket/raw/" + bound[0].ToString() + "/" + bound[1].ToString() + "')");
    });
    environment.AddFunction("config", [this](const CallArgs& args) {
      for (const auto& [key, value] : args.keyword) config[key] = value.ToString();
      return Value("");
    });
    environment.AddFunction("var", [](const CallArgs& args) {
      auto bound = args.Bind("var", {"name", "default"}, {Value()});
      if (bound[0].ToString() == "start_date") return Value("2024-01-01");
      if (bound[1].is_undefined()) throw Error("Required var '" + bound[0].ToString() + "' not found in config");
      return bound[1];
    });
    environment.AddFunction("env_var", [](const CallArgs& args) {
      auto bound = args.Bind("env_var", {"name", "default"}, {Value()});
      if (bound[0].ToString() == "RAW__HR__EDGES") return Value("s3://bucket/raw/hr/edges.csv");
      if (bound[1].is_undefined()) throw Error("Env var required but not provided: '" + bound[0].ToString() + "'");
      return bound[1];
    });
    environment.AddFunction("log", [this](const CallArgs& args) {
      logged.push_back(args.Bind("log", {"msg", "info"}, {Value(false)})[0].ToString());
      return Value("");
    });
    environment.AddGlobal("adapter", MakeObject("adapter", {{"quote", Value::Function("quote", [](const CallArgs& args) {
                                                               return Value(Quoted(args.positional.at(0).ToString()));
                                                             })}}));
    environment.AddGlobal("exceptions",
                          MakeObject("exceptions", {{"raise_compiler_error",
                                                     Value::Function("raise_compiler_error", [](const CallArgs& args) {
                                                       throw Error(args.Bind("raise_compiler_error", {"msg"}, {})[0].ToString());
                                                       return Value();
                                                     })}}));
  }

  // The per-model context: this, target, is_incremental().
  Context ModelContext(const std::string& model, bool incremental = false) const {
    return {{"this", Relation("stage", "dsn", model)},
            {"target", MakeDict({{"name", Value("dev")}, {"schema", Value("analytics")}})},
            {"is_incremental", Value::Function("is_incremental", [incremental](const CallArgs&) {
               return Value(incremental);
             })}};
  }

  Environment environment;
  std::map<std::string, std::string> config;
  std::vector<std::string> logged;
};

TEST(JinjaReturn, MakesTheCallEvaluateToAList) {
  Environment env;
  EXPECT_EQ(env.RenderString("{% macro cols() %}ignored{{ return(['a', 'b']) }}{% endmacro %}"
                             "{% for c in cols() %}{{ c }};{% endfor %}{{ cols() | length }}",
                             "m.sql"),
            "a;b;2");
}

TEST(JinjaReturn, KeepsDictsNumbersAndNone) {
  Environment env;
  EXPECT_EQ(env.RenderString("{% macro d() %}{{ return({'k': 1}) }}{% endmacro %}"
                             "{% macro n() %}{{ return(41) }}{% endmacro %}"
                             "{% macro nothing() %}{% do return(none) %}{% endmacro %}"
                             "{{ d().get('k') }} {{ n() + 1 }} {{ nothing() is none }}",
                             "m.sql"),
            "1 42 True");
}

TEST(JinjaReturn, EndsTheMacroEvenInsideALoop) {
  Environment env;
  EXPECT_EQ(env.RenderString("{% macro find(xs, wanted) %}{% for x in xs %}{% if x == wanted %}"
                             "{{ return(loop.index) }}{% endif %}{% endfor %}{{ return(-1) }}{% endmacro %}"
                             "{{ find(['a', 'b', 'c'], 'b') }} {{ find(['a'], 'z') }}",
                             "m.sql"),
            "2 -1");
}

TEST(JinjaReturn, EndsOnlyTheInnermostMacro) {
  Environment env;
  EXPECT_EQ(env.RenderString("{% macro inner() %}{{ return('i') }}{% endmacro %}"
                             "{% macro outer() %}[{{ inner() }}]after{% endmacro %}{{ outer() }}",
                             "m.sql"),
            "[i]after");
}

TEST(JinjaMacroValues, WithoutReturnAreTheRenderedString) {
  Environment env;
  EXPECT_EQ(env.RenderString("{% macro m() %} 1 {% endmacro %}{{ m() is string }}|{{ m() ~ m() }}", "m.sql"),
            "True| 1  1 ");
}

TEST(JinjaDbtContext, ModelWithConfigRefSourceAndVar) {
  DbtEnvironment dbt;
  std::string model =
      "{{ config(materialized='table', schema='dsn') }}\n"
      "with edges as (\n"
      "    select * from {{ source('deezer', 'HR_edges.csv') }}\n"
      ")\n"
      "select e.*, '{{ var('start_date') }}' as since\n"
      "from edges e join {{ ref('dsn_nodes_users') }} u on u.id = e.node_1\n";
  EXPECT_EQ(dbt.environment.RenderString(model, "models/dsn_edges.sql", dbt.ModelContext("dsn_edges")),
            "\n"
            "with edges as (\n"
            "    select * from read_csv('s3://bucket/raw/deezer/HR_edges.csv')\n"
            ")\n"
            "select e.*, '2024-01-01' as since\n"
            "from edges e join \"stage\".\"dsn\".\"dsn_nodes_users\" u on u.id = e.node_1");
  EXPECT_EQ(dbt.config, (std::map<std::string, std::string>{{"materialized", "table"}, {"schema", "dsn"}}));
}

TEST(JinjaDbtContext, ThisTargetAndIsIncremental) {
  DbtEnvironment dbt;
  std::string model =
      "select * from src\n"
      "{% if is_incremental() %}where ts > (select max(ts) from {{ this }}){% endif %}\n"
      "-- {{ this.schema }}.{{ this.identifier }} on {{ target.name }}";
  EXPECT_EQ(dbt.environment.RenderString(model, "m.sql", dbt.ModelContext("events", true)),
            "select * from src\nwhere ts > (select max(ts) from \"stage\".\"dsn\".\"events\")\n-- dsn.events on dev");
  EXPECT_EQ(dbt.environment.RenderString(model, "m.sql", dbt.ModelContext("events", false)),
            "select * from src\n\n-- dsn.events on dev");
}

TEST(JinjaDbtContext, AdapterQuoteAndEnvVar) {
  DbtEnvironment dbt;
  EXPECT_EQ(dbt.environment.RenderString("{{ adapter.quote('Music Info') }} {{ env_var('RAW__HR__EDGES') }} "
                                         "{{ env_var('MISSING', 'fallback') }}",
                                         "m.sql"),
            "\"Music Info\" s3://bucket/raw/hr/edges.csv fallback");
}

TEST(JinjaDbtContext, NativeErrorsGetTheTemplateLine) {
  DbtEnvironment dbt;
  EXPECT_EQ(ErrorOf([&] { dbt.environment.RenderString("select\n1,\n{{ env_var('NOPE') }}", "models/a.sql"); }),
            "models/a.sql:3: Env var required but not provided: 'NOPE'");
  EXPECT_EQ(ErrorOf([&] { dbt.environment.RenderString("{{ var('nope') }}", "models/b.sql"); }),
            "models/b.sql:1: Required var 'nope' not found in config");
  EXPECT_EQ(ErrorOf([&] { dbt.environment.RenderString("{{ ref() }}", "models/c.sql"); }),
            "models/c.sql:1: ref() missing required argument 'name'");
}

TEST(JinjaDbtContext, RaiseCompilerErrorFromAMacroNamesTheMacroFile) {
  DbtEnvironment dbt;
  dbt.environment.LoadMacros(
      "{% macro check(kind) %}\n"
      "  {% if kind not in ['view', 'table'] %}\n"
      "    {{ exceptions.raise_compiler_error('unknown materialization ' ~ kind) }}\n"
      "  {% endif %}\n"
      "{% endmacro %}",
      "macros/check.sql");
  EXPECT_EQ(ErrorOf([&] { dbt.environment.RenderString("{{ check('seed') }}", "models/m.sql"); }),
            "macros/check.sql:3: unknown materialization seed");
  EXPECT_EQ(dbt.environment.RenderString("[{{ check('view') | trim }}]", "models/m.sql"), "[]");
}

TEST(JinjaDbtContext, LogRendersNothing) {
  DbtEnvironment dbt;
  EXPECT_EQ(dbt.environment.RenderString("a{{ log('building ' ~ this.name, info=true) }}b", "m.sql",
                                         dbt.ModelContext("users")),
            "ab");
  EXPECT_EQ(dbt.logged, std::vector<std::string>{"building users"});
}

TEST(JinjaMacroFiles, MacrosFromSeveralFilesCallEachOther) {
  Environment env;
  EXPECT_EQ(env.LoadMacros("{% macro quote_all(xs) %}{{ xs | map('quote') | join(', ') }}{% endmacro %}",
                           "macros/a.sql"),
            std::vector<std::string>{"quote_all"});
  env.AddFilter("quote", [](Renderer&, const Value& input, const CallArgs&) { return Value("\"" + input.ToString() + "\""); });
  EXPECT_EQ(env.LoadMacros("{% macro select_list(cols) %}select {{ quote_all(cols) }}{% endmacro %}\n"
                           "{% macro star() %}*{% endmacro %}",
                           "macros/b.sql"),
            (std::vector<std::string>{"select_list", "star"}));
  EXPECT_EQ(env.RenderString("{{ select_list(['a', 'b']) }} from t", "models/m.sql"), "select \"a\", \"b\" from t");
}

TEST(JinjaMacroFiles, ListsTheMacrosAFileDefinesIncludingGenericTests) {
  Environment env;
  Template parsed = env.Parse(
      "{% macro one() %}{% macro nested() %}{% endmacro %}{% endmacro %}\n"
      "{% test not_negative(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}\n"
      "{% set x = 1 %}{% macro two(a, b=2) %}{% endmacro %}",
      "macros/all.sql");
  EXPECT_EQ(parsed.MacroNames(), (std::vector<std::string>{"one", "test_not_negative", "two"}));
  EXPECT_EQ(parsed.file(), "macros/all.sql");
  env.AddMacros(parsed);
  EXPECT_EQ(env.RenderString("{{ test_not_negative('t', 'age') }}", "tests/generic.sql"),
            "select * from t where age < 0");
}

// dbt's own default, as shipped in dbt-core's macros.
constexpr const char* kDefaultGenerateSchemaName = R"({% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set default_schema = target.schema -%}
    {%- if custom_schema_name is none -%}
        {{ default_schema }}
    {%- else -%}
        {{ default_schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
)";

TEST(JinjaMacroFiles, AProjectMacroOverridesTheDefaultLoadedBeforeIt) {
  DbtEnvironment dbt;
  Context context = dbt.ModelContext("m");
  dbt.environment.LoadMacros(kDefaultGenerateSchemaName, "dbt/macros/generate_schema_name.sql");
  EXPECT_EQ(dbt.environment.CallGlobal("generate_schema_name", CallArgs{{Value::None(), Value::EmptyDict()}, {}},
                                       context)
                .ToString(),
            "analytics");
  EXPECT_EQ(dbt.environment.CallGlobal("generate_schema_name", CallArgs{{Value(" dsn "), Value::EmptyDict()}, {}},
                                       context)
                .ToString(),
            "analytics_dsn");

  dbt.environment.LoadMacros(
      "{% macro generate_schema_name(custom_schema_name, node) -%}\n"
      "  {{ custom_schema_name | trim if custom_schema_name is not none else target.schema }}\n"
      "{%- endmacro %}",
      "macros/generate_schema_name.sql");
  EXPECT_EQ(dbt.environment.CallGlobal("generate_schema_name", CallArgs{{Value("dsn"), Value::EmptyDict()}, {}},
                                       context)
                .ToString(),
            "dsn");
  EXPECT_EQ(dbt.environment.RenderString("{{ generate_schema_name(none, {}) }}", "models/m.sql", context),
            "analytics");
}

TEST(JinjaMacroFiles, LoadedMacrosSeeTheRenderContextButNotTheCallersVariables) {
  Environment env;
  env.LoadMacros("{% macro where_am_i() %}{{ this }} {{ local is defined }}{% endmacro %}", "macros/m.sql");
  EXPECT_EQ(env.RenderString("{% set local = 1 %}{{ where_am_i() }}", "models/a.sql", {{"this", Value("a")}}),
            "a False");
  EXPECT_EQ(env.RenderString("{{ where_am_i() }}", "models/b.sql", {{"this", Value("b")}}), "b False");
}

// dbt's own defaults go through adapter.dispatch, which returns the macro to call.
constexpr const char* kDefaultGenerateAliasName = R"({% macro generate_alias_name(custom_alias_name=none, node=none) -%}
    {% do return(adapter.dispatch('generate_alias_name', 'dbt')(custom_alias_name, node)) %}
{%- endmacro %}

{% macro default__generate_alias_name(custom_alias_name=none, node=none) -%}
    {%- if custom_alias_name -%}
        {{ custom_alias_name | trim }}
    {%- elif node.version -%}
        {{ return(node.name ~ "_v" ~ (node.version | replace(".", "_"))) }}
    {%- else -%}
        {{ node.name }}
    {%- endif -%}
{%- endmacro %}
)";

TEST(JinjaMacroFiles, ANativeFunctionCanReturnAMacroToCall) {
  Environment env;
  env.AddGlobal("adapter", MakeObject("adapter", {{"dispatch", Value::Function("dispatch", [&env](const CallArgs& args) {
                                                     std::string name = args.positional.at(0).ToString();
                                                     const Value* found = env.FindGlobal("default__" + name);
                                                     if (!found) throw Error("no macro default__" + name);
                                                     return *found;
                                                   })}}));
  env.LoadMacros(kDefaultGenerateAliasName, "dbt/macros/generate_alias_name.sql");
  Value plain = MakeDict({{"name", Value("users")}, {"version", Value::None()}});
  Value versioned = MakeDict({{"name", Value("users")}, {"version", Value("2.1")}});
  EXPECT_EQ(env.CallGlobal("generate_alias_name", CallArgs{{Value::None(), plain}, {}}).ToString(), "users");
  EXPECT_EQ(env.CallGlobal("generate_alias_name", CallArgs{{Value::None(), versioned}, {}}).ToString(), "users_v2_1");
  EXPECT_EQ(env.CallGlobal("generate_alias_name", CallArgs{{Value(" alias "), plain}, {}}).ToString(), "alias");
  EXPECT_EQ(env.RenderString("{{ generate_alias_name(node={'name': 'x'}) }}", "m.sql"), "x");
}

TEST(JinjaMacroFiles, CallerIsDefinedOnlyInsideACallBlock) {
  Environment env;
  EXPECT_EQ(env.RenderString("{% macro m() %}{{ caller() if caller is defined else 'none' }}{% endmacro %}"
                             "{{ m() }}|{% call m() %}c{% endcall %}",
                             "m.sql"),
            "none|c");
}

TEST(JinjaMacroFiles, AMacroHasItsNameAndArguments) {
  Environment env;
  EXPECT_EQ(env.RenderString("{% macro m(x, y=1) %}{% endmacro %}{{ m }}|{{ m.name }}|{{ m.arguments }}", "m.sql"),
            "<Macro 'm'>|m|('x', 'y')");
}

TEST(JinjaMacroFiles, CallGlobalOfAnUnknownNameIsAnError) {
  Environment env;
  EXPECT_EQ(ErrorOf([&] { env.CallGlobal("nope", {}); }), "'nope' is undefined");
}

TEST(JinjaJson, FromJsonKeepsKeyOrderAndTypes) {
  Environment env;
  env.AddFunction("fromjson", [](const CallArgs& args) { return ParseJson(args.positional.at(0).ToString()); });
  EXPECT_EQ(env.RenderString("{% set d = fromjson('{\"b\": [1, 2.5, null], \"a\": {\"x\": true}}') %}"
                             "{{ d.b[1] }} {{ d | list }} {{ d.a.x }} {{ d.b[2] is none }} {{ d | tojson }}",
                             "m.sql"),
            "2.5 ['b', 'a'] True True {\"a\": {\"x\": true}, \"b\": [1, 2.5, null]}");
  EXPECT_EQ(ErrorOf([&] { env.RenderString("\n{{ fromjson('{oops') }}", "m.sql"); }), "m.sql:2: not valid JSON: {oops");
  EXPECT_EQ(FromJson(nlohmann::json::parse("[1, \"x\"]")).Repr(), "[1, 'x']");
}

TEST(JinjaEnvironment, ContextShadowsGlobals) {
  Environment env;
  env.AddGlobal("who", Value("global"));
  EXPECT_EQ(env.RenderString("{{ who }}", "m.sql"), "global");
  EXPECT_EQ(env.RenderString("{{ who }}", "m.sql", {{"who", Value("context")}}), "context");
  EXPECT_EQ(env.RenderString("{% set who = 'local' %}{{ who }}", "m.sql", {{"who", Value("context")}}), "local");
}

TEST(JinjaEnvironment, CustomFiltersAndTests) {
  Environment env;
  env.AddFilter("surround", [](Renderer&, const Value& input, const CallArgs& args) {
    std::string with = args.Bind("surround", {"with"}, {Value("*")})[0].ToString();
    return Value(with + input.ToString() + with);
  });
  env.AddTest("positive", [](Renderer&, const Value& input, const CallArgs&) { return input.ToDouble() > 0; });
  EXPECT_EQ(env.RenderString("{{ 'a' | surround }} {{ 'b' | surround('_') }} {{ 3 is positive }} "
                             "{{ [-1, 2, 3] | select('positive') | list }}",
                             "m.sql"),
            "*a* _b_ True [2, 3]");
}

TEST(JinjaEnvironment, ATemplateParsesOnceAndRendersWithManyContexts) {
  Environment env;
  Template parsed = env.Parse("select * from {{ table }}{% if limit %} limit {{ limit }}{% endif %}", "m.sql");
  EXPECT_EQ(env.Render(parsed, {{"table", Value("a")}}), "select * from a");
  EXPECT_EQ(env.Render(parsed, {{"table", Value("b")}, {"limit", Value(10)}}), "select * from b limit 10");
}

TEST(JinjaEnvironment, RendersFromSeveralThreads) {
  Environment env;
  env.LoadMacros("{% macro cols(n) %}{% for i in range(n) %}c{{ i }}{{ ',' if not loop.last }}{% endfor %}{% endmacro %}",
                 "macros/cols.sql");
  Template parsed = env.Parse("select {{ cols(count) }} from t{{ count }}", "m.sql");
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) results[t] = env.Render(parsed, {{"count", Value(t % 3 + 1)}});
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(results[0], "select c0 from t1");
  EXPECT_EQ(results[1], "select c0,c1 from t2");
  EXPECT_EQ(results[5], "select c0,c1,c2 from t3");
}

TEST(JinjaEnvironment, ObjectsWithoutAnAttributeGiveUndefined) {
  Environment env;
  Context context{{"this", Relation("stage", "dsn", "t")}};
  EXPECT_EQ(env.RenderString("[{{ this.nope }}] {{ this.nope is defined }} {{ this.name | upper }}", "m.sql", context),
            "[] False T");
  EXPECT_EQ(ErrorOf([&] { env.RenderString("{{ this.nope.deeper }}", "m.sql", context); }),
            "m.sql:1: 'Relation object' has no attribute 'nope'");
  EXPECT_EQ(ErrorOf([&] { env.RenderString("{{ this() }}", "m.sql", context); }), "m.sql:1: 'this' is not callable");
}

}  // namespace
}  // namespace dlctl::jinja
