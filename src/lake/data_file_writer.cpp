#include "lake/data_file_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "lake/copy_statistics.h"
#include "lake/sql_quote.h"
#include "util/error.h"
#include "util/uuid.h"

namespace dlctl::lake {
namespace {

constexpr int64_t kDeletePathFieldId = 2147483646;
constexpr int64_t kDeletePositionFieldId = 2147483645;

// One leaf or nested column as the written file knows it.
struct FileColumn {
  int64_t column_id = 0;
  std::string type;
  std::string stats_key;     // how RETURN_STATS names it: "l"."element"
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

// FIELD_IDS {'a': 1, 'l': {'__duckdb_field_id': 3, 'element': 4}}
std::string FieldIds(const ColumnInfo& column) {
  if (column.children.empty()) return std::to_string(column.column_id);
  std::string ids = "{'__duckdb_field_id': " + std::to_string(column.column_id);
  for (const auto& child : column.children) ids += ", " + SqlLiteral(child.name) + ": " + FieldIds(child);
  return ids + "}";
}

int64_t ToInt(const std::optional<std::string>& text, const char* what) {
  try {
    if (text) return std::stoll(*text);
  } catch (const std::exception&) {
  }
  throw Error(std::string("DuckDB returned no ") + what + " for a written file");
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

FileColumnStats ToFileStats(const FileColumn& column, const std::map<std::string, std::string>& stats,
                            int64_t record_count) {
  FileColumnStats out;
  out.column_id = column.column_id;
  out.column_size_bytes = OptionalInt(stats, "column_size_bytes");
  out.null_count = OptionalInt(stats, "null_count");
  // Outside lists every row has one value or NULL; inside, the element count is unknown.
  if (out.null_count && !column.repeated) out.value_count = record_count - *out.null_count;
  out.min_value = OptionalText(stats, "min");
  out.max_value = OptionalText(stats, "max");
  if (auto nan = OptionalText(stats, "has_nan")) out.contains_nan = *nan == "true";
  return out;
}

// DuckDB 1.4's writer reports no bounds for booleans; the file footer has them (0/1 in
// DuckLake's encoding).
void AddBooleanBounds(Engine& engine, const std::string& uri, const std::vector<FileColumn>& columns,
                      std::vector<FileColumnStats>& stats) {
  std::map<std::string, FileColumnStats*> missing;
  for (auto& s : stats)
    for (const auto& column : columns)
      if (column.column_id == s.column_id && column.type == "boolean" && !s.min_value && s.HasValues())
        missing[column.parquet_path] = &s;
  if (missing.empty()) return;
  auto result = engine.Query(
      fmt::format("SELECT path_in_schema, min(stats_min_value), max(stats_max_value) FROM parquet_metadata({}) "
                  "WHERE type = 'BOOLEAN' GROUP BY path_in_schema",
                  SqlLiteral(uri)));
  for (const auto& row : result.rows) {
    auto it = missing.find(row[0].value_or(""));
    if (it == missing.end()) continue;
    auto bit = [](const std::optional<std::string>& v) -> std::optional<std::string> {
      if (!v) return std::nullopt;
      return *v == "true" ? "1" : "0";
    };
    it->second->min_value = bit(row[1]);
    it->second->max_value = bit(row[2]);
  }
}

std::string FileName(const std::string& uri) { return uri.substr(uri.find_last_of('/') + 1); }

// DuckDB creates only the last level of a local output folder; on s3:// folders are prefixes.
void PrepareFolder(const std::string& folder) {
  if (folder.rfind("s3://", 0) == 0) return;
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw Error("cannot create data folder " + folder + ": " + ec.message());
}

}  // namespace

std::vector<WrittenFile> WriteDataFiles(Engine& engine, const std::string& select_sql, const std::string& folder,
                                        const std::vector<ColumnInfo>& columns, bool with_row_ids,
                                        const DataFileOptions& options) {
  std::string field_ids;
  std::vector<FileColumn> file_columns;
  for (const auto& column : columns) {
    field_ids += (field_ids.empty() ? "" : ", ") + SqlLiteral(column.name) + ": " + FieldIds(column);
    CollectColumns(column, "", "", false, file_columns);
  }
  if (with_row_ids) field_ids += fmt::format(", '{}': {}", kRowIdColumn, kRowIdFieldId);

  // A folder target with FILE_SIZE_BYTES streams into as many files as the size asks for;
  // APPEND keeps the files already there.
  PrepareFolder(folder);
  std::string folder_target = folder.back() == '/' ? folder.substr(0, folder.size() - 1) : folder;
  auto result =
      engine.Query(fmt::format("COPY ({}) TO {} (FORMAT parquet, FIELD_IDS {{{}}}, RETURN_STATS, FILE_SIZE_BYTES {}, "
                               "FILENAME_PATTERN 'ducklake-{{uuidv7}}', APPEND)",
                               select_sql, SqlLiteral(folder_target), field_ids, options.target_file_size));

  std::vector<WrittenFile> files;
  for (const auto& row : result.rows) {
    WrittenFile file;
    file.uri = row.at(0).value_or("");
    file.name = FileName(file.uri);
    file.record_count = ToInt(row.at(1), "row count");
    file.file_size_bytes = ToInt(row.at(2), "file size");
    file.footer_size = ToInt(row.at(3), "footer size");
    CopyStatistics stats = ParseCopyStatistics(row.at(4).value_or("{}"));
    for (const auto& column : file_columns) {
      auto it = stats.find(column.stats_key);
      if (it != stats.end()) file.column_stats.push_back(ToFileStats(column, it->second, file.record_count));
    }
    AddBooleanBounds(engine, file.uri, file_columns, file.column_stats);
    std::sort(file.column_stats.begin(), file.column_stats.end(),
              [](const auto& a, const auto& b) { return a.column_id < b.column_id; });
    files.push_back(std::move(file));
  }
  return files;
}

WrittenFile WriteDeleteFile(Engine& engine, const std::string& positions_sql, const std::string& data_file_uri,
                            const std::string& folder) {
  WrittenFile file;
  file.name = "ducklake-" + UuidV7() + "-delete.parquet";
  file.uri = folder + file.name;
  PrepareFolder(folder);
  auto result = engine.Query(fmt::format(
      "COPY (SELECT {}::VARCHAR AS file_path, pos::BIGINT AS pos FROM ({}) ORDER BY pos) TO {} "
      "(FORMAT parquet, FIELD_IDS {{'file_path': {}, 'pos': {}}}, RETURN_STATS)",
      SqlLiteral(data_file_uri), positions_sql, SqlLiteral(file.uri), kDeletePathFieldId, kDeletePositionFieldId));
  if (result.rows.size() != 1) throw Error("writing delete file " + file.uri + " returned no file");
  file.record_count = ToInt(result.rows[0].at(1), "row count");
  file.file_size_bytes = ToInt(result.rows[0].at(2), "file size");
  file.footer_size = ToInt(result.rows[0].at(3), "footer size");
  return file;
}

}  // namespace dlctl::lake
