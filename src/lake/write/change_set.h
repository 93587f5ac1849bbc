#pragma once
// What one write transaction changes in a DuckLake catalog, recorded as it runs and written as
// one snapshot at commit. Objects created in the transaction carry provisional negative ids
// until the commit hands out real ones from next_catalog_id.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lake/metadata/catalog_model.h"
#include "lake/metadata/column_stats.h"
#include "lake/metadata/snapshot_changes.h"

namespace dlctl::lake {

inline bool IsProvisionalId(int64_t id) { return id < 0; }

struct NewSchema {
  int64_t id = 0;  // provisional
  std::string name, uuid, path;
};

// A ducklake_table row: a table created here (provisional id) or the next version of an
// existing table after a rename (same id, uuid and path).
struct NewTableVersion {
  int64_t id = 0;
  int64_t schema_id = 0;  // may be provisional
  std::string schema_name, name, uuid, path;
  bool path_is_relative = true;  // relative to the schema's path
  bool created = false;
};

struct NewView {
  int64_t id = 0;  // provisional
  int64_t schema_id = 0;
  std::string schema_name, name, uuid, sql;
  std::string column_aliases;  // as the extension stores them: "a","b" (empty: none)
};

// One ducklake_tag or ducklake_column_tag change: the current value ends, `value` (if any)
// begins. DuckLake keeps comments as the key "comment".
struct TagChange {
  int64_t object_id = 0;             // schema, table or view id; the table id for column tags
  std::optional<int64_t> column_id;  // set for column tags
  std::string key;
  std::optional<std::string> value;
};

// A Parquet file written by this transaction, ready to be registered.
struct WrittenFile {
  std::string name;  // relative to the table folder: ducklake-<uuidv7>.parquet
  std::string uri;   // where it was written
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  int64_t footer_size = 0;
  std::vector<FileColumnStats> column_stats;  // data files only, by column id
  // A data file of a partitioned table: the partitioning it was written under (provisional when
  // set in this transaction) and its value of each key, by key index (nullopt: NULL).
  std::optional<int64_t> partition_id;
  std::vector<std::optional<std::string>> partition_values;
  // A new data file whose rows were partly deleted in the same transaction: its delete file
  // (at most one), registered with it.
  std::vector<WrittenFile> deletes;
};

struct NewDeleteFile {
  int64_t data_file_id = 0;  // the file whose rows it deletes; replaces that file's delete file
  WrittenFile file;          // record_count = positions deleted (old ones included)
};

struct TableDataChanges {
  std::vector<WrittenFile> data_files;
  std::vector<NewDeleteFile> delete_files;
  std::vector<int64_t> dropped_files;           // data files whose every row is deleted: they end instead
  // Rows of inlined data tables that end at the commit: table name -> row ids (sorted).
  std::map<std::string, std::vector<int64_t>> inlined_deletes;
  std::map<int64_t, std::string> column_types;  // column id (children too) -> DuckLake type
};

struct ChangeSet {
  std::vector<NewSchema> new_schemas;
  std::vector<NewTableVersion> new_tables;
  std::vector<NewView> new_views;
  // Committed ids of dropped objects -> their names ("dsn", "dsn"."t"), for conflict checks.
  std::map<int64_t, std::string> dropped_schemas, dropped_tables, dropped_views;

  // Column versions of existing tables: rows to end (column ids, children included), rows to
  // add (top-level columns with their children). Columns of created tables are in
  // `created_columns`.
  std::map<int64_t, std::set<int64_t>> ended_columns;
  std::map<int64_t, std::vector<ColumnInfo>> new_columns;
  std::map<int64_t, std::vector<ColumnInfo>> created_columns;  // by provisional table id

  std::vector<TagChange> tags;

  // SET / RESET PARTITIONED BY: the table's new partitioning, by table id (no fields: reset).
  std::map<int64_t, PartitionSpec> partitions;

  // Tables whose definition changed (ALTER, COMMENT): altered_table in the summary.
  std::set<int64_t> altered_tables, altered_views;
  // Tables whose columns changed: they get a ducklake_schema_versions row (created ones too).
  std::set<int64_t> reshaped_tables;

  std::map<int64_t, TableDataChanges> data;  // by table id (provisional for created tables)

  // "dsn"."t" for every table and view id above, for conflict messages.
  std::map<int64_t, std::string> display_names;

  std::optional<std::string> author, commit_message, commit_extra_info;

  bool empty() const;
  // Schema, table, view or column changes: the commit bumps schema_version.
  bool ChangesSchema() const;
  // The changes_made summary, with provisional ids replaced through `committed` (ids that are
  // not in it stay as they are).
  SnapshotChanges Summarize(const std::map<int64_t, int64_t>& committed = {}) const;
};

}  // namespace dlctl::lake
