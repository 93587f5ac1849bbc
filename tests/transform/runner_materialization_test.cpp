// Materializations on the lake (local default and S3): table, view, ephemeral, seed,
// incremental (append, delete+insert, --full-refresh), and the failure semantics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner_fixture.h"
#include "support/error_of.h"
#include "util/error.h"

namespace dlctl::testing {
namespace {

using transform::RunKind;
using ::testing::ElementsAre;

class RunnerMaterializationTest : public RunnerTest {};

TEST_P(RunnerMaterializationTest, TableViewEphemeralAndSeedEachLandInTheLake) {
  Write({{"dbt_project.yml", kProjectYml},
         {"seeds/countries.csv", "code,name\nHR,Croatia\nHU,Hungary\nRO,Romania\n"},
         {"models/base.sql", "{{ config(materialized='ephemeral') }}\nselect code, name from {{ ref('countries') }}"},
         {"models/countries_t.sql",
          "{{ config(materialized='table') }}\nselect code, upper(name) as name from {{ ref('base') }} order by code"},
         {"models/countries_v.sql", "{{ config(materialized='view') }}\nselect * from {{ ref('countries_t') }} where code <> 'HU'"}});
  transform::RunReport report = Run(RunKind::kTransform);
  ASSERT_FALSE(report.failed()) << transform::FormatSummary(report);
  EXPECT_EQ(report.results.size(), 3u);  // the ephemeral model is inlined, not run
  EXPECT_EQ(Result(report, "countries").status, "success");
  EXPECT_EQ(Result(report, "countries").rows, 3);
  EXPECT_EQ(Result(report, "countries_t").rows, 3);
  EXPECT_EQ(Result(report, "countries_v").materialized, "view");
  EXPECT_THAT(Rows("select * from stage.main.countries_t order by code"),
              ElementsAre("HR,CROATIA", "HU,HUNGARY", "RO,ROMANIA"));
  EXPECT_THAT(Rows("select code from stage.main.countries_v order by code"), ElementsAre("HR", "RO"));
  EXPECT_THAT(Rows("select table_type from information_schema.tables where table_catalog = 'stage' "
                   "and table_name = 'countries_v'"),
              ElementsAre("VIEW"));
  // The compiled SQL is kept, with the ephemeral model as a CTE.
  std::string compiled = ReadFile(project_dir() / Result(report, "countries_t").compiled_path);
  EXPECT_NE(compiled.find("__dbt__cte__base"), std::string::npos) << compiled;
  EXPECT_TRUE(std::filesystem::exists(project_dir() / "target" / "run_results.json"));
}

TEST_P(RunnerMaterializationTest, AViewReplacesATableOfTheSameNameAndBack) {
  Write({{"dbt_project.yml", kProjectYml}, {"models/m.sql", "{{ config(materialized='table') }}\nselect 1 as x"}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());
  Write({{"models/m.sql", "{{ config(materialized='view') }}\nselect 2 as x"}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());
  EXPECT_THAT(Rows("select x from stage.main.m"), ElementsAre("2"));
  Write({{"models/m.sql", "{{ config(materialized='table') }}\nselect 3 as x"}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());
  EXPECT_THAT(Rows("select x from stage.main.m"), ElementsAre("3"));
}

const char* kIncremental =
    "{{ config(materialized='incremental', unique_key='id') }}\n"
    "select id, value from {{ ref('events') }}\n"
    "{% if is_incremental() %}where id >= (select max(id) from {{ this }}){% endif %}";

TEST_P(RunnerMaterializationTest, IncrementalDeleteInsertByUniqueKeyAndFullRefresh) {
  Write({{"dbt_project.yml", kProjectYml},
         {"seeds/events.csv", "id,value\n1,a\n2,b\n3,c\n"},
         {"models/inc.sql", kIncremental}});
  transform::RunReport first = Run(RunKind::kTransform);
  ASSERT_FALSE(first.failed()) << transform::FormatSummary(first);
  EXPECT_EQ(Result(first, "inc").rows, 3);

  // Row 3 comes again with a new value, row 4 is new; rows 1 and 2 are gone from the seed but
  // stay in the incremental table.
  Write({{"seeds/events.csv", "id,value\n3,c2\n4,d\n"}});
  transform::RunReport second = Run(RunKind::kTransform);
  ASSERT_FALSE(second.failed()) << transform::FormatSummary(second);
  EXPECT_EQ(Result(second, "inc").rows, 2);
  EXPECT_THAT(Rows("select id, value from stage.main.inc order by id"), ElementsAre("1,a", "2,b", "3,c2", "4,d"));
  std::string compiled = ReadFile(project_dir() / Result(second, "inc").compiled_path);
  EXPECT_NE(compiled.find("where id >= (select max(id) from \"stage\".\"main\".\"inc\")"), std::string::npos) << compiled;

  transform::RunReport refreshed = Run(RunKind::kTransform, {}, /*full_refresh=*/true);
  ASSERT_FALSE(refreshed.failed());
  EXPECT_THAT(Rows("select id, value from stage.main.inc order by id"), ElementsAre("3,c2", "4,d"));
}

TEST_P(RunnerMaterializationTest, IncrementalWithoutUniqueKeyAppends) {
  Write({{"dbt_project.yml", kProjectYml},
         {"seeds/events.csv", "id,value\n1,a\n2,b\n"},
         {"models/inc.sql",
          "{{ config(materialized='incremental') }}\nselect id, value from {{ ref('events') }}\n"
          "{% if is_incremental() %}where id >= (select max(id) from {{ this }}){% endif %}"}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());
  Write({{"seeds/events.csv", "id,value\n2,b2\n3,c\n"}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());
  EXPECT_THAT(Rows("select id, value from stage.main.inc order by id, value"),
              ElementsAre("1,a", "2,b", "2,b2", "3,c"));
}

TEST_P(RunnerMaterializationTest, AFailingModelLeavesTheCatalogAsItWasAndSkipsDownstream) {
  Write({{"dbt_project.yml", kProjectYml},
         {"models/upstream.sql", "{{ config(materialized='table') }}\nselect 1 as x"},
         {"models/broken.sql", "{{ config(materialized='table') }}\nselect x, 'v1' as version from {{ ref('upstream') }}"},
         {"models/downstream.sql", "{{ config(materialized='table') }}\nselect * from {{ ref('broken') }}"},
         {"models/sibling.sql", "{{ config(materialized='table') }}\nselect x + 1 as y from {{ ref('upstream') }}"}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());

  Write({{"models/broken.sql",
          "{{ config(materialized='table') }}\nselect x, 'v2' as version, no_such_column from {{ ref('upstream') }}"},
         {"models/sibling.sql", "{{ config(materialized='table') }}\nselect x + 2 as y from {{ ref('upstream') }}"}});
  transform::RunReport report = Run(RunKind::kTransform);
  EXPECT_TRUE(report.failed());
  EXPECT_EQ(Result(report, "broken").status, "error");
  EXPECT_NE(Result(report, "broken").message.find("no_such_column"), std::string::npos) << Result(report, "broken").message;
  EXPECT_EQ(Result(report, "downstream").status, "skipped");
  EXPECT_EQ(Result(report, "sibling").status, "success");
  EXPECT_THAT(Rows("select version from stage.main.broken"), ElementsAre("v1"));
  EXPECT_THAT(Rows("select version from stage.main.downstream"), ElementsAre("v1"));
  EXPECT_THAT(Rows("select y from stage.main.sibling"), ElementsAre("3"));
  EXPECT_NE(transform::FormatSummary(report).find("ERROR=1 SKIP=1"), std::string::npos) << transform::FormatSummary(report);
}

TEST_P(RunnerMaterializationTest, ParallelThreadsBuildTheSameTables) {
  std::map<std::string, std::string> files = {{"dbt_project.yml", kProjectYml},
                                              {"models/root.sql", "{{ config(materialized='table') }}\nselect range as i from range(100)"}};
  for (int i = 0; i < 6; ++i)
    files["models/leaf_" + std::to_string(i) + ".sql"] =
        "{{ config(materialized='table') }}\nselect sum(i) + " + std::to_string(i) + " as total from {{ ref('root') }}";
  files["models/all_leaves.sql"] = "{{ config(materialized='view') }}\n"
      "{% for i in range(6) %}select total from {{ ref('leaf_' ~ i) }}{% if not loop.last %} union all {% endif %}{% endfor %}";
  Write(files);
  transform::RunReport report = Run(RunKind::kTransform, {}, false, /*threads=*/4);
  ASSERT_FALSE(report.failed()) << transform::FormatSummary(report);
  EXPECT_EQ(report.results.size(), 8u);
  EXPECT_THAT(Rows("select sum(total) from stage.main.all_leaves"), ElementsAre(std::to_string(6 * 4950 + 15)));
}

TEST_P(RunnerMaterializationTest, ModelsGoToTheirConfiguredCatalogAndSchema) {
  Write({{"dbt_project.yml",
          "name: demo\nconfig-version: 2\nmodels:\n  demo:\n    +materialized: table\n    marts:\n"
          "      +database: graphs\n      +schema: music\n"},
         {"macros/generate_schema_name.sql",
          "{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name or 'plain' }}{% endmacro %}"},
         {"models/staged.sql", "select 42 as answer"},
         {"models/marts/answers.sql", "select answer * 2 as doubled from {{ ref('staged') }}"}});
  transform::RunReport report = Run(RunKind::kTransform);
  ASSERT_FALSE(report.failed()) << (report.results.empty() ? "" : report.results[0].message);
  EXPECT_EQ(Result(report, "answers").relation, "graphs.music.answers");
  EXPECT_THAT(Rows("select doubled from graphs.music.answers"), ElementsAre("84"));
  EXPECT_THAT(Rows("select answer from stage.plain.staged"), ElementsAre("42"));
}

TEST_P(RunnerMaterializationTest, AnUnknownCatalogIsAnErrorBeforeAnythingRuns) {
  Write({{"dbt_project.yml", kProjectYml}, {"models/m.sql", "{{ config(database='nowhere') }}\nselect 1"}});
  std::string error = ErrorOf([&] { Run(RunKind::kTransform); });
  EXPECT_NE(error.find("'nowhere' is not a lake catalog"), std::string::npos) << error;
}

TEST_P(RunnerMaterializationTest, IncrementalMergeUpdatesMatchedRowsAndFollowsOnSchemaChange) {
  const char* model =
      "{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge',\n"
      "          merge_exclude_columns=['created'], on_schema_change=var('change', 'ignore')) }}\n"
      "select id, value, '{{ var('stamp', 'first') }}' as created{{ var('extra', '') }} from {{ ref('events') }}";
  Write({{"dbt_project.yml", kProjectYml}, {"seeds/events.csv", "id,value\n1,a\n2,b\n"}, {"models/m.sql", model}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());
  Write({{"seeds/events.csv", "id,value\n2,b2\n3,c\n"}});
  auto second = Run(RunKind::kTransform, {}, false, 1);
  ASSERT_FALSE(second.failed()) << transform::FormatSummary(second);
  // Row 2 is updated but keeps its `created` (excluded from the update); row 3 is inserted.
  EXPECT_THAT(Rows("select id, value, created from stage.main.m order by id"), ElementsAre("1,a,first", "2,b2,first", "3,c,first"));

  // A new column: ignored by default, an error with fail, added with append_new_columns.
  Write({{"dbt_project.yml", std::string(kProjectYml) + "vars:\n  extra: ', 1 as score'\n  stamp: second\n"}});
  ASSERT_FALSE(Run(RunKind::kTransform, {"m"}).failed());
  EXPECT_THAT(Rows("select count(*) from information_schema.columns where table_name = 'm'"), ElementsAre("3"));
  Write({{"dbt_project.yml", std::string(kProjectYml) + "vars:\n  extra: ', 1 as score'\n  change: fail\n"}});
  transform::RunReport failed = Run(RunKind::kTransform, {"m"});
  ASSERT_TRUE(failed.failed());
  EXPECT_NE(Result(failed, "m").message.find("new score"), std::string::npos) << Result(failed, "m").message;
  Write({{"dbt_project.yml", std::string(kProjectYml) + "vars:\n  extra: ', 1 as score'\n  change: append_new_columns\n"}});
  ASSERT_FALSE(Run(RunKind::kTransform, {"m"}).failed());
  EXPECT_THAT(Rows("select id, score from stage.main.m order by id"), ElementsAre("1,NULL", "2,1", "3,1"));
}

TEST_P(RunnerMaterializationTest, GraphSelectedResourcesAndPersistDocs) {
  Write({{"dbt_project.yml", kProjectYml},
         {"models/a.sql", "select 1 as id"},
         {"models/b.sql",
          "{{ config(materialized='table', persist_docs={'relation': true, 'columns': true}) }}\n"
          "{% if execute %}{% set a = graph.nodes['model.demo.a'] %}{% endif %}\n"  // as in dbt: graph is empty while parsing
          "select '{{ a.depends_on.nodes | length if execute }}' as parents,\n"
          "  '{{ graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | list | length }}' as models,\n"
          "  '{{ selected_resources | join(',') }}' as selected, id from {{ ref('a') }}"},
         {"models/schema.yml",
          "version: 2\nmodels:\n  - name: b\n    description: the b table\n    columns:\n"
          "      - name: id\n        description: the id\n"}});
  transform::RunReport report = Run(RunKind::kTransform, {"+b"});
  ASSERT_FALSE(report.failed()) << Result(report, "b").message;
  EXPECT_THAT(Rows("select parents, models, selected from stage.main.b"), ElementsAre("0,2,model.demo.a,model.demo.b"));
  EXPECT_THAT(Rows("select comment from duckdb_tables() where table_name = 'b'"), ElementsAre("the b table"));
  EXPECT_THAT(Rows("select comment from duckdb_columns() where table_name = 'b' and column_name = 'id'"),
              ElementsAre("the id"));
}

TEST_P(RunnerMaterializationTest, HooksRunAroundTheirNodeAndTheRun) {
  Write({{"dbt_project.yml",
          std::string(kProjectYml) +
              "on-run-start: [\"create table if not exists stage.main.audit (what varchar)\"]\n"
              "on-run-end: \"insert into stage.main.audit values ('end')\"\n"},
         {"seeds/gone.csv", "x\n1\n"},
         {"seeds/schema.yml",
          "version: 2\nseeds:\n  - name: gone\n    config:\n"
          "      post-hook: \"{% do adapter.drop_relation(this) %}\"\n"},
         {"models/m.sql",
          "{{ config(materialized='table', pre_hook=\"insert into stage.main.audit values ('before {{ this.name }}')\", "
          "post_hook=[\"insert into stage.main.audit select 'after ' || count(*) from {{ this }}\"]) }}\n"
          "select 1 as x union all select 2"}});
  transform::RunReport report = Run(RunKind::kTransform);
  ASSERT_FALSE(report.failed()) << transform::FormatSummary(report);
  EXPECT_THAT(Rows("select what from stage.main.audit"), ElementsAre("before m", "after 2", "end"));
  // The seed's post-hook dropped what the seed wrote.
  EXPECT_THAT(Rows("select count(*) from information_schema.tables where table_name = 'gone'"), ElementsAre("0"));
}

INSTANTIATE_TEST_SUITE_P(Buckets, RunnerMaterializationTest, ::testing::Values(Bucket::kLocal, Bucket::kS3), BucketName);

}  // namespace
}  // namespace dlctl::testing
