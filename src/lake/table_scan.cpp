#include "lake/table_scan.h"

#include <fmt/format.h>

#include "lake/sql_quote.h"
#include "lake/types.h"
#include "util/error.h"

namespace dlctl::lake {

namespace {

constexpr int64_t kDeletePositionFieldId = 2147483645;
constexpr const char* kSnapshotColumn = "__ducklake_snapshot_id";

// Parquet columns are read under internal names, so a table column can never collide with the
// virtual columns file_index and file_row_number the delete filter uses.
std::string InternalName(const ColumnInfo& column) { return fmt::format("__ducklake_column_{}", column.column_id); }

template <typename File>
std::string FileList(const std::vector<const File*>& files) {
  std::string list = "[";
  for (const File* file : files) list += (list.size() > 1 ? ", " : "") + SqlLiteral(file->path);
  return list + "]";
}

// read_parquet's `schema`: Parquet field id (= column id) -> column name, type and the value
// for files written before the column existed (its initial_default).
std::string SchemaMap(const TableInfo& table, bool with_snapshot_column) {
  std::string map = "MAP{";
  for (const ColumnInfo& column : table.columns) {
    if (map.size() > 4) map += ", ";
    map += fmt::format("{}: {{name: {}, type: {}, default_value: {}}}", column.column_id,
                       SqlLiteral(InternalName(column)), SqlLiteral(DuckDBType(column)),
                       column.initial_default ? SqlLiteral(*column.initial_default) : "NULL");
  }
  if (with_snapshot_column)
    map +=
        fmt::format(", {}: {{name: '{}', type: 'BIGINT', default_value: NULL}}", kSnapshotIdFieldId, kSnapshotColumn);
  return map + "}";
}

std::string ReadParquet(const std::string& files, const std::string& schema_map) {
  // The partition column is inside the files: hive folders must not add a second one.
  return fmt::format("read_parquet({}, schema := {}, hive_partitioning := false)", files, schema_map);
}

std::string SelectList(const TableInfo& table, bool internal_names) {
  std::string list;
  for (const ColumnInfo& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += internal_names ? SqlIdentifier(InternalName(column)) + " AS " + SqlIdentifier(column.name)
                           : SqlIdentifier(column.name);
  }
  return list;
}

void CheckReadable(const TableInfo& table, const DataFileInfo& file) {
  if (file.format != "parquet")
    throw Error(
        fmt::format("table {} has a {} data file ({}); dlctl reads Parquet only", table.name, file.format, file.path));
  if (file.mapping_id)
    throw Error(fmt::format("table {} has a data file without field ids ({}); name-mapped files are not supported yet",
                            table.name, file.path));
  if (file.deletes && file.deletes->format != "parquet")
    throw Error(fmt::format("table {} has a {} delete file ({}); dlctl reads positional Parquet delete files only",
                            table.name, file.deletes->format, file.deletes->path));
}

// Rows of plan.filtered_files to drop: positions from delete files (for partial delete files
// only those deleted by the snapshot) and from inlined deletes, as (file_index, pos).
std::string DeletedPositions(const TableScanPlan& plan, SnapshotId snapshot, const InlinedRelations& inlined) {
  std::vector<std::string> parts;
  if (!plan.delete_files.empty()) {
    std::string map = fmt::format(
        "MAP{{{}: {{name: 'pos', type: 'BIGINT', default_value: NULL}}, "
        "{}: {{name: 'snapshot_id', type: 'BIGINT', default_value: NULL}}}}",
        kDeletePositionFieldId, kSnapshotIdFieldId);
    parts.push_back(fmt::format("SELECT file_index, pos FROM {} WHERE snapshot_id IS NULL OR snapshot_id <= {}",
                                ReadParquet(FileList(plan.delete_files), map), snapshot));
  }
  if (inlined.deletes) parts.push_back("SELECT file_index, pos FROM " + *inlined.deletes);
  std::string sql;
  for (const std::string& part : parts) sql += (sql.empty() ? "" : " UNION ALL ") + part;
  return sql;
}

std::string FilteredFilesSql(const TableInfo& table, const TableScanPlan& plan, SnapshotId snapshot,
                             const InlinedRelations& inlined) {
  bool per_row_snapshots = false;
  for (const DataFileInfo* file : plan.filtered_files)
    per_row_snapshots = per_row_snapshots || (file->partial_max && *file->partial_max > snapshot);
  std::string sql = fmt::format("SELECT {} FROM {} AS data", SelectList(table, true),
                                ReadParquet(FileList(plan.filtered_files), SchemaMap(table, per_row_snapshots)));
  std::string deleted = DeletedPositions(plan, snapshot, inlined);
  if (!deleted.empty())
    sql += fmt::format(
        " ANTI JOIN ({}) AS deleted ON data.file_index = deleted.file_index "
        "AND data.file_row_number = deleted.pos",
        deleted);
  // Files holding rows of several snapshots (flushed or merged): only rows committed by the snapshot.
  if (per_row_snapshots) sql += fmt::format(" WHERE data.{0} IS NULL OR data.{0} <= {1}", kSnapshotColumn, snapshot);
  return sql;
}

// No rows, the table's columns and types.
std::string EmptySql(const TableInfo& table) {
  std::string list;
  for (const ColumnInfo& column : table.columns)
    list += (list.empty() ? "" : ", ") +
            fmt::format("CAST(NULL AS {}) AS {}", DuckDBType(column), SqlIdentifier(column.name));
  return "SELECT " + list + " WHERE false";
}

}  // namespace

TableScanPlan PlanTableScan(const TableInfo& table, SnapshotId snapshot,
                            const std::unordered_set<int64_t>& inlined_deletes) {
  TableScanPlan plan;
  std::vector<const DataFileInfo*> filtered_without_delete_file;
  for (const DataFileInfo& file : table.files) {
    bool per_row_snapshots = file.partial_max && *file.partial_max > snapshot;
    if (file.deletes) {
      plan.filtered_files.push_back(&file);
      plan.delete_files.push_back(&*file.deletes);
    } else if (per_row_snapshots || inlined_deletes.count(file.id)) {
      filtered_without_delete_file.push_back(&file);
    } else {
      plan.plain_files.push_back(&file);
    }
  }
  plan.filtered_files.insert(plan.filtered_files.end(), filtered_without_delete_file.begin(),
                             filtered_without_delete_file.end());
  return plan;
}

std::string TableScanSql(const TableInfo& table, const TableScanPlan& plan, SnapshotId snapshot,
                         const InlinedRelations& inlined) {
  if (table.columns.empty()) throw Error(fmt::format("table {} has no columns", table.name));
  for (const DataFileInfo& file : table.files) CheckReadable(table, file);

  std::vector<std::string> parts;
  if (!plan.plain_files.empty())
    parts.push_back(fmt::format("SELECT {} FROM {}", SelectList(table, true),
                                ReadParquet(FileList(plan.plain_files), SchemaMap(table, false))));
  if (!plan.filtered_files.empty()) parts.push_back(FilteredFilesSql(table, plan, snapshot, inlined));
  for (const std::string& relation : inlined.data)
    parts.push_back(fmt::format("SELECT {} FROM {}", SelectList(table, false), relation));
  if (parts.empty()) return EmptySql(table);

  std::string sql;
  for (const std::string& part : parts) sql += (sql.empty() ? "" : " UNION ALL ") + part;
  return sql;
}

}  // namespace dlctl::lake
