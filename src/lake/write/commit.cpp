#include "lake/write/commit.h"

#include <fmt/format.h>

#include <algorithm>

#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/catalog_time.h"
#include "lake/write/commit_conflicts.h"
#include "lake/write/commit_inlined.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

Value Nullable(const std::optional<std::string>& text) { return text ? Value(*text) : Value(std::monostate{}); }
Value Nullable(const std::optional<int64_t>& number) { return number ? Value(*number) : Value(std::monostate{}); }
// Booleans go as 0/1 parameters: SQLite catalogs keep them as 0/1 (spec notes §10), and
// PostgreSQL reads '1'/'0' into its BOOLEAN columns (a literal 1 would be an integer there).
const Value kTrue = int64_t{1};
Value Nullable(const std::optional<bool>& flag) {
  return flag ? Value(int64_t{*flag ? 1 : 0}) : Value(std::monostate{});
}

std::optional<bool> OptionalBool(const Row& row, size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Bool(i);
}

bool IsNestedType(const std::string& type) { return type == "list" || type == "struct" || type == "map"; }

struct LatestSnapshot {
  SnapshotId id = 0;
  int64_t schema_version = 0, next_catalog_id = 0, next_file_id = 0;
};

LatestSnapshot ReadLatestSnapshot(MetadataStore& store) {
  auto rows = store.Query(
      "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
      "ORDER BY snapshot_id DESC LIMIT 1");
  if (rows.empty()) throw Error("catalog " + store.Describe() + " has no snapshot");
  return {rows[0].Int(0), rows[0].Int(1), rows[0].Int(2), rows[0].Int(3)};
}

SnapshotChanges ChangesSince(MetadataStore& store, SnapshotId base) {
  SnapshotChanges merged;
  for (const Row& row : store.Query(
           "SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id > ? ORDER BY snapshot_id", {base}))
    merged.Merge(SnapshotChanges::Parse(row.OptionalText(0).value_or("")));
  return merged;
}

// Existing tables in id order, then the ones created here in creation order (as the extension
// hands out file ids).
template <typename T>
std::vector<int64_t> TablesInWriteOrder(const std::map<int64_t, T>& by_table) {
  std::vector<int64_t> ids;
  for (const auto& [id, changes] : by_table) ids.push_back(id);
  std::sort(ids.begin(), ids.end(), [](int64_t a, int64_t b) {
    if (IsProvisionalId(a) != IsProvisionalId(b)) return !IsProvisionalId(a);
    return IsProvisionalId(a) ? a > b : a < b;
  });
  return ids;
}

// CALL <catalog>.set_option(...): one ducklake_metadata row per key and scope.
void WriteOptions(MetadataStore& store, const std::vector<OptionChange>& options) {
  for (const OptionChange& option : options) {
    if (option.scope)
      store.Execute("DELETE FROM ducklake_metadata WHERE \"key\" = ? AND \"scope\" = ? AND scope_id = ?",
                    {option.key, *option.scope, Nullable(option.scope_id)});
    else
      store.Execute("DELETE FROM ducklake_metadata WHERE \"key\" = ? AND \"scope\" IS NULL", {option.key});
    store.Execute("INSERT INTO ducklake_metadata VALUES (?, ?, ?, ?)",
                  {option.key, option.value, Nullable(option.scope), Nullable(option.scope_id)});
  }
}

// Writes the rows of one ChangeSet for snapshot `snapshot_`.
class CommitWriter {
 public:
  CommitWriter(MetadataStore& store, const ChangeSet& changes, const LatestSnapshot& latest, SnapshotId base)
      : store_(store),
        snapshot_(latest.id + 1),
        schema_version_(latest.schema_version + (changes.ChangesSchema() ? 1 : 0)),
        next_catalog_id_(latest.next_catalog_id),
        next_file_id_(latest.next_file_id),
        inlined_(store, changes, snapshot_, base) {}

