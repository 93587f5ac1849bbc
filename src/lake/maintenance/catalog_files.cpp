#include "lake/maintenance/catalog_files.h"

#include <fmt/format.h>

#include <unordered_map>

#include "lake/metadata/catalog_paths.h"

namespace dlctl::lake {

namespace {

struct TablePlace {
  std::string name;  // schema.table
  std::string path;  // resolved, ends with '/'
};

// Each table id's folder and name. Paths never change after creation; of several rows of one
// table (renames, moves) the latest names it.
std::unordered_map<int64_t, TablePlace> TablePlaces(MetadataStore& store, const std::string& data_path) {
  struct SchemaPlace {
    std::string name, path;
  };
  std::unordered_map<int64_t, SchemaPlace> schemas;
  for (const Row& row : store.Query("SELECT schema_id, schema_name, path, path_is_relative FROM ducklake_schema "
                                    "ORDER BY begin_snapshot"))
    schemas[row.Int(0)] = {row.OptionalText(1).value_or(""),
                           WithSlash(ResolvePath(data_path, row.OptionalText(2).value_or(""), row.Bool(3)))};

  std::unordered_map<int64_t, TablePlace> tables;
  for (const Row& row : store.Query("SELECT table_id, schema_id, table_name, path, path_is_relative "
                                    "FROM ducklake_table ORDER BY begin_snapshot")) {
    const SchemaPlace& schema = schemas[row.Int(1)];
    std::string schema_path = schema.path.empty() ? data_path : schema.path;
    tables[row.Int(0)] = {schema.name + "." + row.OptionalText(2).value_or(""),
                          WithSlash(ResolvePath(schema_path, row.OptionalText(3).value_or(""), row.Bool(4)))};
  }
  return tables;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::vector<CatalogFile> ReferencedFiles(MetadataStore& store, const std::string& data_path) {
  auto tables = TablePlaces(store, data_path);
  std::vector<CatalogFile> files;
  auto add = [&](CatalogFile::Kind kind, const Row& row) {
    CatalogFile file;
    file.kind = kind;
    file.id = row.Int(0);
    file.table_id = row.Int(1);
    const TablePlace& table = tables[file.table_id];
    file.table = table.name;
    file.path = ResolvePath(table.path, row.OptionalText(2).value_or(""), row.Bool(3));
    file.size = row.OptionalInt(4).value_or(0);
    files.push_back(std::move(file));
  };
  for (const Row& row : store.Query("SELECT data_file_id, table_id, path, path_is_relative, file_size_bytes "
                                    "FROM ducklake_data_file ORDER BY data_file_id"))
    add(CatalogFile::Kind::kData, row);
  for (const Row& row : store.Query("SELECT delete_file_id, table_id, path, path_is_relative, file_size_bytes "
                                    "FROM ducklake_delete_file ORDER BY delete_file_id"))
    add(CatalogFile::Kind::kDelete, row);
  return files;
}

std::vector<ScheduledFile> ScheduledFiles(MetadataStore& store, const std::string& data_path) {
  std::vector<ScheduledFile> files;
  // Relative to the catalog's data path, not to a table's folder (spec notes §4).
  for (const Row& row : store.Query("SELECT data_file_id, path, path_is_relative, schedule_start "
                                    "FROM ducklake_files_scheduled_for_deletion ORDER BY data_file_id"))
    files.push_back({row.OptionalInt(0).value_or(0), ResolvePath(data_path, row.OptionalText(1).value_or(""), row.Bool(2)),
                     row.OptionalText(3).value_or("")});
  return files;
}

int64_t FileNameTimeMicros(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::string prefix = "ducklake-";
  // ducklake-xxxxxxxx-xxxx-7xxx-...: 48 bits of Unix milliseconds, then the version nibble.
  if (name.compare(0, prefix.size(), prefix) != 0 || name.size() < prefix.size() + 36) return -1;
  std::string uuid = name.substr(prefix.size(), 36);
  if (uuid[8] != '-' || uuid[13] != '-' || uuid[14] != '7') return -1;
  int64_t millis = 0;
  for (size_t i : {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12}) {
    int digit = HexDigit(uuid[i]);
    if (digit < 0) return -1;
    millis = millis * 16 + digit;
  }
  return millis * 1000;
}

}  // namespace dlctl::lake
