// Issue 4 goal (b): parse + compile a generated 200-model dbt project in < 200 ms. The project
// is written to a scratch folder once (200 models with config, refs, loops, macro calls and
// incremental branches; 10 macro files; a properties file with 400 tests; sources), then each
// iteration does what `dlctl transform` does before running anything: load the project
// (dbt_project.yml, yml, SQL, macros), render every model and test once to parse it (config(),
// refs, naming macros), build the DAG, and compile every model and test to its final SQL.
//
// Issue 16: the same for dbt_utils' own integration project (../shared/fixtures/dbt_packages,
// with the package installed as `dlctl deps` does) in < 300 ms: 63 models, 75 seeds, 111 tests,
// dbt_utils' and dbt's global macros. Its seeds and models are built once in a scratch lake first,
// so the compile sees the lake as `dlctl compile` would (get_columns_in_relation, run_query).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "config/settings.h"
#include "storage/local_store.h"
#include "transform/run/inspect.h"
#include "transform/run/session.h"
#include "transform/run/runner.h"
#include "transform/compile/compiler.h"
#include "transform/project/project.h"
#include "transform/run/raw_datasets.h"

namespace dlctl::transform {
namespace {

namespace fs = std::filesystem;
constexpr int kModels = 200;
constexpr int kMacroFiles = 10;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string MacroFile(int index) {
  return fmt::format(R"({{% macro surrogate_key_{0}(columns) -%}}
  md5({{%- for c in columns %}}coalesce(cast({{{{ c }}}} as varchar), ''){{{{ " || '-' || " if not loop.last }}}}{{%- endfor %}})
{{%- endmacro %}}

{{% macro select_columns_{0}(columns) -%}}
  {{%- set quoted = [] -%}}
  {{%- for c in columns -%}}{{%- do quoted.append(adapter.quote(c)) -%}}{{%- endfor -%}}
  {{{{ quoted | join(',\n    ') }}}}
{{%- endmacro %}}

{{% macro partition_filter_{0}(column) -%}}
  {{%- if is_incremental() -%}}
    where {{{{ column }}}} > (select max({{{{ column }}}}) from {{{{ this }}}})
  {{%- else -%}}
    where {{{{ column }}}} >= '{{{{ var('start_date', '2020-01-01') }}}}'
  {{%- endif -%}}
{{%- endmacro %}}
)",
                     index);
}

std::string ModelSql(int index) {
  int macros = index % kMacroFiles;
  std::string refs;
  for (int r = 1; r <= 3 && index - r >= 0; ++r)
    refs += fmt::format("  left join {{{{ ref('model_{}') }}}} r{} on r{}.id = base.id\n", index - r, r, r);
  return fmt::format(R"({{{{ config(materialized='incremental' if {0} % 3 == 0 else 'table', schema='stage_{1}',
          tags=['generated', 'batch_{1}'], unique_key='id') }}}}
{{% set columns = ['user_id', 'track_id', 'played_at', 'amount_cents', 'country', 'device'] %}}
{{% set metrics = {{'plays': 'count(*)', 'revenue': 'sum(amount_cents)', 'users': 'count(distinct user_id)'}} %}}
with base as (
  select
    {{{{ surrogate_key_{1}(['user_id', 'track_id', 'played_at']) }}}} as id,
    {{{{ select_columns_{1}(columns) }}}}
  from {{{{ source('raw', 'plays_{1}') }}}}
  {{{{ partition_filter_{1}('played_at') }}}}
)
select
  base.*,
{{%- for name, expression in metrics.items() %}}
  {{{{ expression }}}} over (partition by base.country) as {{{{ name }}}}{{{{ ',' if not loop.last }}}}
{{%- endfor %}}
from base
{2})",
                     index, macros, refs);
}

const fs::path& ProjectDir() {
  static const fs::path dir = [] {
    fs::path path = fs::temp_directory_path() / fmt::format("dlctl-transform-compile-{}", getpid());
    fs::remove_all(path);
    Write(path / "dbt_project.yml", "name: bench\nconfig-version: 2\nmodels:\n  bench:\n    +database: stage\n");
    std::string sources = "version: 2\nsources:\n  - name: raw\n    database: stage\n    tables:\n";
    for (int i = 0; i < kMacroFiles; ++i) {
      Write(path / fmt::format("macros/m{}.sql", i), MacroFile(i));
      sources += fmt::format("      - name: plays_{}\n", i);
    }
    Write(path / "models/sources.yml", sources);
    std::string properties = "version: 2\nmodels:\n";
    for (int i = 0; i < kModels; ++i) {
      Write(path / fmt::format("models/batch_{}/model_{}.sql", i % kMacroFiles, i), ModelSql(i));
      properties += fmt::format("  - name: model_{}\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n", i);
    }
    Write(path / "models/schema.yml", properties);
    return path;
  }();
  return dir;
}

