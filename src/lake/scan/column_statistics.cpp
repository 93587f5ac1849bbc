#include "lake/scan/column_statistics.h"

#include <string_view>

#include "duckdb/storage/statistics/numeric_stats.hpp"
#include "duckdb/storage/statistics/string_stats.hpp"
#include "lake/catalog/types.h"

namespace dlctl::lake {

namespace {

enum class StatsKind { kNumeric, kFloat, kText, kNone };

StatsKind KindOf(const ColumnInfo& column) {
  if (!column.children.empty()) return StatsKind::kNone;
  const std::string& type = column.type;
  if (type == "float32" || type == "float64") return StatsKind::kFloat;
  if (type == "varchar") return StatsKind::kText;
  static const char* numeric[] = {"int8",      "int16",     "int32",        "int64",        "uint8",
                                  "uint16",    "uint32",    "uint64",       "date",         "time",
                                  "timestamp", "timestamptz", "timestamp_s", "timestamp_ms", "timestamp_ns"};
  for (const char* name : numeric)
    if (type == name) return StatsKind::kNumeric;
  if (type.rfind("decimal(", 0) == 0) return StatsKind::kNumeric;
  return StatsKind::kNone;
}

// Statistics of values between `min` and `max` (both as DuckLake writes them), and whether
// NULLs and non-NULL values occur. Throws when a bound does not parse as the type.
duckdb::BaseStatistics Build(const duckdb::LogicalType& type, StatsKind kind, const std::optional<std::string>& min,
                             const std::optional<std::string>& max, bool has_null, bool has_values) {
  duckdb::BaseStatistics stats = duckdb::BaseStatistics::CreateEmpty(type);
  if (has_values) {
    if (kind == StatsKind::kText) {
      duckdb::StringStats::SetMin(stats, duckdb::string_t(*min));
      duckdb::StringStats::SetMax(stats, duckdb::string_t(*max));
      // Only the bounds are known: lengths and character sets stay open, or DuckDB would
      // compress the strings into what the bounds suggest.
      duckdb::StringStats::ResetMaxStringLength(stats);
      duckdb::StringStats::SetContainsUnicode(stats);
    } else {
      duckdb::NumericStats::SetMin(stats, duckdb::Value(*min).DefaultCastAs(type));
      duckdb::NumericStats::SetMax(stats, duckdb::Value(*max).DefaultCastAs(type));
    }
    stats.SetHasNoNull();
  }
  if (has_null) stats.SetHasNull();
  return stats;
}

}  // namespace

bool CanPrune(const ColumnInfo& column) { return KindOf(column) != StatsKind::kNone; }

bool NoRowCanMatch(const ColumnInfo& column, const duckdb::LogicalType& type, const FileColumnStats& file,
                   const duckdb::TableFilter& filter) {
  StatsKind kind = KindOf(column);
  if (kind == StatsKind::kNone) return false;
  if (kind == StatsKind::kFloat && file.contains_nan.value_or(true)) return false;  // NaN lies outside min/max
  bool has_values = file.HasValues();
  if (has_values && (!file.min_value || !file.max_value)) return false;
  if (!file.null_count) return false;  // unknown: cannot tell whether IS NULL matches
  try {
    duckdb::BaseStatistics stats = Build(type, kind, file.min_value, file.max_value, *file.null_count > 0, has_values);
    return filter.CheckStatistics(stats) == duckdb::FilterPropagateResult::FILTER_ALWAYS_FALSE;
  } catch (const std::exception&) {
    return false;  // stats we cannot read prune nothing
  }
}

duckdb::unique_ptr<duckdb::BaseStatistics> TableColumnStatistics(const ColumnInfo& column,
                                                                 const TableColumnStats& table) {
  StatsKind kind = KindOf(column);
  if (kind == StatsKind::kNone || !table.min_value || !table.max_value) return nullptr;
  if (kind == StatsKind::kFloat && table.contains_nan.value_or(true)) return nullptr;
  try {
    duckdb::LogicalType type = duckdb::TransformStringToLogicalType(DuckDBType(column));
    return Build(type, kind, table.min_value, table.max_value, table.contains_null.value_or(true), true).ToUnique();
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace dlctl::lake
