#pragma once
// One write transaction on a DuckLake catalog: it begins on the catalog as some snapshot shows
// it, queues DDL and data changes (each sees the ones before it), then Commit() writes them as
// ONE snapshot. Data files are written before they are registered here (by the engine's write
// operators, lake/write/*_operator); the catalog only learns of them at commit, so an abandoned
// or crashed transaction leaves orphan files and an untouched catalog.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lake/metadata/catalog_reader.h"
#include "lake/metadata/metadata_store.h"
#include "lake/write/change_set.h"
#include "storage/object_store.h"

namespace dlctl::lake {

struct ColumnDefinition {
  ColumnDefinition(std::string name, std::string type, std::optional<std::string> default_value = std::nullopt,
                   bool not_null = false)
      : name(std::move(name)), type(std::move(type)), default_value(std::move(default_value)), not_null(not_null) {}

  std::string name;
  std::string type;                          // DuckDB type: "INTEGER", "VARCHAR[]", "DECIMAL(18,3)"
  std::optional<std::string> default_value;  // the constant default as text, already of the column's type
  bool not_null = false;
};

struct WriteOptions {
  // Data files are closed past this size; unset: the catalog's target_file_size option, else
  // 512 MB, as DuckLake's.
  std::optional<uint64_t> target_file_size;
  // Where the data files live. When set, a transaction that does not commit removes the files
  // it wrote, and a commit removes those it wrote and then replaced; else they stay as orphans.
  std::shared_ptr<ObjectStore> store;
  // Test seam: runs after the data files are written, right before the metadata commit.
  std::function<void()> before_metadata_commit;
  // The data_inlining_row_limit of tables the catalog has no option for (the attach's, as the
  // extension's DATA_INLINING_ROW_LIMIT; unset: DuckDB's setting, else 10). inlining_limit.h.
  std::optional<uint64_t> data_inlining_row_limit;
};

// The columns a new table with these definitions gets, numbered as CreateTable numbers them.
std::vector<ColumnInfo> NewTableColumns(const std::vector<ColumnDefinition>& definitions);
// The folder (relative to its schema's, ending with '/') of a new table.
std::string TableFolder(const std::string& name, const std::string& uuid);

class LakeTransaction {
 public:
  // Begins on `base`, the catalog at the snapshot this transaction reads (with or without files).
  LakeTransaction(MetadataStore& store, CatalogState base, WriteOptions options = {});
  // Begins at the latest snapshot. `data_path_override` as for CatalogReader.
  explicit LakeTransaction(MetadataStore& store, std::optional<std::string> data_path_override = std::nullopt,
                           WriteOptions options = {});
  // Without a commit, the files written so far are removed (WriteOptions::store).
  ~LakeTransaction();
  LakeTransaction(const LakeTransaction&) = delete;
  LakeTransaction& operator=(const LakeTransaction&) = delete;

  // The catalog as this transaction sees it: the snapshot it began at plus its own changes.
  // Tables created here carry provisional (negative) ids.
  const CatalogState& state() const { return state_; }
  SnapshotId base_snapshot() const { return base_snapshot_; }
  MetadataStore& store() { return store_; }
  const WriteOptions& options() const { return options_; }
  // Bumped by every change of the catalog's shape (schemas, tables, views, columns, comments).
  uint64_t shape_version() const { return shape_version_; }

  void CreateSchema(const std::string& schema, bool if_not_exists = false);
  // A schema that holds tables or views is only dropped with `cascade`.
  void DropSchema(const std::string& schema, bool if_exists = false, bool cascade = false);

  // Returns the new table's (provisional) id. `uuid` is the table's (a new one when unset); its
  // folder is named after the table, or after the uuid when the name is not safe in a path.
  int64_t CreateTable(const std::string& schema, const std::string& table,
                      const std::vector<ColumnDefinition>& columns, bool if_not_exists = false,
                      std::optional<std::string> uuid = std::nullopt);
  void DropTable(const std::string& schema, const std::string& table, bool if_exists = false);
  void RenameTable(const std::string& schema, const std::string& table, const std::string& new_name);

  void AddColumn(const std::string& schema, const std::string& table, const ColumnDefinition& column,
                 bool if_not_exists = false);
  void DropColumn(const std::string& schema, const std::string& table, const std::string& column,
                  bool if_exists = false);
  void RenameColumn(const std::string& schema, const std::string& table, const std::string& column,
                    const std::string& new_name);

  // SET PARTITIONED BY: data files written from now on are split by `keys` (top-level columns
  // with their transforms, in key order); no keys = RESET PARTITIONED BY. Setting what is
  // already in force changes nothing.
  void SetPartitionedBy(const std::string& schema, const std::string& table,
                        const std::vector<std::pair<std::string, PartitionTransform>>& keys);

  // `sql` is the view's SELECT as it should be stored (DuckDB dialect).
  void CreateView(const std::string& schema, const std::string& view, const std::string& sql, bool or_replace = false,
                  std::optional<std::string> column_aliases = std::nullopt);
  void DropView(const std::string& schema, const std::string& view, bool if_exists = false);

  // COMMENT ON TABLE / VIEW / COLUMN; nullopt removes the comment.
  void CommentOnTable(const std::string& schema, const std::string& table, std::optional<std::string> comment);
  void CommentOnView(const std::string& schema, const std::string& view, std::optional<std::string> comment);
  void CommentOnColumn(const std::string& schema, const std::string& table, const std::string& column,
                       std::optional<std::string> comment);

  void SetCommitMessage(std::optional<std::string> author, std::optional<std::string> message,
                        std::optional<std::string> extra_info = std::nullopt);

