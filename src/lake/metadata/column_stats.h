#pragma once
// Column statistics in DuckLake's encoding (spec notes §1.6): per data file as
// ducklake_file_column_stats stores them, and per table as ducklake_table_column_stats keeps
// them, widened file by file the way the official extension merges them.
#include <cstdint>
#include <optional>
#include <string>

namespace dlctl::lake {

struct FileColumnStats {
  int64_t column_id = 0;
  std::optional<int64_t> column_size_bytes;
  std::optional<int64_t> value_count;  // non-NULL values
  std::optional<int64_t> null_count;
  std::optional<std::string> min_value, max_value;
  std::optional<bool> contains_nan;  // set for floating point columns only

  // False when the file holds only NULLs in this column (then min/max say nothing).
  bool HasValues() const;
};

struct TableColumnStats {
  int64_t column_id = 0;
  std::optional<bool> contains_null, contains_nan;
  std::optional<std::string> min_value, max_value;

  // Stats of a table whose first data is this file.
  static TableColumnStats FromFile(const FileColumnStats& file);
  // Widens the bounds to cover `file` (never narrows); `type` is the column's DuckLake type.
  void Merge(const FileColumnStats& file, const std::string& type);
};

// Orders two stats values of a DuckLake type (<0, 0, >0): numbers by value, everything else
// (dates, timestamps, text, hex blobs, uuids) by their text, which sorts like the value.
int CompareStatsValues(const std::string& type, const std::string& a, const std::string& b);

}  // namespace dlctl::lake
