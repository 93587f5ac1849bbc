#include "lake/scan/partition_pruning.h"

#include <fmt/format.h>

#include <charconv>

#include "duckdb/planner/filter/conjunction_filter.hpp"
#include "duckdb/planner/filter/constant_filter.hpp"
#include "duckdb/planner/filter/in_filter.hpp"
#include "duckdb/planner/filter/optional_filter.hpp"
#include "lake/scan/column_statistics.h"
#include "lake/write/partition_keys.h"

namespace dlctl::lake {

namespace {

using Key = std::optional<std::string>;  // a file's value of a key (nullopt: NULL)

// A file whose column lies within [min, max], or holds only NULLs (no bounds).
FileColumnStats Bounds(const Key& min, const Key& max) {
  FileColumnStats stats;
  stats.null_count = min ? 0 : 1;
  stats.value_count = min ? 1 : 0;
  stats.min_value = min;
  stats.max_value = max;
  stats.contains_nan = min && (*min == "nan" || *min == "NaN");
  return stats;
}

std::optional<int64_t> Integer(const std::string& text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int DaysInMonth(int64_t year, int64_t month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

// The values a date or timestamp column can take in a file, from its year [month [day [hour]]]
// keys: [first, last] as text of the column's type; nullopt when the keys do not bound it.
std::optional<std::pair<std::string, std::string>> TemporalRange(const ColumnInfo& column,
                                                                 const std::map<TransformKind, int64_t>& parts) {
  bool timestamp = column.type == "timestamp";
  if (column.type != "date" && !timestamp) return std::nullopt;  // timestamptz keys depend on the writer's zone
  auto part = [&](TransformKind kind) -> std::optional<int64_t> {
    auto found = parts.find(kind);
    return found == parts.end() ? std::nullopt : std::optional<int64_t>(found->second);
  };
  auto year = part(TransformKind::kYear), month = part(TransformKind::kMonth), day = part(TransformKind::kDay),
       hour = part(TransformKind::kHour);
  if (!year || *year < 1 || *year > 9999) return std::nullopt;
  if (month && (*month < 1 || *month > 12)) return std::nullopt;
  if (day && (!month || *day < 1 || *day > DaysInMonth(*year, *month))) return std::nullopt;
  if (hour && (!day || !timestamp || *hour < 0 || *hour > 23)) hour.reset();
  int64_t first_month = month.value_or(1), last_month = month.value_or(12);
  int64_t first_day = day.value_or(1), last_day = day.value_or(DaysInMonth(*year, last_month));
  std::string first = fmt::format("{:04d}-{:02d}-{:02d}", *year, first_month, first_day);
  std::string last = fmt::format("{:04d}-{:02d}-{:02d}", *year, last_month, last_day);
  if (timestamp) {
    first += fmt::format(" {:02d}:00:00", hour.value_or(0));
    last += fmt::format(" {:02d}:59:59.999999", hour.value_or(23));
  }
  return std::make_pair(first, last);
}

// The constants an equality filter compares with (=, IN, and one side of an AND); false when
// the filter is something else.
bool EqualityConstants(const duckdb::TableFilter& filter, std::vector<duckdb::Value>& out) {
  switch (filter.filter_type) {
    case duckdb::TableFilterType::CONSTANT_COMPARISON: {
      auto& comparison = filter.Cast<duckdb::ConstantFilter>();
      if (comparison.comparison_type != duckdb::ExpressionType::COMPARE_EQUAL) return false;
      out.push_back(comparison.constant);
      return true;
    }
    case duckdb::TableFilterType::IN_FILTER:
      for (const auto& value : filter.Cast<duckdb::InFilter>().values) out.push_back(value);
      return true;
    case duckdb::TableFilterType::OPTIONAL_FILTER: {
      auto& child = filter.Cast<duckdb::OptionalFilter>().child_filter;
      return child && EqualityConstants(*child, out);
    }
    case duckdb::TableFilterType::CONJUNCTION_AND:
      for (const auto& child : filter.Cast<duckdb::ConjunctionAndFilter>().child_filters)
        if (EqualityConstants(*child, out)) return true;
      return false;
    default:
      return false;
  }
}

bool BucketRulesOut(duckdb::ClientContext& context, const duckdb::LogicalType& type,
                    const PartitionTransform& transform, const Key& value, const duckdb::TableFilter& filter) {
  std::vector<duckdb::Value> constants;
  if (!EqualityConstants(filter, constants)) return false;
  if (!value) return true;  // the file's column is all NULL: no equality matches
  for (const duckdb::Value& constant : constants) {
    duckdb::Value cast = constant;
    if (!cast.DefaultTryCastAs(type)) return false;
    duckdb::Value key = PartitionKeyOf(context, transform, cast);
    if (key.IsNull() || key.ToString() == *value) return false;
  }
  return true;
}

}  // namespace

bool PartitionRulesOut(duckdb::ClientContext& context, const ColumnInfo& column, const duckdb::LogicalType& type,
                       const PartitionSpec& spec, const FilePartitionValues& values,
                       const duckdb::TableFilter& filter) {
  try {
    std::map<TransformKind, int64_t> temporal;
    bool temporal_null = false;
    for (const PartitionField& field : spec.fields) {
      if (field.column_id != column.column_id) continue;
      auto found = values.find(field.key_index);
      if (found == values.end()) continue;  // no value recorded: nothing known
      const Key& value = found->second;
      switch (field.transform.kind) {
        case TransformKind::kIdentity:
          if (CanPrune(column) && NoRowCanMatch(column, type, Bounds(value, value), filter)) return true;
          break;
        case TransformKind::kBucket:
          if (BucketRulesOut(context, type, field.transform, value, filter)) return true;
          break;
        default:
          if (!value) {
            temporal_null = true;
          } else if (auto number = Integer(*value)) {
            temporal[field.transform.kind] = *number;
          }
      }
    }
    if (temporal_null) return NoRowCanMatch(column, type, Bounds(std::nullopt, std::nullopt), filter);
    if (auto range = TemporalRange(column, temporal))
      return NoRowCanMatch(column, type, Bounds(range->first, range->second), filter);
    return false;
  } catch (const std::exception&) {
    return false;  // values we cannot read prune nothing
  }
}

}  // namespace dlctl::lake
