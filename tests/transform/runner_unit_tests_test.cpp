// dbt's unit tests: a model's SQL on fixture rows (dict, csv, sql, fixture files) in place of
// its ref()s and source()s, typed as the real relations, compared with the expected rows; run by
// `test` and `build` (where a failing one skips its model), with overrides of macros and vars.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner_fixture.h"

namespace dlctl::testing {
namespace {

using transform::RunKind;
using ::testing::ElementsAre;

class RunnerUnitTests : public RunnerTest {
 protected:
  std::map<std::string, std::string> Project(const std::string& unit_tests);
};

const char* kModel =
    "select o.id, c.name, o.amount * {{ var('rate', 1) }} as amount_eur,\n"
    "  {% if is_incremental() %}'incremental'{% else %}'full'{% endif %} as mode\n"
    "from {{ ref('orders') }} o join {{ source('crm', 'customers') }} c on c.id = o.customer_id";

std::map<std::string, std::string> RunnerUnitTests::Project(const std::string& unit_tests) {
  return {{"dbt_project.yml", kProjectYml},
          {"seeds/orders.csv", "id,customer_id,amount\n1,10,2.5\n"},
          {"models/sources.yml",
           "version: 2\nsources:\n  - name: crm\n    database: stage\n    schema: main\n    tables: [{name: customers}]\n"},
          {"models/enriched.sql", kModel},
          {"models/unit.yml", "unit_tests:\n" + unit_tests},
          {"tests/fixtures/customer_rows.csv", "id,name\n10,Ada\n11,Bob\n"}};
}

TEST_P(RunnerUnitTests, FixturesStandInForInputsAndTheResultIsCompared) {
  Write(Project(
      "  - name: converts_and_joins\n    model: enriched\n    overrides:\n      vars: {rate: 2}\n"
      "      macros: {is_incremental: true}\n"
      "    given:\n"
      "      - input: ref('orders')\n        rows:\n          - {id: 1, customer_id: 10, amount: 1.5}\n"
      "          - {id: 2, customer_id: 11}\n"
      "      - input: source('crm', 'customers')\n        format: csv\n        fixture: customer_rows\n"
      "    expect:\n      rows:\n        - {id: 1, name: Ada, amount_eur: 3.0, mode: incremental}\n"
      "        - {id: 2, name: Bob, amount_eur: null, mode: incremental}\n"
      "  - name: wrong_expectation\n    model: enriched\n"
      "    given:\n      - input: ref('orders')\n        format: sql\n        rows: select 7 as id, 10 as customer_id, 1.0 as amount\n"
      "      - input: source('crm', 'customers')\n        rows: [{id: 10, name: Ada}]\n"
      "    expect:\n      format: csv\n      rows: |\n        id,name\n        8,Ada\n"));
  // The real relations give the fixtures their types: build the inputs first.
  ASSERT_FALSE(Run(RunKind::kSeed).failed());
  Write({{"models/customers_table.sql", "{{ config(materialized='table', schema='main', alias='customers') }} select 10 as id, 'x' as name"}});
  ASSERT_FALSE(Run(RunKind::kTransform, {"customers_table"}).failed());

  transform::RunReport report = Run(RunKind::kTest);
  const auto& passing = Result(report, "converts_and_joins");
  EXPECT_EQ(passing.status, "pass") << passing.message;
  EXPECT_EQ(passing.resource_type, "unit_test");
  const auto& failing = Result(report, "wrong_expectation");
  EXPECT_EQ(failing.status, "fail");
  EXPECT_EQ(failing.failures, 2);  // 7 came, 8 was expected
  EXPECT_NE(failing.message.find("actual: 7, Ada"), std::string::npos) << failing.message;
  EXPECT_NE(failing.message.find("expected: 8, Ada"), std::string::npos) << failing.message;
}

TEST_P(RunnerUnitTests, BuildSkipsAModelWhoseUnitTestFails) {
  Write(Project("  - name: always_wrong\n    model: enriched\n"
                "    given:\n      - input: ref('orders')\n        rows: [{id: 1, customer_id: 10, amount: 1}]\n"
                "      - input: source('crm', 'customers')\n        rows: [{id: 10, name: Ada}]\n"
                "    expect:\n      rows: [{id: 2}]\n"));
  transform::RunReport report = Run(RunKind::kBuild);
  EXPECT_EQ(Result(report, "always_wrong").status, "fail");
  EXPECT_EQ(Result(report, "enriched").status, "skipped");
  EXPECT_EQ(Result(report, "orders").status, "success");
}

INSTANTIATE_TEST_SUITE_P(Buckets, RunnerUnitTests, ::testing::Values(Bucket::kLocal), BucketName);

}  // namespace
}  // namespace dlctl::testing