  CommittedSnapshot Write(const ChangeSet& changes) {
    AssignCatalogIds(changes);
    WriteDrops(changes);
    WriteSchemas(changes);
    WriteTablesAndViews(changes);
    WriteTags(changes);
    WriteColumns(changes);
    inlined_.CreateTablesForNewLayouts(ids_, schema_version_);
    WritePartitions(changes);
    WriteData(changes);
    WriteSnapshot(changes);
    WriteOptions(store_, changes.options);
    return {snapshot_, ids_};
  }

 private:
  int64_t Id(int64_t id) const {
    auto it = ids_.find(id);
    return it == ids_.end() ? id : it->second;
  }

  // Schemas first, then tables and views in creation order (provisional ids count down).
  void AssignCatalogIds(const ChangeSet& changes) {
    for (const auto& schema : changes.new_schemas) ids_[schema.id] = next_catalog_id_++;
    std::vector<int64_t> entries;
    for (const auto& table : changes.new_tables)
      if (table.created) entries.push_back(table.id);
    for (const auto& view : changes.new_views) entries.push_back(view.id);
    std::sort(entries.begin(), entries.end(), std::greater<>());
    for (int64_t id : entries) ids_[id] = next_catalog_id_++;
    // Partitionings after the entries, as the extension numbers them.
    for (int64_t table_id : TablesInWriteOrder(changes.partitions))
      ids_[changes.partitions.at(table_id).id] = next_catalog_id_++;
  }

  void EndRows(const char* table, const char* id_column, int64_t id) {
    store_.Execute(
        fmt::format("UPDATE {} SET end_snapshot = ? WHERE {} = ? AND end_snapshot IS NULL", table, id_column),
        {snapshot_, id});
  }

  void WriteDrops(const ChangeSet& changes) {
    for (const auto& [id, name] : changes.dropped_tables) {
      for (const char* table : {"ducklake_table", "ducklake_column", "ducklake_data_file", "ducklake_delete_file",
                                "ducklake_column_tag", "ducklake_partition_info", "ducklake_sort_info"})
        EndRows(table, "table_id", id);
      EndRows("ducklake_tag", "object_id", id);
    }
    for (const auto& table : changes.new_tables)
      if (!table.created) EndRows("ducklake_table", "table_id", table.id);  // renamed: a new version follows
    for (const auto& [id, name] : changes.dropped_views) {
      EndRows("ducklake_view", "view_id", id);
      EndRows("ducklake_tag", "object_id", id);
    }
    for (const auto& [id, name] : changes.dropped_schemas) {
      EndRows("ducklake_schema", "schema_id", id);
      EndRows("ducklake_tag", "object_id", id);
    }
  }

  void WriteSchemas(const ChangeSet& changes) {
    for (const auto& schema : changes.new_schemas)
      store_.Execute("INSERT INTO ducklake_schema VALUES (?, ?, ?, NULL, ?, ?, ?)",
                     {Id(schema.id), schema.uuid, snapshot_, schema.name, schema.path, kTrue});
  }

  void WriteTablesAndViews(const ChangeSet& changes) {
    for (const auto& table : changes.new_tables)
      store_.Execute("INSERT INTO ducklake_table VALUES (?, ?, ?, NULL, ?, ?, ?, ?)",
                     {Id(table.id), table.uuid, snapshot_, Id(table.schema_id), table.name, table.path,
                      int64_t{table.path_is_relative ? 1 : 0}});
    for (const auto& view : changes.new_views)
      // column_aliases is '' when there are none, as the extension writes it.
      store_.Execute("INSERT INTO ducklake_view VALUES (?, ?, ?, NULL, ?, ?, 'duckdb', ?, ?)",
                     {Id(view.id), view.uuid, snapshot_, Id(view.schema_id), view.name, view.sql, view.column_aliases});
  }

