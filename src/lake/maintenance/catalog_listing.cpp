#include "lake/maintenance/catalog_listing.h"

#include <string>

namespace dlctl::lake {
namespace {

std::optional<std::string> Number(int64_t n) { return std::to_string(n); }

QueryResult WithColumns(std::vector<std::pair<std::string, std::string>> columns) {
  QueryResult result;
  for (auto& [name, type] : columns) {
    result.columns.push_back(std::move(name));
    result.types.push_back(std::move(type));
  }
  return result;
}

}  // namespace

QueryResult ListSnapshots(CatalogReader& reader) {
  QueryResult result = WithColumns({{"snapshot_id", "BIGINT"},
                                    {"snapshot_time", "VARCHAR"},
                                    {"schema_version", "BIGINT"},
                                    {"changes_made", "VARCHAR"},
                                    {"author", "VARCHAR"},
                                    {"commit_message", "VARCHAR"}});
  for (const SnapshotInfo& s : reader.Snapshots())
    result.rows.push_back({Number(s.id), s.time, Number(s.schema_version), s.changes_made, s.author, s.commit_message});
  return result;
}

QueryResult ListTables(CatalogReader& reader, const SnapshotSelector& snapshot) {
  QueryResult result = WithColumns({{"schema", "VARCHAR"},
                                    {"table", "VARCHAR"},
                                    {"columns", "BIGINT"},
                                    {"data_files", "BIGINT"},
                                    {"delete_files", "BIGINT"},
                                    {"rows_in_files", "BIGINT"},
                                    {"bytes", "BIGINT"}});
  CatalogState state = reader.Load(snapshot);
  for (const SchemaInfo& schema : state.schemas) {
    for (const TableInfo& table : schema.tables) {
      int64_t delete_files = 0, rows = 0, bytes = 0;
      for (const DataFileInfo& file : table.files) {
        rows += file.record_count;
        bytes += file.file_size_bytes;
        if (file.deletes) {
          ++delete_files;
          rows -= file.deletes->delete_count;
          bytes += file.deletes->file_size_bytes;
        }
      }
      result.rows.push_back({schema.name, table.name, Number(static_cast<int64_t>(table.columns.size())),
                             Number(static_cast<int64_t>(table.files.size())), Number(delete_files), Number(rows),
                             Number(bytes)});
    }
  }
  return result;
}

QueryResult ListFiles(CatalogReader& reader, const SnapshotSelector& snapshot) {
  QueryResult result = WithColumns({{"schema", "VARCHAR"},
                                    {"table", "VARCHAR"},
                                    {"data_file_id", "BIGINT"},
                                    {"path", "VARCHAR"},
                                    {"record_count", "BIGINT"},
                                    {"file_size_bytes", "BIGINT"},
                                    {"delete_file", "VARCHAR"},
                                    {"deleted_rows", "BIGINT"}});
  CatalogState state = reader.Load(snapshot);
  for (const SchemaInfo& schema : state.schemas)
    for (const TableInfo& table : schema.tables)
      for (const DataFileInfo& file : table.files)
        result.rows.push_back({schema.name, table.name, Number(file.id), file.path, Number(file.record_count),
                               Number(file.file_size_bytes),
                               file.deletes ? std::optional<std::string>(file.deletes->path) : std::nullopt,
                               file.deletes ? Number(file.deletes->delete_count) : std::nullopt});
  return result;
}

}  // namespace dlctl::lake
