#pragma once
// The catalog rows of a Parquet file DuckDB's writer produced for a lake table (spec notes §5):
// the column statistics it returned, keyed by column path, turned into DuckLake's per-column
// stats (by column id, in DuckLake's encoding).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lake/metadata/catalog_model.h"
#include "lake/metadata/column_stats.h"

namespace dlctl::lake {

// The hidden column that keeps the row ids of rewritten rows (UPDATE), and its field id.
inline constexpr const char* kRowIdColumn = "_ducklake_internal_row_id";
inline constexpr int64_t kRowIdFieldId = 2147483540;
// The hidden column that keeps each row's snapshot in a file of several snapshots (flushed
// inlined rows, a delete file's deletions), and its field id.
inline constexpr const char* kSnapshotIdColumn = "_ducklake_internal_snapshot_id";
inline constexpr int64_t kSnapshotIdFieldId = 2147483539;

// Column path as the writer names it ("id", "l"."element") -> statistic -> value.
using CopyStatistics = std::map<std::string, std::map<std::string, std::string>>;

// The stats of every column (children included) the writer reported, sorted by column id.
std::vector<FileColumnStats> FileColumnStatsOf(const std::vector<ColumnInfo>& columns, const CopyStatistics& stats,
                                               int64_t record_count);

// Boolean columns with values but no bounds (DuckDB 1.4's writer reports none for booleans):
// column id -> the column's path in the Parquet schema ("b", "s, b"), to read from the footer.
std::map<int64_t, std::string> BooleanColumnsWithoutBounds(const std::vector<ColumnInfo>& columns,
                                                           const std::vector<FileColumnStats>& stats);

}  // namespace dlctl::lake
