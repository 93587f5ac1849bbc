#pragma once
// Writing to a DuckLake catalog from C++ (what transform uses, and what `dlctl query` routes
// lake statements to): begin at the latest snapshot, queue DDL and data changes (each sees the
// ones before it), then Commit() them as ONE snapshot. Data is written as Parquet files while
// the operations run; the catalog only learns of them at commit, so an abandoned or crashed
// transaction leaves orphan files and an untouched catalog.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "lake/catalog_reader.h"
#include "lake/change_set.h"
#include "lake/data_file_writer.h"
#include "lake/metadata_store.h"
#include "storage/object_store.h"

namespace dlctl::lake {

struct ColumnDefinition {
  ColumnDefinition(std::string name, std::string type, std::optional<std::string> default_value = std::nullopt,
                   bool not_null = false)
      : name(std::move(name)), type(std::move(type)), default_value(std::move(default_value)), not_null(not_null) {}

  std::string name;
  std::string type;                          // DuckDB type: "INTEGER", "VARCHAR[]", "DECIMAL(18,3)"
  std::optional<std::string> default_value;  // a constant SQL expression: "1.5", "'n/a'"
  bool not_null = false;
};

struct WriteOptions {
  // Data files are closed past this size; unset: the catalog's target_file_size option, else
  // DataFileOptions' default (512 MB, as DuckLake's).
  std::optional<uint64_t> target_file_size;
  // Where the data files live. When set, a transaction that does not commit removes the files
  // it wrote, and a commit removes those it wrote and then replaced; else they stay as orphans.
  std::shared_ptr<ObjectStore> store;
  // Test seam: runs after the data files are written, right before the metadata commit.
  std::function<void()> before_metadata_commit;
};

class LakeTransaction {
 public:
  // `engine` runs the queries whose results are written; it should see every catalog they read.
  // `data_path_override` as for CatalogReader.
  LakeTransaction(MetadataStore& store, Engine& engine, std::optional<std::string> data_path_override = std::nullopt,
                  WriteOptions options = {});
  // Without a commit, the files written so far are removed (WriteOptions::store).
  ~LakeTransaction();
  LakeTransaction(const LakeTransaction&) = delete;
  LakeTransaction& operator=(const LakeTransaction&) = delete;

  // The catalog as this transaction sees it: the snapshot it began at plus its own changes.
  const CatalogState& state() const { return state_; }
  SnapshotId base_snapshot() const { return base_snapshot_; }

  void CreateSchema(const std::string& schema, bool if_not_exists = false);
  // A schema that holds tables or views is only dropped with `cascade`.
  void DropSchema(const std::string& schema, bool if_exists = false, bool cascade = false);

  void CreateTable(const std::string& schema, const std::string& table, const std::vector<ColumnDefinition>& columns,
                   bool if_not_exists = false);
  // CREATE [OR REPLACE] TABLE ... AS <query>; returns the rows written.
  int64_t CreateTableAs(const std::string& schema, const std::string& table, const std::string& query,
                        bool or_replace = false, bool if_not_exists = false);
  void DropTable(const std::string& schema, const std::string& table, bool if_exists = false);
  void RenameTable(const std::string& schema, const std::string& table, const std::string& new_name);

  void AddColumn(const std::string& schema, const std::string& table, const ColumnDefinition& column,
                 bool if_not_exists = false);
  void DropColumn(const std::string& schema, const std::string& table, const std::string& column,
                  bool if_exists = false);
  void RenameColumn(const std::string& schema, const std::string& table, const std::string& column,
                    const std::string& new_name);

  // `sql` is the view's SELECT as it should be stored (DuckDB dialect).
  void CreateView(const std::string& schema, const std::string& view, const std::string& sql, bool or_replace = false);
  void DropView(const std::string& schema, const std::string& view, bool if_exists = false);

