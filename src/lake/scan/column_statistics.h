#pragma once
// DuckLake's column statistics (min/max as text, null counts) as DuckDB's own statistics
// objects: for the optimizer (a table's column bounds) and for pruning files, where DuckDB's
// table filters decide against a file's statistics whether any of its rows can match.
#include "duckdb/planner/table_filter.hpp"
#include "duckdb/storage/statistics/base_statistics.hpp"
#include "lake/metadata/catalog_model.h"
#include "lake/metadata/column_stats.h"

namespace dlctl::lake {

// Whether files can be pruned on this column: a top-level column of a type whose stats order
// the way DuckDB compares values (numbers, dates and times, text).
bool CanPrune(const ColumnInfo& column);

// True when no row of a file with `stats` can pass `filter` on `column`, whose DuckDB type is
// `type` (resolved once by the caller: parsing it per file cost more than the rest of pruning).
bool NoRowCanMatch(const ColumnInfo& column, const duckdb::LogicalType& type, const FileColumnStats& stats,
                   const duckdb::TableFilter& filter);

// The statistics of a column over a whole table, for the optimizer (nullptr when unknown).
duckdb::unique_ptr<duckdb::BaseStatistics> TableColumnStatistics(const ColumnInfo& column,
                                                                 const TableColumnStats& stats);

}  // namespace dlctl::lake
