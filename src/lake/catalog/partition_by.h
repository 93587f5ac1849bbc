#pragma once
// ALTER TABLE ... SET PARTITIONED BY (...) / RESET PARTITIONED BY on a lake table: the keys as
// the official extension accepts them (spec notes §1.7): a column (identity), year(c),
// month(c), day(c), hour(c) or bucket(N, c) of a top-level column.
#include <string>
#include <utility>
#include <vector>

#include "duckdb/parser/parsed_data/alter_table_info.hpp"
#include "lake/metadata/catalog_model.h"

namespace dlctl::lake {

using PartitionKeys = std::vector<std::pair<std::string, PartitionTransform>>;  // column name, transform

// The keys in order (none for RESET). Throws DuckDB's exceptions for anything else.
PartitionKeys PartitionKeysOf(const duckdb::SetPartitionedByInfo& info);

// Throws DuckDB's BinderException when a transform does not apply to its column's type
// (year of a VARCHAR); columns that do not exist are left to the transaction to report.
void CheckPartitionKeyTypes(duckdb::ClientContext& context, const TableInfo& table, const PartitionKeys& keys);

}  // namespace dlctl::lake
