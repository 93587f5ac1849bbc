#pragma once
// Pruning whole files by their partition values (spec notes §3, step 7): every row of a file
// written under a partitioning has, for each key, the key value the catalog records for the
// file. That bounds the key's column the way statistics do: an identity key is the column's
// only value; year, month, day and hour keys of one date or timestamp column bound it to a
// year, month, day or hour; a bucket key rules a file out for equality filters whose constants
// hash to other buckets.
#include "duckdb/planner/table_filter.hpp"
#include "lake/metadata/catalog_model.h"

namespace dlctl::lake {

// True when no row of a file written under `spec`, with partition `values`, can pass `filter`
// on `column`, whose DuckDB type is `type`.
bool PartitionRulesOut(duckdb::ClientContext& context, const ColumnInfo& column, const duckdb::LogicalType& type,
                       const PartitionSpec& spec, const FilePartitionValues& values,
                       const duckdb::TableFilter& filter);

}  // namespace dlctl::lake