  void WriteTags(const ChangeSet& changes) {
    for (const auto& tag : changes.tags) {
      int64_t object_id = Id(tag.object_id);
      if (tag.column_id) {
        store_.Execute(
            "UPDATE ducklake_column_tag SET end_snapshot = ? "
            "WHERE table_id = ? AND column_id = ? AND \"key\" = ? AND end_snapshot IS NULL",
            {snapshot_, object_id, *tag.column_id, tag.key});
        if (tag.value)
          store_.Execute("INSERT INTO ducklake_column_tag VALUES (?, ?, ?, NULL, ?, ?)",
                         {object_id, *tag.column_id, snapshot_, tag.key, *tag.value});
      } else {
        store_.Execute(
            "UPDATE ducklake_tag SET end_snapshot = ? WHERE object_id = ? AND \"key\" = ? AND end_snapshot IS NULL",
            {snapshot_, object_id, tag.key});
        if (tag.value)
          store_.Execute("INSERT INTO ducklake_tag VALUES (?, ?, NULL, ?, ?)",
                         {object_id, snapshot_, tag.key, *tag.value});
      }
    }
  }

  void InsertColumn(int64_t table_id, const ColumnInfo& column, std::optional<int64_t> parent) {
    // Nested parents carry an empty default kind (observed in the fixtures).
    std::string default_kind = IsNestedType(column.type) ? "" : "literal";
    store_.Execute("INSERT INTO ducklake_column VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'duckdb')",
                   {column.column_id, snapshot_, table_id, column.column_order, column.name, column.type,
                    Nullable(column.initial_default), column.default_value.value_or("NULL"),
                    int64_t{column.nulls_allowed ? 1 : 0}, Nullable(parent), default_kind});
    for (const auto& child : column.children) InsertColumn(table_id, child, column.column_id);
  }

  void WriteColumns(const ChangeSet& changes) {
    for (const auto& [table_id, column_ids] : changes.ended_columns) {
      std::string list;
      for (int64_t id : column_ids) list += (list.empty() ? "" : ",") + std::to_string(id);
      store_.Execute(fmt::format("UPDATE ducklake_column SET end_snapshot = ? WHERE table_id = ? AND column_id IN "
                                 "({}) AND end_snapshot IS NULL",
                                 list),
                     {snapshot_, table_id});
    }
    for (const auto& table : changes.new_tables) {
      auto created = changes.created_columns.find(table.id);
      if (!table.created || created == changes.created_columns.end()) continue;
      for (const auto& column : created->second) InsertColumn(Id(table.id), column, std::nullopt);
    }
    for (const auto& [table_id, columns] : changes.new_columns)
      for (const auto& column : columns) InsertColumn(table_id, column, std::nullopt);
  }

  // A new partitioning ends the one in force; a reset is a partition_info without columns,
  // as the extension writes it.
  void WritePartitions(const ChangeSet& changes) {
    for (int64_t provisional_table : TablesInWriteOrder(changes.partitions)) {
      const PartitionSpec& spec = changes.partitions.at(provisional_table);
      int64_t table_id = Id(provisional_table);
      EndRows("ducklake_partition_info", "table_id", table_id);
      store_.Execute("INSERT INTO ducklake_partition_info VALUES (?, ?, ?, NULL)", {Id(spec.id), table_id, snapshot_});
      for (const PartitionField& field : spec.fields)
        store_.Execute("INSERT INTO ducklake_partition_column VALUES (?, ?, ?, ?, ?)",
                       {Id(spec.id), table_id, field.key_index, field.column_id, field.transform.ToString()});
    }
  }

  void WriteData(const ChangeSet& changes) {
    std::vector<int64_t> tables = TablesInWriteOrder(changes.data);
    for (int64_t table_id : tables) WriteInserts(table_id, changes.data.at(table_id));
    for (int64_t table_id : tables) inlined_.RemoveFlushed(Id(table_id), changes.data.at(table_id));
    for (int64_t table_id : tables) {
      const TableDataChanges& data = changes.data.at(table_id);
      for (const auto& deletion : data.delete_files) WriteDeleteFile(Id(table_id), deletion);
      for (const auto& flushed : data.flushed_deletes)
        WriteDeleteFile(Id(table_id), {flushed.data_file_id, flushed.file});
    }
    for (int64_t table_id : tables) {
      const TableDataChanges& data = changes.data.at(table_id);
      for (const auto& [inlined_table, row_ids] : data.inlined_deletes) inlined_.EndRows(inlined_table, row_ids);
      inlined_.InsertFileDeletes(Id(table_id), data.inlined_file_deletes);
    }
    for (int64_t table_id : tables)
      for (int64_t data_file_id : changes.data.at(table_id).dropped_files) {
        EndRows("ducklake_data_file", "data_file_id", data_file_id);
        EndRows("ducklake_delete_file", "data_file_id", data_file_id);
      }
  }

