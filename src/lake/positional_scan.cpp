#include "lake/positional_scan.h"

#include <fmt/format.h>

#include "lake/data_file_writer.h"
#include "lake/sql_quote.h"
#include "lake/types.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

constexpr int64_t kDeletePositionFieldId = 2147483645;
constexpr const char* kStoredRowId = "__ducklake_stored_row_id";

// Read under internal names: no table column can clash with file_index / file_row_number.
std::string InternalName(const ColumnInfo& column) { return fmt::format("__ducklake_column_{}", column.column_id); }

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : separator) + part;
  return joined;
}

// Field id -> column, by which read_parquet maps each file (renamed and added columns too), plus
// the row ids that UPDATE and compaction store in the file.
std::string SchemaMap(const TableInfo& table) {
  std::vector<std::string> entries;
  for (const ColumnInfo& column : table.columns)
    entries.push_back(fmt::format("{}: {{name: {}, type: {}, default_value: {}}}", column.column_id,
                                  SqlLiteral(InternalName(column)), SqlLiteral(DuckDBType(column)),
                                  column.initial_default ? SqlLiteral(*column.initial_default) : "NULL"));
  entries.push_back(
      fmt::format("{}: {{name: '{}', type: 'BIGINT', default_value: NULL}}", kRowIdFieldId, kStoredRowId));
  return "MAP{" + Join(entries, ", ") + "}";
}

void CheckRewritable(const TableInfo& table, const DataFileInfo& file) {
  if (file.format != "parquet" || file.mapping_id)
    throw Error(fmt::format("table {} has a data file dlctl cannot rewrite ({}): only Parquet files with field ids",
                            table.name, file.path));
  if (file.deletes && file.deletes->format != "parquet")
    throw Error(fmt::format("table {} has a {} delete file ({}); dlctl writes positional Parquet delete files only",
                            table.name, file.deletes->format, file.deletes->path));
}

// (file_index, pos) of the rows already deleted: by delete files and by inlined deletes.
std::string DeletedPositions(const std::vector<const DataFileInfo*>& files,
                             const std::vector<std::pair<int64_t, int64_t>>& inlined_deletes) {
  std::vector<std::string> paths, owners, inlined;
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i]->deletes) {
      owners.push_back(fmt::format("({}::UBIGINT, {}::UBIGINT)", paths.size(), i));
      paths.push_back(SqlLiteral(files[i]->deletes->path));
    }
    for (const auto& [file_id, position] : inlined_deletes)
      if (file_id == files[i]->id) inlined.push_back(fmt::format("({}::UBIGINT, {}::BIGINT)", i, position));
  }
  std::vector<std::string> parts;
  if (!paths.empty())
    parts.push_back(
        fmt::format("SELECT owners.data_index AS file_index, deletes.pos FROM read_parquet([{}], schema := MAP{{{}: "
                    "{{name: 'pos', type: 'BIGINT', default_value: NULL}}}}) AS deletes "
                    "JOIN (VALUES {}) AS owners(delete_index, data_index) ON deletes.file_index = owners.delete_index",
                    Join(paths, ", "), kDeletePositionFieldId, Join(owners, ", ")));
  if (!inlined.empty())
    parts.push_back("SELECT * FROM (VALUES " + Join(inlined, ", ") + ") AS inlined(file_index, pos)");
  return Join(parts, " UNION ALL ");
}

}  // namespace

std::string PositionalScanSql(const TableInfo& table, const std::vector<const DataFileInfo*>& files,
                              const std::vector<std::pair<int64_t, int64_t>>& inlined_deletes) {
  std::vector<std::string> columns;
  if (files.empty()) {
    for (const ColumnInfo& column : table.columns)
      columns.push_back(fmt::format("CAST(NULL AS {}) AS {}", DuckDBType(column), SqlIdentifier(column.name)));
    return fmt::format("SELECT {}, NULL::BIGINT AS {}, NULL::BIGINT AS {}, NULL::BIGINT AS {} WHERE false",
                       Join(columns, ", "), kFileIdColumn, kPositionColumn, kRowIdOfRowColumn);
  }
  for (const ColumnInfo& column : table.columns)
    columns.push_back(fmt::format("data.{} AS {}", SqlIdentifier(InternalName(column)), SqlIdentifier(column.name)));

  std::vector<std::string> paths, file_rows;
  for (size_t i = 0; i < files.size(); ++i) {
    CheckRewritable(table, *files[i]);
    paths.push_back(SqlLiteral(files[i]->path));
    file_rows.push_back(fmt::format("({}::UBIGINT, {}::BIGINT, {}::BIGINT)", i, files[i]->id, files[i]->row_id_start));
  }
  std::string sql = fmt::format(
      "SELECT {}, files.data_file_id AS {}, data.file_row_number AS {}, "
      "COALESCE(data.{}, files.row_id_start + data.file_row_number) AS {} "
      "FROM read_parquet([{}], schema := {}, hive_partitioning := false) AS data "
      "JOIN (VALUES {}) AS files(file_index, data_file_id, row_id_start) ON data.file_index = files.file_index",
      Join(columns, ", "), kFileIdColumn, kPositionColumn, kStoredRowId, kRowIdOfRowColumn, Join(paths, ", "),
      SchemaMap(table), Join(file_rows, ", "));

  std::string deleted = DeletedPositions(files, inlined_deletes);
  if (!deleted.empty())
    sql += fmt::format(
        " ANTI JOIN ({}) AS deleted ON data.file_index = deleted.file_index "
        "AND data.file_row_number = deleted.pos",
        deleted);
  return sql;
}

}  // namespace dlctl::lake
