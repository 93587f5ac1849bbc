// The engine's bulk paths: BIGINT columns without text conversion, and rows held in memory read
// as a table (in order, also when DuckDB scans them in parallel and writes them to Parquet).
#include <gtest/gtest.h>

#include "config/settings.h"
#include "engine/engine.h"
#include "storage/local_store.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

class EngineBulkTest : public ::testing::Test {
 protected:
  EngineBulkTest() {
    settings_.bucket = "lake";
    engine_ = std::make_unique<Engine>(std::make_shared<LocalStore>(dir_.path() / "lake"), settings_);
  }

  testing::TempDir dir_;
  Settings settings_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineBulkTest, QueryInt64ColumnsReturnsEveryRowColumnByColumn) {
  auto columns = engine_->QueryInt64Columns(
      "SELECT range AS a, CAST(range * -3 AS BIGINT) AS b FROM range(100000) UNION ALL SELECT 9223372036854775807, -1");
  ASSERT_EQ(columns.size(), 2u);
  ASSERT_EQ(columns[0].size(), 100001u);
  int64_t sum_a = 0, sum_b = 0;
  for (size_t i = 0; i + 1 < columns[0].size(); ++i) {
    sum_a += columns[0][i];
    sum_b += columns[1][i];
  }
  EXPECT_EQ(sum_a, 4999950000);
  EXPECT_EQ(sum_b, -3 * 4999950000);
  EXPECT_EQ(columns[0].back(), 9223372036854775807);
  EXPECT_EQ(columns[1].back(), -1);
}

TEST_F(EngineBulkTest, QueryInt64ColumnsRejectsOtherTypesNullsAndBadSql) {
  EXPECT_EQ(testing::ErrorOf([&] { engine_->QueryInt64Columns("SELECT 1::INTEGER AS x"); }),
            "expected BIGINT columns, got INTEGER from: SELECT 1::INTEGER AS x");
  EXPECT_EQ(testing::ErrorOf([&] { engine_->QueryInt64Columns("SELECT NULL::BIGINT"); }),
            "unexpected NULL in a BIGINT column");
  EXPECT_NE(testing::ErrorOf([&] { engine_->QueryInt64Columns("SELECT * FROM no_such_table"); }), "");
  // The engine is still usable.
  EXPECT_EQ(engine_->QueryInt64Columns("SELECT 7::BIGINT").at(0).at(0), 7);
}

TEST_F(EngineBulkTest, VectorRowsAreATableInOrderAndSurviveParquet) {
  const size_t rows = 10000;
  const int dimension = 3;
  std::vector<int64_t> ids(rows);
  std::vector<float> values(rows * dimension);
  for (size_t i = 0; i < rows; ++i) {
    ids[i] = static_cast<int64_t>(i) * 10;
    for (int k = 0; k < dimension; ++k) values[i * dimension + k] = static_cast<float>(i) + 0.25f * k;
  }
  Engine::VectorRows source{"node_id", "embedding", ids.data(), values.data(), rows, dimension};
  engine_->RegisterVectorRows("v", source);

  QueryResult first = engine_->Query(Engine::VectorRowsSql("v") + " LIMIT 2");
  EXPECT_EQ(first.columns, (std::vector<std::string>{"node_id", "embedding"}));
  EXPECT_EQ(first.types, (std::vector<std::string>{"BIGINT", "FLOAT[]"}));
  EXPECT_EQ(first.rows.at(1).at(1), "[1.0, 1.25, 1.5]");

  engine_->Query("SET threads = 4; COPY (" + Engine::VectorRowsSql("v") + ") TO 's3://lake/v.parquet'");
  QueryResult check = engine_->Query(
      "SELECT count(*), bool_and(node_id = (n - 1) * 10), bool_and(embedding[3] = (n - 1) + 0.5) "
      "FROM (SELECT *, row_number() OVER () AS n FROM 's3://lake/v.parquet')");
  EXPECT_EQ(check.rows.at(0), (std::vector<std::optional<std::string>>{"10000", "true", "true"}));

  engine_->UnregisterVectorRows("v");
  std::string error = testing::ErrorOf([&] { engine_->Query(Engine::VectorRowsSql("v")); });
  EXPECT_NE(error.find("no vector rows 'v' are registered"), std::string::npos) << error;
}

}  // namespace
}  // namespace dlctl