  // Registers the data files and inlined rows of one table and widens its stats: row ids
  // continue from next_row_id; record_count and file_size_bytes grow (deletes never shrink
  // them; flushed rows were counted when they were inlined).
  void WriteInserts(int64_t changes_id, const TableDataChanges& changes) {
    const bool inlines = changes.InsertsInlined();
    if (changes.data_files.empty() && !inlines) return;
    const int64_t table_id = Id(changes_id);
    auto stats = store_.Query(
        "SELECT record_count, next_row_id, file_size_bytes FROM ducklake_table_stats "
        "WHERE table_id = ?",
        {table_id});
    bool initialized = !stats.empty();
    int64_t record_count = initialized ? stats[0].Int(0) : 0;
    int64_t next_row_id = initialized ? stats[0].Int(1) : 0;
    int64_t file_size_bytes = initialized ? stats[0].Int(2) : 0;

    std::map<int64_t, TableColumnStats> column_stats;
    for (const Row& row : store_.Query("SELECT column_id, contains_null, contains_nan, min_value, max_value "
                                       "FROM ducklake_table_column_stats WHERE table_id = ?",
                                       {table_id}))
      column_stats[row.Int(0)] = {row.Int(0), OptionalBool(row, 1), OptionalBool(row, 2), row.OptionalText(3),
                                  row.OptionalText(4)};
    std::set<int64_t> stored_columns;
    for (const auto& [id, s] : column_stats) stored_columns.insert(id);

    auto widen = [&](const FileColumnStats& c) {
      auto it = column_stats.find(c.column_id);
      if (it == column_stats.end()) {
        column_stats[c.column_id] = TableColumnStats::FromFile(c);
      } else {
        auto type = changes.column_types.find(c.column_id);
        it->second.Merge(c, type == changes.column_types.end() ? std::string() : type->second);
      }
    };
    for (const WrittenFile& file : changes.data_files) {
      int64_t file_id = next_file_id_++;
      std::optional<int64_t> partition_id;
      if (file.partition_id) partition_id = Id(*file.partition_id);
      store_.Execute(
          "INSERT INTO ducklake_data_file VALUES (?, ?, ?, NULL, NULL, ?, ?, 'parquet', ?, ?, ?, ?, ?, "
          "NULL, NULL, ?)",
          {file_id, table_id, file.begin_snapshot.value_or(snapshot_), file.name, kTrue, file.record_count,
           file.file_size_bytes, file.footer_size, file.row_id_start.value_or(next_row_id), Nullable(partition_id),
           Nullable(file.partial_max)});
      for (size_t key = 0; key < file.partition_values.size(); ++key)
        store_.Execute("INSERT INTO ducklake_file_partition_value VALUES (?, ?, ?, ?)",
                       {file_id, table_id, static_cast<int64_t>(key), Nullable(file.partition_values[key])});
      for (const FileColumnStats& c : file.column_stats) {
        store_.Execute(
            "INSERT INTO ducklake_file_column_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            {file_id, table_id, c.column_id, Nullable(c.column_size_bytes), Nullable(c.value_count),
             Nullable(c.null_count), Nullable(c.min_value), Nullable(c.max_value), Nullable(c.contains_nan)});
        widen(c);
      }
      for (const WrittenFile& deletes : file.deletes) WriteDeleteFile(table_id, {file_id, deletes});
      if (!file.begin_snapshot) {
        next_row_id += file.record_count;
        record_count += file.record_count;
      }
      file_size_bytes += file.file_size_bytes;
    }
    if (inlines) {
      record_count += inlined_.InsertRows(changes_id, table_id, schema_version_, next_row_id);
      for (const InlinedRows& batch : changes.inlined_inserts)
        for (const FileColumnStats& c : batch.stats) widen(c);
      // Like the extension, a commit that only inlines rows into a table still takes a file id.
      if (changes.data_files.empty()) ++next_file_id_;
    }

