// Packages as dbt resolves them: a package's macros as a namespace, adapter.dispatch's search
// order (the dispatch: config, duckdb__ before default__), the package's own macros first for
// its nodes, vars scoped per package, and dbt's global project (dbt.dateadd & co).
#include <gtest/gtest.h>

#include "config/settings.h"
#include "project_files.h"
#include "storage/local_store.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "transform/compile/compiler.h"
#include "transform/run/raw_datasets.h"

namespace dlctl::testing {
namespace {

using transform::Compiler;

class CompilePackagesTest : public ::testing::Test {
 protected:
  CompilePackagesTest()
      : settings_(BuildSettings({}, {}, dir_.path())),
        store_(settings_.LocalBucketRoot()),
        raw_(store_, settings_.bucket, settings_.ingest_prefix) {}

  // The root project `app` with `files`, and the package `util` (installed in dbt_packages/).
  std::unique_ptr<Compiler> Load(std::map<std::string, std::string> files, std::string dispatch = "") {
    files.emplace("dbt_project.yml", "name: app\nvars:\n  greeting: root\n  util:\n    scoped: for-util\n" + dispatch);
    files.emplace("dbt_packages/util/dbt_project.yml", "name: util\nvars:\n  greeting: package\n  own: only-util\n");
    files.emplace("dbt_packages/util/macros/shout.sql",
                  "{% macro shout(x) %}{{ return(adapter.dispatch('shout', 'util')(x)) }}{% endmacro %}\n"
                  "{% macro default__shout(x) %}upper({{ x }}){% endmacro %}\n"
                  "{% macro duckdb__shout(x) %}ucase({{ x }}){% endmacro %}\n"
                  "{% macro helper() %}package-helper{% endmacro %}\n"
                  "{% macro greet() %}{{ var('greeting') }}/{{ var('own', 'none') }}/{{ var('scoped', 'none') }}{% endmacro %}\n");
    files.emplace("dbt_packages/util/models/util_model.sql", "select '{{ helper() }}' as h, '{{ greet() }}' as g");
    WriteProject(dir_, files);
    auto compiler = std::make_unique<Compiler>(transform::LoadProject(dir_.path()), settings_, raw_,
                                               transform::CompileOptions{});
    compiler->Parse();
    return compiler;
  }

  std::string Compile(const Compiler& compiler, const std::string& id) {
    transform::ExecutionHooks hooks;
    return compiler.CompileModel(*compiler.FindModel(id), hooks);
  }

  TempDir dir_;
  Settings settings_;
  LocalStore store_;
  transform::RawDatasets raw_;
};

TEST_F(CompilePackagesTest, APackagesMacrosAreANamespaceAndDispatchPrefersDuckdb) {
  auto compiler = Load({{"models/m.sql", "select {{ util.shout('name') }} as n"}});
  EXPECT_EQ(Compile(*compiler, "model.app.m"), "select ucase(name) as n");
}

TEST_F(CompilePackagesTest, TheDispatchConfigPutsTheRootProjectsOverrideFirst) {
  auto compiler = Load({{"models/m.sql", "select {{ util.shout('name') }} as n"},
                        {"macros/shout.sql", "{% macro default__shout(x) %}lower({{ x }}){% endmacro %}"}},
                       "dispatch:\n  - macro_namespace: util\n    search_order: [app, util]\n");
  // The root project's default__ comes before the package's duckdb__: packages are searched in order.
  EXPECT_EQ(Compile(*compiler, "model.app.m"), "select lower(name) as n");
}

TEST_F(CompilePackagesTest, APackagesNodesSeeItsMacrosFirstAndItsVars) {
  auto compiler = Load({{"macros/helper.sql", "{% macro helper() %}root-helper{% endmacro %}"},
                        {"models/m.sql", "select '{{ helper() }}' as h, '{{ util.greet() }}' as g"}});
  // The package's model: its own helper, the root project's greeting (the root wins over the
  // package's own vars), its own var, and the root project's vars scoped to it.
  EXPECT_EQ(Compile(*compiler, "model.util.util_model"),
            "select 'package-helper' as h, 'root/only-util/for-util' as g");
  // A root model calling the package's macro: names resolve as the root project sees them.
  EXPECT_EQ(Compile(*compiler, "model.app.m"), "select 'root-helper' as h, 'root/none/none' as g");
}

TEST_F(CompilePackagesTest, DbtsGlobalMacrosCompileForDuckdb) {
  auto compiler = Load({{"models/m.sql",
                         "select {{ dbt.dateadd('day', 1, 'd') }}, {{ dbt.type_string() }}, {{ dbt.hash('x') }}, "
                         "{{ dbt.split_part('s', \"','\", 2) }}, {{ dbt.any_value('y') }}, {{ dbt.safe_cast('z', 'int') }}"}});
  EXPECT_EQ(Compile(*compiler, "model.app.m"),
            "select (d + cast(1 as bigint) * interval 1 day), TEXT, md5(cast(x as TEXT)), "
            "string_split(s, ',')[2], arbitrary(y), try_cast(z as int)");
}

TEST_F(CompilePackagesTest, SetsCompareAsSetsAndRelationsAreDictKeys) {
  auto compiler = Load({{"models/m.sql",
                         "{{ set(['b', 'a', 'b']) == set(['a', 'b']) }} "
                         "{% set d = {ref('util_model'): 1} %}{{ d[ref('util_model')] }} "
                         "{{ ref('util_model') is mapping }} {{ ref('util_model').get('metadata')['type'] }}"}});
  EXPECT_EQ(Compile(*compiler, "model.app.m"), "True 1 True DuckDBRelation");
}

TEST_F(CompilePackagesTest, DispatchNamesWhatItSearchedWhenNothingMatches) {
  std::string message = ErrorOf([&] {
    auto compiler = Load({{"models/m.sql", "{{ adapter.dispatch('nothing', 'util')() }}"}});
    Compile(*compiler, "model.app.m");
  });
  EXPECT_NE(message.find("No macro named 'nothing' found within namespace: 'util'"), std::string::npos) << message;
  EXPECT_NE(message.find("'app.duckdb__nothing', 'app.default__nothing', 'util.duckdb__nothing', 'util.default__nothing'"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace dlctl::testing
