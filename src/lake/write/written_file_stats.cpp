#include "lake/write/written_file_stats.h"

#include <algorithm>
#include <optional>

#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

// One leaf or nested column as the written file knows it.
struct FileColumn {
  int64_t column_id = 0;
  std::string type;
  std::string stats_key;     // how the writer names it: "l"."element"
  std::string parquet_path;  // how parquet_metadata names it: l, list, element
  bool repeated = false;     // inside a list or map: value and null counts are per element
};

void CollectColumns(const ColumnInfo& column, const std::string& stats_prefix, const std::string& path_prefix,
                    bool repeated, std::vector<FileColumn>& out) {
  std::string stats_key = stats_prefix + SqlIdentifier(column.name);
  std::string path = path_prefix + column.name;
  out.push_back({column.column_id, column.type, stats_key, path, repeated});
  bool list = column.type == "list", map = column.type == "map";
  std::string child_path = path + (list ? ", list, " : map ? ", key_value, " : ", ");
  for (const auto& child : column.children)
    CollectColumns(child, stats_key + ".", child_path, repeated || list || map, out);
}

std::vector<FileColumn> FileColumns(const std::vector<ColumnInfo>& columns) {
  std::vector<FileColumn> out;
  for (const ColumnInfo& column : columns) CollectColumns(column, "", "", false, out);
  return out;
}

std::optional<int64_t> OptionalInt(const std::map<std::string, std::string>& stats, const char* name) {
  auto it = stats.find(name);
  if (it == stats.end()) return std::nullopt;
  return std::stoll(it->second);
}

std::optional<std::string> OptionalText(const std::map<std::string, std::string>& stats, const char* name) {
  auto it = stats.find(name);
  if (it == stats.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::vector<FileColumnStats> FileColumnStatsOf(const std::vector<ColumnInfo>& columns, const CopyStatistics& stats,
                                               int64_t record_count) {
  std::vector<FileColumnStats> out;
  for (const FileColumn& column : FileColumns(columns)) {
    auto found = stats.find(column.stats_key);
    if (found == stats.end()) continue;
    FileColumnStats& file = out.emplace_back();
    file.column_id = column.column_id;
    file.column_size_bytes = OptionalInt(found->second, "column_size_bytes");
    file.null_count = OptionalInt(found->second, "null_count");
    // Outside lists every row has one value or NULL; inside, the element count is unknown.
    if (file.null_count && !column.repeated) file.value_count = record_count - *file.null_count;
    file.min_value = OptionalText(found->second, "min");
    file.max_value = OptionalText(found->second, "max");
    if (auto nan = OptionalText(found->second, "has_nan")) file.contains_nan = *nan == "true";
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.column_id < b.column_id; });
  return out;
}

std::map<int64_t, std::string> BooleanColumnsWithoutBounds(const std::vector<ColumnInfo>& columns,
                                                           const std::vector<FileColumnStats>& stats) {
  std::map<int64_t, std::string> missing;
  for (const FileColumn& column : FileColumns(columns)) {
    if (column.type != "boolean") continue;
    for (const FileColumnStats& s : stats)
      if (s.column_id == column.column_id && !s.min_value && s.HasValues()) missing[s.column_id] = column.parquet_path;
  }
  return missing;
}

}  // namespace dlctl::lake
