// The Jinja side of "parse + compile a 200-model project" (goal: the whole compile < 200 ms):
// a generated project of 200 dbt-style models (config, refs, loops, macro calls, incremental
// branches) and 10 macro files. JinjaParse* parses every file, JinjaRender renders every model
// with its own context, JinjaParseAndRender does both from source, as a cold run would.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "transform/jinja/environment.h"

namespace dlctl::jinja {
namespace {

constexpr int kModels = 200;
constexpr int kMacroFiles = 10;

std::string MacroFile(int index) {
  return fmt::format(R"({{% macro surrogate_key_{0}(columns) -%}}
  md5({{%- for c in columns %}}coalesce(cast({{{{ c }}}} as varchar), ''){{{{ " || '-' || " if not loop.last }}}}{{%- endfor %}})
{{%- endmacro %}}

{{% macro select_columns_{0}(columns, prefix='') -%}}
  {{%- set quoted = [] -%}}
  {{%- for c in columns -%}}
    {{%- do quoted.append(adapter.quote(prefix ~ c)) -%}}
  {{%- endfor -%}}
  {{{{ quoted | join(',\n    ') }}}}
{{%- endmacro %}}

{{% macro cents_to_units_{0}(column, scale=2) -%}}
  round({{{{ column }}}} / 100.0, {{{{ scale }}}})
{{%- endmacro %}}

{{% macro partition_filter_{0}(column) -%}}
  {{%- if is_incremental() -%}}
    where {{{{ column }}}} > (select max({{{{ column }}}}) from {{{{ this }}}})
  {{%- else -%}}
    where {{{{ column }}}} >= '{{{{ var('start_date', '2020-01-01') }}}}'
  {{%- endif -%}}
{{%- endmacro %}}

{{% macro generate_schema_name(custom_schema_name, node) -%}}
  {{%- if custom_schema_name is none -%}}{{{{ target.schema }}}}{{%- else -%}}{{{{ custom_schema_name | trim }}}}{{%- endif -%}}
{{%- endmacro %}}
)",
                     index);
}

std::string Model(int index) {
  int macros = index % kMacroFiles;
  std::string refs;
  for (int r = 1; r <= 3 && index - r >= 0; ++r) {
    refs += fmt::format("  left join {{{{ ref('model_{}') }}}} r{} on r{}.id = base.id\n", index - r, r, r);
  }
  return fmt::format(R"({{{{ config(materialized='incremental' if {0} % 3 == 0 else 'table', schema='stage_{1}',
          tags=['generated', 'batch_{1}'], unique_key='id') }}}}
{{% set columns = ['id', 'user_id', 'track_id', 'played_at', 'amount_cents', 'country', 'device'] %}}
{{% set metrics = {{'plays': 'count(*)', 'revenue': 'sum(amount_cents)', 'users': 'count(distinct user_id)'}} %}}
-- model {0}: {{{{ this }}}} in {{{{ generate_schema_name('stage_{1}', none) }}}}
with base as (
  select
    {{{{ surrogate_key_{1}(['user_id', 'track_id', 'played_at']) }}}} as id,
    {{{{ select_columns_{1}(columns[1:], prefix='') }}}},
    {{{{ cents_to_units_{1}('amount_cents') }}}} as amount
  from {{{{ source('raw', 'plays_{1}') }}}}
  {{{{ partition_filter_{1}('played_at') }}}}
)
select
  base.*,
{{%- for name, expression in metrics.items() %}}
  {{{{ expression }}}} over (partition by base.country) as {{{{ name }}}}{{{{ ',' if not loop.last }}}}
{{%- endfor %}}
from base
{refs}{{% if var('limit', none) is not none %}}limit {{{{ var('limit') }}}}{{% endif %}}
)",
                     index, macros, fmt::arg("refs", refs));
}

struct Project {
  std::vector<std::pair<std::string, std::string>> macro_files;  // path, source
  std::vector<std::pair<std::string, std::string>> models;
  Project() {
    for (int i = 0; i < kMacroFiles; ++i) macro_files.emplace_back(fmt::format("macros/m{}.sql", i), MacroFile(i));
    for (int i = 0; i < kModels; ++i) models.emplace_back(fmt::format("models/model_{}.sql", i), Model(i));
  }
};

const Project& TheProject() {
  static const Project project;
  return project;
}

void AddDbtFunctions(Environment& env) {
  env.AddFunction("ref", [](const CallArgs& args) { return Value("\"stage\".\"main\".\"" + args.positional.at(0).ToString() + "\""); });
  env.AddFunction("source", [](const CallArgs& args) {
    return Value("read_csv('s3://lake/raw/" + args.positional.at(0).ToString() + "/" + args.positional.at(1).ToString() + ".csv')");
  });
  env.AddFunction("config", [](const CallArgs&) { return Value(""); });
  env.AddFunction("var", [](const CallArgs& args) { return args.positional.size() > 1 ? args.positional[1] : Value(); });
  env.AddGlobal("adapter", MakeObject("adapter", {{"quote", Value::Function("quote", [](const CallArgs& args) {
                                                     return Value("\"" + args.positional.at(0).ToString() + "\"");
                                                   })}}));
}

Context ModelContext(int index) {
  return {{"this", Value(fmt::format("\"stage\".\"main\".\"model_{}\"", index))},
          {"target", MakeDict({{"schema", Value("main")}})},
          {"is_incremental", Value::Function("is_incremental", [index](const CallArgs&) { return Value(index % 2 == 0); })}};
}

// Parses the macros into a ready environment and every model into `models`.
void ParseProject(Environment& env, std::vector<Template>& models) {
  AddDbtFunctions(env);
  for (const auto& [path, source] : TheProject().macro_files) env.LoadMacros(source, path);
  for (const auto& [path, source] : TheProject().models) models.push_back(env.Parse(source, path));
}

size_t RenderProject(const Environment& env, const std::vector<Template>& models) {
  size_t bytes = 0;
  for (size_t i = 0; i < models.size(); ++i) bytes += env.Render(models[i], ModelContext(static_cast<int>(i))).size();
  return bytes;
}

void JinjaParseProject(benchmark::State& state) {
  for (auto _ : state) {
    Environment env;
    std::vector<Template> models;
    ParseProject(env, models);
    benchmark::DoNotOptimize(models.data());
  }
}
BENCHMARK(JinjaParseProject)->Unit(benchmark::kMillisecond);

void JinjaRenderProject(benchmark::State& state) {
  Environment env;
  std::vector<Template> models;
  ParseProject(env, models);
  for (auto _ : state) benchmark::DoNotOptimize(RenderProject(env, models));
}
BENCHMARK(JinjaRenderProject)->Unit(benchmark::kMillisecond);

void JinjaParseAndRenderProject(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    Environment env;
    std::vector<Template> models;
    ParseProject(env, models);
    bytes = RenderProject(env, models);
  }
  state.counters["compiled_kib"] = static_cast<double>(bytes) / 1024;
}
BENCHMARK(JinjaParseAndRenderProject)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dlctl::jinja

BENCHMARK_MAIN();
