#include "lake/catalog/partition_by.h"

#include "duckdb/parser/expression/columnref_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/expression/function_expression.hpp"
#include "duckdb/planner/expression/bound_reference_expression.hpp"
#include "lake/catalog/types.h"
#include "lake/write/partition_keys.h"

namespace dlctl::lake {

namespace {

std::string ColumnOf(const duckdb::ParsedExpression& expression, const std::string& key) {
  if (expression.GetExpressionType() != duckdb::ExpressionType::COLUMN_REF)
    throw duckdb::NotImplementedException("partition key %s: expected a column of the table", key);
  auto& column = expression.Cast<duckdb::ColumnRefExpression>();
  if (column.IsQualified())
    throw duckdb::InvalidInputException("partition key %s: name the column without a qualifier", key);
  return column.GetColumnName();
}

std::pair<std::string, PartitionTransform> KeyOf(const duckdb::ParsedExpression& expression) {
  const std::string key = expression.ToString();
  if (expression.GetExpressionType() == duckdb::ExpressionType::COLUMN_REF)
    return {ColumnOf(expression, key), PartitionTransform{TransformKind::kIdentity}};
  if (expression.GetExpressionType() != duckdb::ExpressionType::FUNCTION)
    throw duckdb::NotImplementedException(
        "partition key %s: DuckLake partitions by columns, year, month, day, hour and bucket only", key);
  auto& function = expression.Cast<duckdb::FunctionExpression>();
  std::string name = duckdb::StringUtil::Lower(function.function_name);
  if (name == "bucket") {
    if (function.children.size() != 2 ||
        function.children[0]->GetExpressionType() != duckdb::ExpressionType::VALUE_CONSTANT)
      throw duckdb::InvalidInputException("partition key %s: expected bucket(<number of buckets>, <column>)", key);
    duckdb::Value count = function.children[0]->Cast<duckdb::ConstantExpression>().value;
    if (!count.DefaultTryCastAs(duckdb::LogicalType::BIGINT) || count.IsNull() || count.GetValue<int64_t>() <= 0 ||
        count.GetValue<int64_t>() > duckdb::NumericLimits<int32_t>::Maximum())
      throw duckdb::InvalidInputException("partition key %s: the number of buckets must be between 1 and %d", key,
                                          duckdb::NumericLimits<int32_t>::Maximum());
    return {ColumnOf(*function.children[1], key), PartitionTransform{TransformKind::kBucket, count.GetValue<int64_t>()}};
  }
  PartitionTransform transform;
  if (name == "year")
    transform.kind = TransformKind::kYear;
  else if (name == "month")
    transform.kind = TransformKind::kMonth;
  else if (name == "day")
    transform.kind = TransformKind::kDay;
  else if (name == "hour")
    transform.kind = TransformKind::kHour;
  else
    throw duckdb::NotImplementedException(
        "partition key %s: DuckLake has no partition transform %s (only year, month, day, hour and bucket)", key,
        name);
  if (function.children.size() != 1)
    throw duckdb::InvalidInputException("partition key %s: expected %s(<column>)", key, name);
  return {ColumnOf(*function.children[0], key), transform};
}

}  // namespace

PartitionKeys PartitionKeysOf(const duckdb::SetPartitionedByInfo& info) {
  PartitionKeys keys;
  for (const auto& expression : info.partition_keys) keys.push_back(KeyOf(*expression));
  return keys;
}

void CheckPartitionKeyTypes(duckdb::ClientContext& context, const TableInfo& table, const PartitionKeys& keys) {
  for (const auto& [name, transform] : keys)
    for (const ColumnInfo& column : table.columns)
      if (duckdb::StringUtil::CIEquals(column.name, name)) {
        auto type = duckdb::TransformStringToLogicalType(DuckDBType(column));
        PartitionKeyExpression(context, transform, duckdb::make_uniq<duckdb::BoundReferenceExpression>(type, 0));
      }
}

}  // namespace dlctl::lake
