// dbt's snapshots on the lake over three changes of their source: the timestamp and check
// strategies, dbt_valid_from/to, dbt_scd_id, dbt_updated_at, hard deletes (invalidate,
// new_record), SQL-file and yml snapshots, and a snapshot other models ref().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner_fixture.h"

namespace dlctl::testing {
namespace {

using transform::RunKind;
using ::testing::ElementsAre;

class RunnerSnapshots : public RunnerTest {
 protected:
  // The source as it is at one moment: a seed the snapshots read.
  void Source(const std::string& rows) {
    Write({{"seeds/customers.csv", "id,name,updated_at\n" + rows}});
    ASSERT_FALSE(Run(RunKind::kSeed).failed());
  }
  transform::RunReport Snapshot() { return Run(RunKind::kSnapshot); }
};

TEST_P(RunnerSnapshots, HistoryOverThreeChangesOfTheSource) {
  Write({{"dbt_project.yml", std::string(kProjectYml) + "seeds:\n  demo:\n    +column_types: {updated_at: timestamp}\n"},
         {"snapshots/by_time.sql",
          "{% snapshot by_time %}\n{{ config(target_schema='history', unique_key='id', strategy='timestamp',\n"
          "   updated_at='updated_at', hard_deletes='invalidate') }}\nselect * from {{ ref('customers') }}\n"
          "{% endsnapshot %}"},
         {"snapshots/schema.yml",
          "snapshots:\n  - name: by_check\n    relation: ref('customers')\n    config:\n      schema: history\n"
          "      unique_key: id\n      strategy: check\n      check_cols: [name]\n      hard_deletes: new_record\n"},
         {"models/current_names.sql",
          "select id, name from {{ ref('by_time') }} where dbt_valid_to is null order by id"}});

  // 1: two customers.
  Source("1,Ada,2024-01-01 00:00:00\n2,Bob,2024-01-01 00:00:00\n");
  transform::RunReport first = Snapshot();
  ASSERT_FALSE(first.failed()) << transform::FormatSummary(first);
  EXPECT_EQ(Result(first, "by_time").relation, "stage.history.by_time");
  EXPECT_EQ(Result(first, "by_check").relation, "stage.main_history.by_check");  // schema: goes through generate_schema_name
  EXPECT_THAT(Rows("select id, name, dbt_valid_from, dbt_valid_to, dbt_updated_at = updated_at from stage.history.by_time order by id"),
              ElementsAre("1,Ada,2024-01-01 00:00:00,NULL,true", "2,Bob,2024-01-01 00:00:00,NULL,true"));

  // 2: Ada renamed (newer updated_at), Bob unchanged, Cy new.
  Source("1,Ada L.,2024-02-01 00:00:00\n2,Bob,2024-01-01 00:00:00\n3,Cy,2024-02-01 00:00:00\n");
  ASSERT_FALSE(Snapshot().failed());
  EXPECT_THAT(Rows("select id, name, dbt_valid_from, dbt_valid_to from stage.history.by_time order by id, dbt_valid_from"),
              ElementsAre("1,Ada,2024-01-01 00:00:00,2024-02-01 00:00:00", "1,Ada L.,2024-02-01 00:00:00,NULL",
                          "2,Bob,2024-01-01 00:00:00,NULL", "3,Cy,2024-02-01 00:00:00,NULL"));

  // 3: Bob deleted; Cy changes its name without a newer timestamp (timestamp: no change; check: a change).
  Source("1,Ada L.,2024-02-01 00:00:00\n3,Cyrus,2024-02-01 00:00:00\n");
  ASSERT_FALSE(Snapshot().failed());
  EXPECT_THAT(Rows("select id, name, dbt_valid_to is null from stage.history.by_time order by id, dbt_valid_from"),
              ElementsAre("1,Ada,false", "1,Ada L.,true", "2,Bob,false", "3,Cy,true"));
  EXPECT_THAT(Rows("select id, name, dbt_valid_to is null, dbt_is_deleted from stage.main_history.by_check "
                   "order by id, dbt_valid_from, dbt_is_deleted"),
              ElementsAre("1,Ada,false,False", "1,Ada L.,true,False", "2,Bob,false,False", "2,Bob,true,True",
                          "3,Cy,false,False", "3,Cyrus,true,False"));
  // Every version has its own scd id.
  EXPECT_THAT(Rows("select count(distinct dbt_scd_id) = count(*) from stage.history.by_time"), ElementsAre("true"));

  // Models read a snapshot like any relation.
  ASSERT_FALSE(Run(RunKind::kTransform, {"current_names"}).failed());
  EXPECT_THAT(Rows("select * from stage.main.current_names"), ElementsAre("1,Ada L.", "3,Cy"));
}

TEST_P(RunnerSnapshots, AMisconfiguredSnapshotIsAnErrorNamingIt) {
  Write({{"dbt_project.yml", kProjectYml},
         {"seeds/customers.csv", "id,name\n1,Ada\n"},
         {"snapshots/bad.sql",
          "{% snapshot bad %}{{ config(unique_key='id', strategy='timestamp') }}select * from {{ ref('customers') }}{% endsnapshot %}"}});
  ASSERT_FALSE(Run(RunKind::kSeed).failed());
  transform::RunReport report = Snapshot();
  ASSERT_TRUE(report.failed());
  EXPECT_NE(Result(report, "bad").message.find("the timestamp strategy needs updated_at"), std::string::npos)
      << Result(report, "bad").message;
}

INSTANTIATE_TEST_SUITE_P(Buckets, RunnerSnapshots, ::testing::Values(Bucket::kLocal), BucketName);

}  // namespace
}  // namespace dlctl::testing
