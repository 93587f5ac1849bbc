// Data tests through the runner: dbt's generic tests, dbt_utils' two, custom generic and
// singular tests, severity and where; each can fail.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner_fixture.h"

namespace dlctl::testing {
namespace {

using transform::RunKind;

class RunnerDataTests : public RunnerTest {
 protected:
  void SetUp() override {
    Write({{"dbt_project.yml", kProjectYml},
           {"models/users.sql",
            "{{ config(materialized='table') }}\n"
            "select * from (values (1, 'HR', 'a'), (2, 'HU', 'b'), (3, 'RO', null), (3, 'XX', 'd'), (4, 'HR', 'e')) t(id, country, name)"},
           {"models/friends.sql",
            "{{ config(materialized='table') }}\nselect * from (values (1, 2), (2, 3), (3, 9)) t(source_id, target_id)"},
           {"tests/generic/positive.sql",
            "{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}"},
           {"tests/no_country_xx.sql", "select * from {{ ref('users') }} where country = 'XX'"},
           {"models/schema.yml", R"(version: 2
models:
  - name: users
    columns:
      - name: id
        data_tests:
          - not_null
          - unique
          - positive
      - name: name
        data_tests:
          - not_null:
              config:
                severity: warn
      - name: country
        data_tests:
          - unique:
              config:
                where: "id < 3"
          - accepted_values:
              values: ['HR', 'HU', 'RO']
    data_tests:
      - dbt_utils.expression_is_true:
          expression: "id > 0"
      - dbt_utils.unique_combination_of_columns:
          combination_of_columns: [id, country]
  - name: friends
    columns:
      - name: target_id
        data_tests:
          - relationships:
              to: ref('users')
              field: id
)"}});
    transform::RunReport built = Run(RunKind::kTransform);
    ASSERT_FALSE(built.failed()) << transform::FormatSummary(built);
  }
};

TEST_P(RunnerDataTests, EachTestCountsItsFailingRows) {
  transform::RunReport report = Run(RunKind::kTest);
  EXPECT_TRUE(report.failed());
  // Names as dbt makes them; the dbt_utils ones are matched by their start.
  auto seen = [&](const std::string& prefix) {
    for (const auto& result : report.results)
      if (result.name.rfind(prefix, 0) == 0) return result.status + " " + std::to_string(result.failures.value_or(-1));
    return std::string("missing");
  };
  EXPECT_EQ(seen("not_null_users_id"), "pass 0");
  EXPECT_EQ(seen("unique_users_id"), "fail 1");
  EXPECT_EQ(seen("positive_users_id"), "pass 0");
  EXPECT_EQ(seen("not_null_users_name"), "warn 1");
  EXPECT_EQ(seen("accepted_values_users_country"), "fail 1");
  EXPECT_EQ(seen("dbt_utils_expression_is_true_users"), "pass 0");
  EXPECT_EQ(seen("dbt_utils_unique_combination_of_columns_users"), "pass 0");
  EXPECT_EQ(seen("relationships_friends_target_id"), "fail 1");
  EXPECT_EQ(seen("no_country_xx"), "fail 1");
  // `where` narrows the tested relation: HR comes twice, but once among ids below 3.
  EXPECT_EQ(seen("unique_users_country"), "pass 0");
  EXPECT_EQ(report.results.size(), 10u);
  EXPECT_NE(transform::FormatSummary(report).find("WARN=1"), std::string::npos) << transform::FormatSummary(report);
}

TEST_P(RunnerDataTests, SelectingAModelRunsItsTestsOnly) {
  transform::RunReport report = Run(RunKind::kTest, {"friends"});
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].status, "fail");
  std::string compiled = ReadFile(project_dir() / report.results[0].compiled_path);
  EXPECT_NE(compiled.find("\"stage\".\"main\".\"users\""), std::string::npos) << compiled;
}

TEST_P(RunnerDataTests, TestsPassOnceTheDataIsFixed) {
  Write({{"models/users.sql",
          "{{ config(materialized='table') }}\n"
          "select * from (values (1, 'HR', 'a'), (2, 'HU', 'b'), (3, 'RO', 'c'), (9, 'HR', 'd')) t(id, country, name)"},
         {"tests/no_country_xx.sql", "{{ config(severity='warn') }}\nselect * from {{ ref('users') }} where country = 'XX'"}});
  ASSERT_FALSE(Run(RunKind::kTransform).failed());
  transform::RunReport report = Run(RunKind::kTest);
  EXPECT_FALSE(report.failed()) << transform::FormatSummary(report);
  for (const auto& result : report.results) EXPECT_EQ(result.status, "pass") << result.name << ": " << result.message;
}

TEST_P(RunnerDataTests, WarnIfErrorIfFailCalcAndLimitDecideTheStatus) {
  Write({{"dbt_project.yml", kProjectYml},
         {"seeds/nums.csv", "n\n1\n2\n3\n4\n"},
         {"seeds/schema.yml",
          "version: 2\nseeds:\n  - name: nums\n    columns:\n      - name: n\n        data_tests:\n"
          "          - accepted_values:\n              name: three_bad_warn\n              values: [1]\n"
          "              config: {error_if: '>= 4', warn_if: '>= 2'}\n"
          "          - accepted_values:\n              name: three_bad_fail\n              values: [1]\n"
          "              config: {error_if: '>= 3'}\n"
          "          - accepted_values:\n              name: limited\n              values: [1]\n"
          "              config: {limit: 1}\n"
          "          - accepted_values:\n              name: summed\n              values: [1]\n"
          "              config: {fail_calc: 'sum(n_records) - 3', error_if: '> 0'}\n"}});
  ASSERT_FALSE(Run(transform::RunKind::kSeed).failed());
  transform::RunReport report = Run(transform::RunKind::kTest);
  EXPECT_EQ(Result(report, "three_bad_warn").status, "warn");
  EXPECT_EQ(Result(report, "three_bad_warn").failures, 3);
  EXPECT_EQ(Result(report, "three_bad_fail").status, "fail");
  EXPECT_EQ(Result(report, "limited").failures, 1);  // at most `limit` failing rows are counted
  EXPECT_EQ(Result(report, "summed").status, "pass");  // three rows of one record each: 3 - 3
  EXPECT_EQ(Result(report, "summed").failures, 0);
}

TEST_P(RunnerDataTests, StoreFailuresKeepsTheFailingRows) {
  Write({{"dbt_project.yml", kProjectYml},
         {"seeds/nums.csv", "n\n1\n2\n3\n"},
         {"seeds/schema.yml",
          "version: 2\nseeds:\n  - name: nums\n    columns:\n      - name: n\n        data_tests:\n"
          "          - accepted_values:\n              values: [1]\n              config: {store_failures: true}\n"}});
  ASSERT_FALSE(Run(transform::RunKind::kSeed).failed());
  transform::RunReport report = Run(transform::RunKind::kTest, {"nums"});
  EXPECT_EQ(Result(report, "accepted_values_nums_n__1").status, "fail");
  EXPECT_THAT(Rows("select value_field from stage.main_dbt_test__audit.accepted_values_nums_n__1 order by 1"),
              ::testing::ElementsAre("2", "3"));
}

INSTANTIATE_TEST_SUITE_P(Buckets, RunnerDataTests, ::testing::Values(Bucket::kLocal, Bucket::kS3), BucketName);

}  // namespace
}  // namespace dlctl::testing
