#include "lake/metadata/column_stats.h"

#include <cmath>
#include <cstdlib>
#include <string_view>

namespace dlctl::lake {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool IsIntegerType(const std::string& type) {
  for (const char* name : {"int8", "int16", "int32", "int64", "int128", "uint8", "uint16", "uint32", "uint64", "uint128"})
    if (type == name) return true;
  return false;
}

// Parquet stats keep booleans as 0/1, inlined rows' stats as false/true (DuckDB's text).
int CompareBooleanText(const std::string& a, const std::string& b) {
  auto value = [](const std::string& v) { return v == "1" || v == "true" ? 1 : 0; };
  return value(a) - value(b);
}

bool IsFloatType(const std::string& type) { return type == "float32" || type == "float64"; }

bool IsTemporalType(const std::string& type) {
  return type == "date" || StartsWith(type, "timestamp") || StartsWith(type, "time");
}

int Sign(int c) { return (c > 0) - (c < 0); }

// Exact comparison of decimal texts ("-12.50", "3", "0.001") of any length.
int CompareDecimalText(std::string_view a, std::string_view b) {
  bool negative_a = !a.empty() && a[0] == '-', negative_b = !b.empty() && b[0] == '-';
  if (negative_a != negative_b) return negative_a ? -1 : 1;
  if (negative_a) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  auto split = [](std::string_view text, std::string_view& whole, std::string_view& fraction) {
    size_t dot = text.find('.');
    whole = text.substr(0, dot);
    fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
    while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  };
  std::string_view whole_a, fraction_a, whole_b, fraction_b;
  split(a, whole_a, fraction_a);
  split(b, whole_b, fraction_b);
  int magnitude =
      whole_a.size() != whole_b.size() ? (whole_a.size() < whole_b.size() ? -1 : 1) : Sign(whole_a.compare(whole_b));
  if (magnitude == 0) magnitude = Sign(fraction_a.compare(fraction_b));
  return negative_a ? -magnitude : magnitude;
}

// NaN sorts above every number, as DuckDB orders floats (inlined rows' stats may hold "nan").
int CompareFloatText(const std::string& a, const std::string& b) {
  double x = std::strtod(a.c_str(), nullptr), y = std::strtod(b.c_str(), nullptr);
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
  return (x > y) - (x < y);
}

// Dates and timestamps sort by their text, except the infinities.
int CompareTemporalText(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& v) { return v == "-infinity" ? -1 : v == "infinity" ? 1 : 0; };
  int ra = rank(a), rb = rank(b);
  if (ra != 0 || rb != 0) return Sign(ra - rb);
  return Sign(a.compare(b));
}

}  // namespace

int CompareStatsValues(const std::string& type, const std::string& a, const std::string& b) {
  if (type == "boolean") return CompareBooleanText(a, b);
  if (IsIntegerType(type) || StartsWith(type, "decimal")) return CompareDecimalText(a, b);
  if (IsFloatType(type)) return CompareFloatText(a, b);
  if (IsTemporalType(type)) return CompareTemporalText(a, b);
  return Sign(a.compare(b));
}

bool FileColumnStats::HasValues() const { return min_value || max_value || !value_count || *value_count > 0; }

TableColumnStats TableColumnStats::FromFile(const FileColumnStats& file) {
  TableColumnStats stats;
  stats.column_id = file.column_id;
  if (file.null_count) stats.contains_null = *file.null_count > 0;
  stats.contains_nan = file.contains_nan;
  stats.min_value = file.min_value;
  stats.max_value = file.max_value;
  return stats;
}

void TableColumnStats::Merge(const FileColumnStats& file, const std::string& type) {
  // An unknown count or flag on either side makes the merged one unknown.
  if (!file.null_count)
    contains_null.reset();
  else if (contains_null)
    contains_null = *contains_null || *file.null_count > 0;
  if (!file.contains_nan)
    contains_nan.reset();
  else if (contains_nan)
    contains_nan = *contains_nan || *file.contains_nan;

  if (!file.HasValues()) return;
  if (!min_value && !max_value) {  // only NULLs so far: take the file's bounds
    min_value = file.min_value;
    max_value = file.max_value;
    return;
  }
  if (!file.min_value)
    min_value.reset();
  else if (min_value && CompareStatsValues(type, *file.min_value, *min_value) < 0)
    min_value = file.min_value;
  if (!file.max_value)
    max_value.reset();
  else if (max_value && CompareStatsValues(type, *file.max_value, *max_value) > 0)
    max_value = file.max_value;
}

}  // namespace dlctl::lake