    if (!initialized) {
      store_.Execute("INSERT INTO ducklake_table_stats VALUES (?, ?, ?, ?)",
                     {table_id, record_count, next_row_id, file_size_bytes});
      for (const auto& [id, c] : column_stats)
        store_.Execute("INSERT INTO ducklake_table_column_stats VALUES (?, ?, ?, ?, ?, ?, NULL)",
                       {table_id, id, Nullable(c.contains_null), Nullable(c.contains_nan), Nullable(c.min_value),
                        Nullable(c.max_value)});
      return;
    }
    store_.Execute(
        "UPDATE ducklake_table_stats SET record_count = ?, next_row_id = ?, file_size_bytes = ? "
        "WHERE table_id = ?",
        {record_count, next_row_id, file_size_bytes, table_id});
    // Like the extension, only columns that already have a stats row are updated: columns added
    // after the table's first insert stay without table-level stats.
    for (int64_t id : stored_columns) {
      const TableColumnStats& c = column_stats.at(id);
      store_.Execute(
          "UPDATE ducklake_table_column_stats SET contains_null = ?, contains_nan = ?, min_value = ?, "
          "max_value = ? WHERE table_id = ? AND column_id = ?",
          {Nullable(c.contains_null), Nullable(c.contains_nan), Nullable(c.min_value), Nullable(c.max_value), table_id,
           id});
    }
  }

  // At most one delete file is live per data file: the new one holds every deleted position.
  void WriteDeleteFile(int64_t table_id, const NewDeleteFile& deletion) {
    EndRows("ducklake_delete_file", "data_file_id", deletion.data_file_id);
    const WrittenFile& file = deletion.file;
    store_.Execute("INSERT INTO ducklake_delete_file VALUES (?, ?, ?, NULL, ?, ?, ?, 'parquet', ?, ?, ?, NULL, ?)",
                   {next_file_id_++, table_id, file.begin_snapshot.value_or(snapshot_), deletion.data_file_id,
                    file.name, kTrue, file.record_count, file.file_size_bytes, file.footer_size,
                    Nullable(file.partial_max)});
  }

  void WriteSnapshot(const ChangeSet& changes) {
    store_.Execute("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                   {snapshot_, CatalogTimestampNow(), schema_version_, next_catalog_id_, next_file_id_});
    store_.Execute("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, ?)",
                   {snapshot_, changes.Summarize(ids_).Format(), Nullable(changes.author),
                    Nullable(changes.commit_message), Nullable(changes.commit_extra_info)});
    std::vector<int64_t> reshaped;
    for (const auto& table : changes.new_tables)
      if (table.created) reshaped.push_back(Id(table.id));
    for (int64_t id : changes.reshaped_tables)
      if (!IsProvisionalId(id)) reshaped.push_back(id);
    for (int64_t table_id : reshaped)
      store_.Execute("INSERT INTO ducklake_schema_versions VALUES (?, ?, ?)", {snapshot_, schema_version_, table_id});
  }

  MetadataStore& store_;
  SnapshotId snapshot_;
  int64_t schema_version_, next_catalog_id_, next_file_id_;
  std::map<int64_t, int64_t> ids_;
  InlinedCommit inlined_;
};

}  // namespace

CommittedSnapshot CommitChangeSet(MetadataStore& store, const ChangeSet& changes, SnapshotId base_snapshot) {
  Transaction transaction(store);  // BEGIN IMMEDIATE: other writers wait until we are done
  if (changes.empty()) {
    // Only options: they are no change of the lake, so no snapshot (as set_option does).
    WriteOptions(store, changes.options);
    transaction.Commit();
    return {base_snapshot, {}};
  }
  LatestSnapshot latest = ReadLatestSnapshot(store);
  if (latest.id != base_snapshot) CheckConflicts(store, changes, ChangesSince(store, base_snapshot), base_snapshot);
  CommittedSnapshot committed = CommitWriter(store, changes, latest, base_snapshot).Write(changes);
  transaction.Commit();
  return committed;
}

}  // namespace dlctl::lake