void TransformParseAndCompileProject(benchmark::State& state) {
  const fs::path& dir = ProjectDir();
  Settings settings = BuildSettings({}, {}, dir);
  LocalStore store(settings.LocalBucketRoot());
  RawDatasets raw(store, settings.bucket, settings.ingest_prefix);
  ExecutionHooks hooks;
  hooks.find_relation = [](const Relation& relation) {
    Relation found = relation;
    found.type = "table";
    return std::optional<Relation>(found);
  };
  size_t bytes = 0;
  for (auto _ : state) {
    Compiler compiler(LoadProject(dir), settings, raw, CompileOptions{});
    compiler.Parse();
    Dag dag = compiler.BuildGraph();
    benchmark::DoNotOptimize(dag.TopologicalOrder());
    bytes = 0;
    for (const Model& model : compiler.project().models) bytes += compiler.CompileModel(model, hooks).size();
    for (const DataTest& test : compiler.project().tests) bytes += compiler.CompileTest(test, hooks).size();
  }
  state.counters["compiled_KiB"] = static_cast<double>(bytes) / 1024;
}
BENCHMARK(TransformParseAndCompileProject)->Unit(benchmark::kMillisecond);

// dbt_utils' integration project in a scratch folder with its lake built (seeds, models).
struct DbtUtilsLab {
  fs::path dir;
  Settings settings;
};

const DbtUtilsLab& DbtUtils() {
  static const DbtUtilsLab lab = [] {
    DbtUtilsLab out;
    fs::path shared = fs::path(DLCTL_SOURCE_DIR) / "../shared/fixtures/dbt_packages/dbt_utils";
    out.dir = fs::temp_directory_path() / fmt::format("dlctl-transform-compile-dbt-utils-{}", getpid());
    fs::remove_all(out.dir);
    fs::create_directories(out.dir);
    fs::copy(shared, out.dir / "dbt_utils", fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(out.dir))
      fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
    fs::path project = out.dir / "dbt_utils/integration_tests";
    fs::create_directories(project / "dbt_packages");
    fs::create_directory_symlink("../..", project / "dbt_packages/dbt_utils");
    out.settings = BuildSettings({}, {{"LOCAL_DIR", (out.dir / "local").string()}}, out.dir);
    auto store = std::make_shared<LocalStore>(out.settings.LocalBucketRoot());
    for (RunKind kind : {RunKind::kSeed, RunKind::kTransform}) {
      RunOptions options;
      options.project_dir = project;
      options.kind = kind;
      options.on_log = [](const std::string&) {};
      RunProject(out.settings, store, options);
    }
    out.dir = project;
    return out;
  }();
  return lab;
}

// What `dlctl compile` does before it writes the compiled files: load and parse the project and
// its package (writing manifest.json), attach the lake to an engine, and render every model and
// test against it (dbt_utils' macros run their introspective queries: columns, relations,
// run_query). The same with the compiled files written, as the command does, for comparison.
void CompileDbtUtils(benchmark::State& state, bool write_files) {
  const DbtUtilsLab& lab = DbtUtils();
  auto store = std::make_shared<LocalStore>(lab.settings.LocalBucketRoot());
  RunOptions options;
  options.project_dir = lab.dir;
  options.on_log = [](const std::string&) {};
  size_t bytes = 0, nodes = 0;
  for (auto _ : state) {
    bytes = nodes = 0;
    if (write_files) {
      for (const CompiledNode& node : CompileNodes(lab.settings, store, options, "")) bytes += node.sql.size(), ++nodes;
      continue;
    }
    Session session(lab.settings, store, options);
    session.Open("compile");
    session.Publish(session.Select());
    ExecutionHooks hooks = session.Hooks(session.ThisWorker());
    const Compiler& compiler = session.compiler();
    for (const Model& model : compiler.project().models) bytes += compiler.CompileModel(model, hooks).size(), ++nodes;
    for (const DataTest& test : compiler.project().tests)
      if (test.config.enabled) bytes += compiler.CompileTest(test, hooks).size(), ++nodes;
  }
  state.counters["compiled_KiB"] = static_cast<double>(bytes) / 1024;
  state.counters["nodes"] = static_cast<double>(nodes);
}

void TransformParseAndCompileDbtUtilsProject(benchmark::State& state) { CompileDbtUtils(state, false); }
void TransformCompileCommandDbtUtilsProject(benchmark::State& state) { CompileDbtUtils(state, true); }
BENCHMARK(TransformCompileCommandDbtUtilsProject)->Unit(benchmark::kMillisecond);
BENCHMARK(TransformParseAndCompileDbtUtilsProject)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dlctl::transform

BENCHMARK_MAIN();