  // --- data: files the engine wrote for this transaction --------------------------------------

  // Remembers a file written for this transaction, so a rollback removes it even when it is
  // never registered (a failed statement).
  void NoteWritten(const std::string& uri);
  // Registers new data files of table `table_id`. Files without rows are dropped (and removed).
  // Throws Error when a NOT NULL column received a NULL.
  void AppendFiles(int64_t table_id, std::vector<WrittenFile> files);
  // A committed data file gets `delete_file` (every deleted position, earlier ones included) in
  // place of the delete file it had.
  void ReplaceDeleteFile(int64_t table_id, int64_t data_file_id, WrittenFile delete_file);
  // Every row of a committed data file is deleted: the file ends.
  void DropDataFile(int64_t table_id, int64_t data_file_id);
  // Rows of a data file this transaction wrote are deleted: it gets `delete_file`, or, when no
  // row is left (nullopt), is not registered at all.
  void DeleteFromNewFile(int64_t table_id, const std::string& uri, std::optional<WrittenFile> delete_file);
  // Rows of an inlined data table of `table_id` are deleted (by row id): they end at the
  // commit's snapshot. Returns how many were not deleted here before.
  int64_t DeleteInlinedRows(int64_t table_id, const std::string& inlined_table, const std::vector<int64_t>& row_ids);
  // What this transaction changed in a table's data so far (nullptr: nothing).
  const TableDataChanges* DataChangesOf(int64_t table_id) const;

  // --- inlined data (spec notes §7) -------------------------------------------------------------

  // How many rows an insert into the table, or a delete from one of its data files, may keep in
  // the catalog instead of a Parquet file (inlining_limit.h); 0: never.
  uint64_t InliningRowLimit(int64_t table_id);
  // The same for inserted rows: 0 as well when the table's columns cannot be inlined.
  uint64_t InsertInliningRowLimit(int64_t table_id);
  // The same for a table about to be created in `schema` with these columns (CREATE TABLE AS).
  uint64_t InsertInliningRowLimit(const std::string& schema, const std::vector<ColumnInfo>& columns);
  // Rows one statement inserted into the table's inlined data; `rows.batch` is set here.
  // Throws Error when a NOT NULL column received a NULL.
  void AppendInlinedRows(int64_t table_id, InlinedRows rows);
  // Rows of a batch this transaction inlined are deleted again (by position in the batch).
  // Returns how many were still there.
  int64_t DeleteInlinedBatchRows(int64_t table_id, int64_t batch, const std::vector<int64_t>& positions);
  // Rows of a committed data file are deleted through the catalog (ducklake_inlined_delete_<table>)
  // instead of a delete file. Returns how many were not deleted here before.
  int64_t DeleteFileRowsInline(int64_t table_id, int64_t data_file_id, const std::vector<int64_t>& positions);

  // CALL <catalog>.set_option(key, value, ...): written at commit, without a snapshot of its own.
  void SetOption(OptionChange option);

  // ducklake_flush_inlined_data: `file` holds every row of `inlined_table` up to this
  // transaction's snapshot (with their snapshots and row ids), and its delete file those rows'
  // deletions; the rows leave the inlined table at commit.
  void FlushInlinedTable(int64_t table_id, const std::string& inlined_table, WrittenFile file);
  // The inlined deletes of one data file (and its earlier delete files) become one delete file.
  void FlushInlinedDeletes(int64_t table_id, FlushedDeletes deletes);
  // Whether this transaction flushes inlined data (and so rewrites what earlier snapshots read).
  bool Flushes() const;

  // The current table with this id (created here or committed), or nullptr.
  const TableInfo* FindTableById(int64_t table_id) const;

  // Writes every queued change as one snapshot and returns its id (the base snapshot when there
  // was nothing to write). Throws Error, committing nothing, when another writer's commit since
  // the base snapshot conflicts. The transaction is finished afterwards either way.
  SnapshotId Commit();

 private:
  SchemaInfo& FindSchema(const std::string& schema);
  TableInfo& FindTable(const std::string& schema, const std::string& table);
  TableInfo& TableById(int64_t table_id);
  ViewInfo& FindView(const std::string& schema, const std::string& view);
  SchemaInfo* SchemaOf(const TableInfo& table);
  void CheckNameFree(const SchemaInfo& schema, const std::string& name);
  void CheckOpen() const;
  int64_t NextProvisionalId() { return next_provisional_id_--; }

  int64_t NextColumnId(const TableInfo& table);
  void SetColumns(TableInfo& table, std::vector<ColumnInfo> columns);
  void ChangeColumns(TableInfo& table, const std::vector<int64_t>& ended, std::vector<ColumnInfo> added);

  void Tag(int64_t object_id, std::optional<int64_t> column_id, std::optional<std::string> value);
  void MarkAltered(const TableInfo& table, bool reshaped);
  void Reshaped() { ++shape_version_; }

  TableDataChanges& DataChanges(const TableInfo& table);
  void RemoveFiles(const std::vector<std::string>& uris);

  MetadataStore& store_;
  WriteOptions options_;
  CatalogState state_;
  SnapshotId base_snapshot_ = 0;
  ChangeSet changes_;
  std::map<int64_t, int64_t> next_column_ids_;  // per table, once a column was added here
  // Per table whose partitioning changed here: the partitioning it had before.
  std::map<int64_t, std::optional<PartitionSpec>> base_partitions_;
  std::vector<std::string> written_;            // every file this transaction wrote
  int64_t next_provisional_id_ = -1;
  int64_t next_inlined_batch_ = 0;
  uint64_t shape_version_ = 0;
  bool finished_ = false;
};

}  // namespace dlctl::lake