  // COMMENT ON TABLE / VIEW / COLUMN; nullopt removes the comment.
  void CommentOnTable(const std::string& schema, const std::string& table, std::optional<std::string> comment);
  void CommentOnView(const std::string& schema, const std::string& view, std::optional<std::string> comment);
  void CommentOnColumn(const std::string& schema, const std::string& table, const std::string& column,
                       std::optional<std::string> comment);

  // INSERT INTO table [(columns)] <query>: appends the query's rows (cast to the column types;
  // columns not listed get their default). Returns the rows written.
  int64_t Insert(const std::string& schema, const std::string& table, const std::string& query,
                 const std::vector<std::string>& columns = {});
  // DELETE FROM table [WHERE condition]: the condition is DuckDB SQL over the table's columns,
  // which it may qualify with `alias` (the table's name by default). Returns the rows deleted.
  int64_t Delete(const std::string& schema, const std::string& table, const std::optional<std::string>& condition,
                 const std::string& alias = {});
  // UPDATE table SET column = expression, ... [WHERE condition]: the old rows are deleted and
  // their new versions inserted, keeping their row ids. Returns the rows updated.
  int64_t Update(const std::string& schema, const std::string& table,
                 const std::vector<std::pair<std::string, std::string>>& assignments,
                 const std::optional<std::string>& condition, const std::string& alias = {});

  void SetCommitMessage(std::optional<std::string> author, std::optional<std::string> message,
                        std::optional<std::string> extra_info = std::nullopt);

  // Writes every queued change as one snapshot and returns its id (the base snapshot when there
  // was nothing to write). Throws Error, committing nothing, when another writer's commit since
  // the base snapshot conflicts. The transaction is finished afterwards either way.
  SnapshotId Commit();

 private:
  SchemaInfo& FindSchema(const std::string& schema);
  TableInfo& FindTable(const std::string& schema, const std::string& table);
  ViewInfo& FindView(const std::string& schema, const std::string& view);
  SchemaInfo* SchemaOf(const TableInfo& table);
  void CheckNameFree(const SchemaInfo& schema, const std::string& name);
  void CheckOpen() const;
  int64_t NextProvisionalId() { return next_provisional_id_--; }

  std::vector<ColumnInfo> NewColumns(const std::vector<ColumnDefinition>& definitions, int64_t first_id,
                                     bool as_initial_default);
  std::string DefaultText(const ColumnDefinition& definition);
  int64_t NextColumnId(const TableInfo& table);
  void SetColumns(TableInfo& table, std::vector<ColumnInfo> columns);
  void ChangeColumns(TableInfo& table, const std::vector<int64_t>& ended, std::vector<ColumnInfo> added);

  void Tag(int64_t object_id, std::optional<int64_t> column_id, std::optional<std::string> value);
  void MarkAltered(const TableInfo& table, bool reshaped);

  TableDataChanges& DataChanges(const TableInfo& table);
  std::vector<WrittenFile> WriteRows(const TableInfo& table, const std::string& select_sql, bool with_row_ids);
  int64_t Register(const TableInfo& table, std::vector<WrittenFile> files);
  std::vector<DataFileInfo> QueuedFiles(const TableInfo& table);
  static std::string ColumnList(const TableInfo& table, const std::string& relation);
  std::string ScanSql(const TableInfo& table, const std::vector<const DataFileInfo*>& files);
  int64_t DeleteRows(TableInfo& table, const std::function<std::string(const std::string&)>& matching);
  void RemoveFiles(const std::vector<std::string>& uris);

  MetadataStore& store_;
  Engine& engine_;
  WriteOptions options_;
  CatalogReader reader_;
  CatalogState state_;
  SnapshotId base_snapshot_ = 0;
  ChangeSet changes_;
  std::map<int64_t, int64_t> next_column_ids_;  // per table, once a column was added here
  std::vector<std::string> written_;            // every file this transaction wrote
  int64_t next_provisional_id_ = -1;
  bool finished_ = false;
};

}  // namespace dlctl::lake
