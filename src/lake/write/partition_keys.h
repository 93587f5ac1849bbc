#pragma once
// A partition key's value as DuckDB computes it, the way the official extension does: year,
// month, day and hour are DuckDB's functions of those names; bucket(N) hashes the value as
// Iceberg does (integers, dates and timestamps as 8-byte longs, text as its UTF-8 bytes, floats
// as the bits of a double, other types as their text) with murmur3 and takes it modulo N.
#include "duckdb/planner/expression.hpp"
#include "lake/metadata/partition_transform.h"

namespace dlctl::lake {

// `transform` applied to `column` (an expression of the column's type). Throws DuckDB's
// BinderException when the transform does not apply to the type (year of a VARCHAR).
duckdb::unique_ptr<duckdb::Expression> PartitionKeyExpression(duckdb::ClientContext& context,
                                                              const PartitionTransform& transform,
                                                              duckdb::unique_ptr<duckdb::Expression> column);

// The key of one value (NULL gives NULL).
duckdb::Value PartitionKeyOf(duckdb::ClientContext& context, const PartitionTransform& transform,
                             const duckdb::Value& value);

}  // namespace dlctl::lake
