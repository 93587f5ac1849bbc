#include "lake/scan/column_statistics.h"

#include <string_view>

#include "duckdb/common/operator/cast_operators.hpp"
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

template <typename T>
duckdb::Value ParsedBound(const std::string& text) {
  T value;
  if (!duckdb::TryCast::Operation<duckdb::string_t, T>(duckdb::string_t(text), value, false))
    throw duckdb::ConversionException("statistics bound \"%s\" does not parse", text);
  return duckdb::Value::CreateValue(value);
}

// A bound as DuckLake writes it, as a value of `type`. Integers and dates (most keys) are parsed
// by the function DuckDB's string cast calls; the generic cast looks that function up again for
// each value, which was most of the cost of pruning a thousand files.
duckdb::Value Bound(const std::string& text, const duckdb::LogicalType& type) {
  switch (type.id()) {
    case duckdb::LogicalTypeId::TINYINT: return ParsedBound<int8_t>(text);
    case duckdb::LogicalTypeId::SMALLINT: return ParsedBound<int16_t>(text);
    case duckdb::LogicalTypeId::INTEGER: return ParsedBound<int32_t>(text);
    case duckdb::LogicalTypeId::BIGINT: return ParsedBound<int64_t>(text);
    case duckdb::LogicalTypeId::UTINYINT: return ParsedBound<uint8_t>(text);
    case duckdb::LogicalTypeId::USMALLINT: return ParsedBound<uint16_t>(text);
    case duckdb::LogicalTypeId::UINTEGER: return ParsedBound<uint32_t>(text);
    case duckdb::LogicalTypeId::UBIGINT: return ParsedBound<uint64_t>(text);
    case duckdb::LogicalTypeId::DATE: return ParsedBound<duckdb::date_t>(text);
    default: return duckdb::Value(text).DefaultCastAs(type);
  }
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
      duckdb::NumericStats::SetMin(stats, Bound(*min, type));
      duckdb::NumericStats::SetMax(stats, Bound(*max, type));
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
