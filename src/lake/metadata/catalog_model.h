#pragma once
// A DuckLake catalog as seen at one snapshot: what the reader returns, what the binder turns
// into DuckDB objects and what the writer starts its changes from.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lake/metadata/partition_transform.h"

namespace dlctl::lake {

using SnapshotId = int64_t;

struct SnapshotInfo {
  SnapshotId id = 0;
  std::string time;  // as stored: "2026-11-25 14:21:18.293042+00"
  int64_t schema_version = 0;
  int64_t next_catalog_id = 0;
  int64_t next_file_id = 0;
  std::string changes_made;
  std::optional<std::string> author, commit_message, commit_extra_info;
};

struct ColumnInfo {
  int64_t column_id = 0;
  int64_t column_order = 0;
  std::string name;
  std::string type;  // DuckLake type name: "int32", "decimal(18,3)", "list", "struct", "map", ...
  std::optional<std::string> initial_default;  // value for rows written before the column existed
  std::optional<std::string> default_value;    // for new inserts (NULL and the text 'NULL' both mean none)
  bool nulls_allowed = true;
  std::vector<ColumnInfo> children;  // list: "element"; map: "key", "value"; struct: its fields
  std::optional<std::string> comment;
};

// One key of a table's partitioning (spec notes §1.7): the value of top-level column
// `column_id` through `transform`.
struct PartitionField {
  int64_t key_index = 0;  // partition_key_index: the key's position
  int64_t column_id = 0;
  PartitionTransform transform;

  bool operator==(const PartitionField& other) const {
    return key_index == other.key_index && column_id == other.column_id && transform == other.transform;
  }
};

// A ducklake_partition_info with its columns: what files written under `id` are split by.
struct PartitionSpec {
  int64_t id = 0;  // partition_id (provisional, negative, until committed)
  std::vector<PartitionField> fields;  // by key_index
};

// A data file's ducklake_file_partition_value rows: key index -> value (nullopt: NULL).
using FilePartitionValues = std::map<int64_t, std::optional<std::string>>;

struct DeleteFileInfo {
  int64_t id = 0;
  SnapshotId begin_snapshot = 0;
  std::string path;  // resolved: absolute path or s3:// URI
  std::string format = "parquet";  // or "puffin" (deletion vectors, experimental)
  int64_t delete_count = 0;
  int64_t file_size_bytes = 0;
  std::optional<int64_t> footer_size;
  std::optional<int64_t> partial_max;
};

struct DataFileInfo {
  int64_t id = 0;
  SnapshotId begin_snapshot = 0;
  std::string path;  // resolved: absolute path or s3:// URI
  std::string format = "parquet";
  std::optional<int64_t> file_order;
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  std::optional<int64_t> footer_size;
  int64_t row_id_start = 0;
  std::optional<int64_t> partition_id;
  std::optional<int64_t> mapping_id;
  std::optional<int64_t> partial_max;
  std::optional<DeleteFileInfo> deletes;  // the delete file valid at the snapshot, if any
};

struct InlinedColumn {
  int64_t column_id = 0;
  std::string name;  // as the inlined table names it (the column's name at that schema version)
};

struct InlinedTableInfo {
  std::string table_name;  // ducklake_inlined_data_<table_id>_<schema_version>
  int64_t schema_version = 0;
  std::vector<InlinedColumn> columns;  // the table's top-level columns at that schema version, in order
};

struct TableInfo {
  int64_t id = 0;
  std::string uuid;
  SnapshotId begin_snapshot = 0;
  std::string name;
  std::string path;  // resolved, ends with '/'
  std::vector<ColumnInfo> columns;  // top level, by column_order
  std::optional<PartitionSpec> partition;  // the partitioning in force (none: unpartitioned)
  std::vector<DataFileInfo> files;  // by file_order, then data_file_id
  std::vector<InlinedTableInfo> inlined_tables;
  bool has_inlined_deletes = false;  // ducklake_inlined_delete_<table_id> exists
  std::optional<std::string> comment;
};

struct ViewInfo {
  int64_t id = 0;
  std::string uuid;
  std::string name;
  std::string dialect;
  std::string sql;
  std::optional<std::string> column_aliases;
  std::optional<std::string> comment;
};

struct SchemaInfo {
  int64_t id = 0;
  std::string uuid;
  std::string name;
  std::string path;  // resolved, ends with '/'
  std::vector<TableInfo> tables;
  std::vector<ViewInfo> views;
};

struct CatalogState {
  SnapshotInfo snapshot;
  std::string data_path;  // ends with '/'
  std::vector<SchemaInfo> schemas;
  bool with_files = true;  // false: tables' files are not loaded (CatalogReader::LoadTableFiles)

  const SchemaInfo* FindSchema(const std::string& name) const;
  const TableInfo* FindTable(const std::string& schema, const std::string& table) const;
  const ViewInfo* FindView(const std::string& schema, const std::string& view) const;
};

// Which snapshot to read: an id, a time ("2026-11-25 14:21:18" or ISO form), or the latest.
struct SnapshotSelector {
  std::optional<SnapshotId> id;
  std::optional<std::string> at_time;
};

}  // namespace dlctl::lake
