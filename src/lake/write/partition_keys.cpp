#include "lake/write/partition_keys.h"

#include <cstring>

#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/execution/expression_executor.hpp"
#include "duckdb/function/function_binder.hpp"
#include "duckdb/planner/expression/bound_constant_expression.hpp"
#include "duckdb/planner/expression/bound_function_expression.hpp"

namespace dlctl::lake {

namespace {

// Iceberg's hash of one value of the vector's physical type (spec notes §1.7).
template <typename T>
int32_t HashOf(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return Murmur3HashLong(value ? 1 : 0);
  } else if constexpr (std::is_integral_v<T>) {
    return Murmur3HashLong(static_cast<int64_t>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    double number = static_cast<double>(value);
    if (number == 0.0) number = 0.0;  // -0.0 hashes as 0.0
    int64_t bits;
    std::memcpy(&bits, &number, sizeof bits);
    return Murmur3HashLong(bits);
  } else {  // string_t: text and blobs by their bytes
    return Murmur3Hash32(value.GetData(), value.GetSize());
  }
}

template <typename T>
void BucketRows(duckdb::Vector& input, duckdb::idx_t count, int64_t buckets, duckdb::Vector& result) {
  duckdb::UnaryExecutor::Execute<T, int32_t>(
      input, result, count, [&](const T& value) { return BucketOfHash(HashOf(value), buckets); });
}

// bucket(value, N): a constant N, as the catalog's "bucket(N)" fixes it.
void BucketFunction(duckdb::DataChunk& args, duckdb::ExpressionState&, duckdb::Vector& result) {
  duckdb::Vector& input = args.data[0];
  const duckdb::idx_t count = args.size();
  const int64_t buckets = args.data[1].GetValue(0).GetValue<int64_t>();
  switch (input.GetType().InternalType()) {
    case duckdb::PhysicalType::BOOL:
      return BucketRows<bool>(input, count, buckets, result);
    case duckdb::PhysicalType::INT8:
      return BucketRows<int8_t>(input, count, buckets, result);
    case duckdb::PhysicalType::INT16:
      return BucketRows<int16_t>(input, count, buckets, result);
    case duckdb::PhysicalType::INT32:
      return BucketRows<int32_t>(input, count, buckets, result);
    case duckdb::PhysicalType::INT64:
      return BucketRows<int64_t>(input, count, buckets, result);
    case duckdb::PhysicalType::FLOAT:
      return BucketRows<float>(input, count, buckets, result);
    case duckdb::PhysicalType::DOUBLE:
      return BucketRows<double>(input, count, buckets, result);
    case duckdb::PhysicalType::VARCHAR:
      return BucketRows<duckdb::string_t>(input, count, buckets, result);
    default: {
      // The extension hashes every other type (unsigned, hugeint, uuid, nested) as its text.
      result.SetVectorType(duckdb::VectorType::FLAT_VECTOR);
      auto* out = duckdb::FlatVector::GetData<int32_t>(result);
      auto& validity = duckdb::FlatVector::Validity(result);
      for (duckdb::idx_t i = 0; i < count; ++i) {
        duckdb::Value value = input.GetValue(i);
        if (value.IsNull()) {
          validity.SetInvalid(i);
          continue;
        }
        std::string text = value.ToString();
        out[i] = BucketOfHash(Murmur3Hash32(text.data(), text.size()), buckets);
      }
      if (args.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
    }
  }
}

}  // namespace

duckdb::unique_ptr<duckdb::Expression> PartitionKeyExpression(duckdb::ClientContext& context,
                                                              const PartitionTransform& transform,
                                                              duckdb::unique_ptr<duckdb::Expression> column) {
  if (transform.kind == TransformKind::kIdentity) return column;
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> arguments;
  if (transform.kind == TransformKind::kBucket) {
    duckdb::ScalarFunction bucket("bucket", {column->return_type, duckdb::LogicalType::BIGINT},
                                  duckdb::LogicalType::INTEGER, BucketFunction);
    arguments.push_back(std::move(column));
    arguments.push_back(duckdb::make_uniq<duckdb::BoundConstantExpression>(duckdb::Value::BIGINT(transform.bucket_count)));
    return duckdb::make_uniq<duckdb::BoundFunctionExpression>(duckdb::LogicalType::INTEGER, std::move(bucket),
                                                              std::move(arguments), nullptr);
  }
  arguments.push_back(std::move(column));
  duckdb::ErrorData error;
  auto bound = duckdb::FunctionBinder(context).BindScalarFunction(DEFAULT_SCHEMA, transform.FunctionName(),
                                                                   std::move(arguments), error);
  if (!bound) error.Throw();
  return bound;
}

duckdb::Value PartitionKeyOf(duckdb::ClientContext& context, const PartitionTransform& transform,
                             const duckdb::Value& value) {
  auto expression =
      PartitionKeyExpression(context, transform, duckdb::make_uniq<duckdb::BoundConstantExpression>(value));
  return duckdb::ExpressionExecutor::EvaluateScalar(context, *expression);
}

}  // namespace dlctl::lake
