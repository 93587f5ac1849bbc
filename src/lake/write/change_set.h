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
#include "lake/metadata/metadata_store.h"
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
  // Rows of several snapshots (flushed inlined rows, with a per-row snapshot column): the file
  // is visible from the oldest row's snapshot on, its newest row's snapshot is partial_max, and
  // its rows keep their ids (row_id_start is the smallest). Unset: the commit's snapshot.
  std::optional<SnapshotId> begin_snapshot, partial_max;
  std::optional<int64_t> row_id_start;
};

// Rows one statement inserted into a table's inlined data (spec notes §7), kept by the
// transaction until the commit writes them into the table's inlined data table.
struct InlinedRows {
  int64_t batch = 0;                   // names the rows in scans of the transaction
  std::vector<int64_t> column_ids;     // the top-level columns each row has a value for
  std::vector<std::vector<Value>> rows;  // as the catalog database keeps them (InlinedStorageOf)
  // An UPDATE's new version keeps its row's id; new rows (nullopt) get ids at commit.
  std::vector<std::optional<int64_t>> row_ids;
  std::vector<bool> deleted;  // deleted again by a later statement of the transaction
  // Per column id (children included), widened into the table's statistics at commit.
  std::vector<FileColumnStats> stats;

  int64_t LiveRows() const;
};

struct NewDeleteFile {
  int64_t data_file_id = 0;  // the file whose rows it deletes; replaces that file's delete file
  WrittenFile file;          // record_count = positions deleted (old ones included)
};

// A data file's whole deletion history as one delete file with a snapshot column, made by a
// flush of its inlined deletes.
struct FlushedDeletes {
  int64_t data_file_id = 0;
  WrittenFile file;  // begin_snapshot: the first deletion; partial_max: the last
  // The delete files it replaces (every one the data file had): id -> path as
  // ducklake_files_scheduled_for_deletion keeps it, and whether that is relative to the data path.
  std::map<int64_t, std::pair<std::string, bool>> replaced;
};

struct TableDataChanges {
  std::vector<WrittenFile> data_files;
  std::vector<NewDeleteFile> delete_files;
  std::vector<int64_t> dropped_files;           // data files whose every row is deleted: they end instead
  // Rows of inlined data tables that end at the commit: table name -> row ids (sorted).
  std::map<std::string, std::vector<int64_t>> inlined_deletes;
  std::vector<InlinedRows> inlined_inserts;
  // Rows of committed data files deleted through the catalog (ducklake_inlined_delete_<table>):
  // data file id -> positions (sorted).
  std::map<int64_t, std::vector<int64_t>> inlined_file_deletes;
  // ducklake_flush_inlined_data: `data_files` above (with their snapshots) hold the flushed
  // rows; these inlined data tables lose their rows of the transaction's snapshot and before,
  // and these data files get their whole deletion history as one delete file (replacing every
  // delete file they had and their rows in ducklake_inlined_delete_<table>).
  std::vector<std::string> flushed_inlined_tables;
  std::vector<FlushedDeletes> flushed_deletes;
  std::map<int64_t, std::string> column_types;  // column id (children too) -> DuckLake type

  bool InsertsInlined() const;
  bool Flushes() const { return !flushed_inlined_tables.empty() || !flushed_deletes.empty(); }
};

// CALL <catalog>.set_option(...): a ducklake_metadata row, written at commit without a snapshot.
struct OptionChange {
  std::string key, value;
  std::optional<std::string> scope;  // "schema", "table" or global (nullopt)
  std::optional<int64_t> scope_id;
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
  std::vector<OptionChange> options;
  // The schema and columns at commit of every table the commit writes inlined rows for or gives
  // a new layout (by the ids above, provisional for created tables).
  struct TableLayout {
    int64_t schema_id = 0;
    std::vector<ColumnInfo> columns;
  };
  std::map<int64_t, TableLayout> layouts;
  // The data_inlining_row_limit of tables without one in ducklake_metadata (the attach's, else
  // DuckDB's setting, else 10): a table that can inline gets an inlined data table for each of
  // its layouts, as the extension does.
  uint64_t default_inlining_row_limit = 10;

  // No snapshot to write (options may still be).
  bool empty() const;
  // Schema, table, view or column changes: the commit bumps schema_version.
  bool ChangesSchema() const;
  // The changes_made summary, with provisional ids replaced through `committed` (ids that are
  // not in it stay as they are).
  SnapshotChanges Summarize(const std::map<int64_t, int64_t>& committed = {}) const;
};

}  // namespace dlctl::lake
