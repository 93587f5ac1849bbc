#include "lake/metadata/catalog_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <unordered_map>

#include "lake/metadata/catalog_paths.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/catalog_time.h"
#include "lake/metadata/inlined_tables.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {

namespace {

// Rows valid at a snapshot S: begin_snapshot <= S < end_snapshot (NULL end = still current).
// Used with the snapshot id bound twice.
constexpr const char* kValidAt = "begin_snapshot <= ? AND (end_snapshot IS NULL OR end_snapshot > ?)";

std::vector<Value> Twice(SnapshotId snapshot) { return {snapshot, snapshot}; }

// A text value without copying it (Row::Text copies); catalog text columns hold text.
const std::string& TextOf(const Row& row, size_t i) {
  if (auto text = std::get_if<std::string>(&row.values.at(i))) return *text;
  throw Error(fmt::format("catalog value in column {} is not text", i));
}

constexpr const char* kSnapshotColumns =
    "SELECT s.snapshot_id, s.snapshot_time, s.schema_version, s.next_catalog_id, s.next_file_id, "
    "c.changes_made, c.author, c.commit_message, c.commit_extra_info "
    "FROM ducklake_snapshot s LEFT JOIN ducklake_snapshot_changes c ON c.snapshot_id = s.snapshot_id ";

SnapshotInfo ToSnapshot(const Row& row) {
  SnapshotInfo info;
  info.id = row.Int(0);
  info.time = row.OptionalText(1).value_or("");
  info.schema_version = row.Int(2);
  info.next_catalog_id = row.Int(3);
  info.next_file_id = row.Int(4);
  info.changes_made = row.OptionalText(5).value_or("");
  info.author = row.OptionalText(6);
  info.commit_message = row.OptionalText(7);
  info.commit_extra_info = row.OptionalText(8);
  return info;
}

// A column row before it is attached to its parent.
struct ColumnRow {
  std::optional<int64_t> parent;
  ColumnInfo column;
};

// Builds the nested column trees of one table from its rows (already in column_order).
std::vector<ColumnInfo> BuildColumnTree(std::vector<ColumnRow>& rows, const std::map<int64_t, std::string>& comments) {
  std::unordered_map<int64_t, std::vector<size_t>> children_of;
  std::vector<size_t> top_level;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (auto it = comments.find(rows[i].column.column_id); it != comments.end()) rows[i].column.comment = it->second;
    if (rows[i].parent)
      children_of[*rows[i].parent].push_back(i);
    else
      top_level.push_back(i);
  }
  auto build = [&](auto& self, size_t index) -> ColumnInfo {
    ColumnInfo column = std::move(rows[index].column);
    if (auto it = children_of.find(column.column_id); it != children_of.end())
      for (size_t child : it->second) column.children.push_back(self(self, child));
    return column;
  };
  std::vector<ColumnInfo> columns;
  columns.reserve(top_level.size());
  for (size_t index : top_level) columns.push_back(build(build, index));
  return columns;
}

}  // namespace

CatalogReader::CatalogReader(MetadataStore& store, std::optional<std::string> data_path_override) : store_(store) {
  CheckSpecVersion(store_);
  if (data_path_override) {
    data_path_ = WithSlash(*data_path_override);
  } else {
    auto rows =
        store_.Query("SELECT \"value\" FROM ducklake_metadata WHERE \"key\" = 'data_path' AND \"scope\" IS NULL");
    if (rows.empty()) throw Error("catalog " + store_.Describe() + " has no data_path");
    data_path_ = WithSlash(rows[0].Text(0));
  }
}

SnapshotInfo CatalogReader::ResolveSnapshot(const SnapshotSelector& selector) {
  if (selector.id && selector.at_time) throw UsageError("choose a snapshot by id or by time, not both");
  if (selector.id) {
    auto rows = store_.Query(std::string(kSnapshotColumns) + "WHERE s.snapshot_id = ?", {*selector.id});
    if (rows.empty())
      throw NotFoundError(fmt::format("catalog {} has no snapshot {}", store_.Describe(), *selector.id));
    return ToSnapshot(rows[0]);
  }
  if (selector.at_time) {
    auto wanted = ParseUtcMicros(*selector.at_time);
    if (!wanted) throw UsageError("cannot read snapshot time '" + *selector.at_time + "' (use YYYY-MM-DD HH:MM:SS)");
    // Snapshot times are text; compare them as instants, not as strings.
    std::optional<SnapshotId> best;
    int64_t best_time = std::numeric_limits<int64_t>::min();
    for (const Row& row : store_.Query("SELECT snapshot_id, snapshot_time FROM ducklake_snapshot")) {
      auto time = ParseUtcMicros(row.OptionalText(1).value_or(""));
      if (!time || *time > *wanted) continue;
      if (!best || *time > best_time || (*time == best_time && row.Int(0) > *best)) {
        best = row.Int(0);
        best_time = *time;
      }
    }
    if (!best)
      throw NotFoundError(
          fmt::format("catalog {} has no snapshot at or before {}", store_.Describe(), *selector.at_time));
    return ResolveSnapshot(SnapshotSelector{best, std::nullopt});
  }
  auto rows = store_.Query(std::string(kSnapshotColumns) + "ORDER BY s.snapshot_id DESC LIMIT 1");
  if (rows.empty()) throw Error("catalog " + store_.Describe() + " has no snapshots");
  return ToSnapshot(rows[0]);
}

std::vector<SnapshotInfo> CatalogReader::Snapshots() {
  std::vector<SnapshotInfo> snapshots;
  for (const Row& row : store_.Query(std::string(kSnapshotColumns) + "ORDER BY s.snapshot_id"))
    snapshots.push_back(ToSnapshot(row));
  return snapshots;
}

CatalogState CatalogReader::Load(const SnapshotSelector& selector, bool with_files) {
  CatalogState state;
  state.snapshot = ResolveSnapshot(selector);
  state.data_path = data_path_;
  const SnapshotId at = state.snapshot.id;
  const std::string valid = kValidAt;

  // One query per kind of object, whatever the number of objects: the cost of loading is a
  // handful of table scans, not a query per table.
  std::unordered_map<int64_t, size_t> schema_index;
  for (const Row& row : store_.Query("SELECT schema_id, schema_uuid, schema_name, path, path_is_relative "
                                     "FROM ducklake_schema WHERE " +
                                         valid + " ORDER BY schema_id",
                                     Twice(at))) {
    SchemaInfo schema;
    schema.id = row.Int(0);
    schema.uuid = row.OptionalText(1).value_or("");
    schema.name = row.Text(2);
    schema.path = WithSlash(ResolvePath(data_path_, row.OptionalText(3).value_or(""), row.Bool(4)));
    schema_index[schema.id] = state.schemas.size();
    state.schemas.push_back(std::move(schema));
  }

  std::map<int64_t, std::string> comments;  // object id -> comment
  for (const Row& row :
       store_.Query("SELECT object_id, \"value\" FROM ducklake_tag WHERE \"key\" = 'comment' AND " + valid, Twice(at)))
    if (!row.IsNull(1)) comments[row.Int(0)] = row.Text(1);
  auto comment_of = [&](int64_t id) -> std::optional<std::string> {
    auto it = comments.find(id);
    return it == comments.end() ? std::nullopt : std::optional<std::string>(it->second);
  };

  for (const Row& row : store_.Query("SELECT table_id, table_uuid, begin_snapshot, schema_id, table_name, path, "
                                     "path_is_relative FROM ducklake_table WHERE " +
                                         valid + " ORDER BY table_id",
                                     Twice(at))) {
    auto schema = schema_index.find(row.Int(3));
    if (schema == schema_index.end()) continue;  // its schema is not visible: neither is it
    SchemaInfo& parent = state.schemas[schema->second];
    TableInfo table;
    table.id = row.Int(0);
    table.uuid = row.OptionalText(1).value_or("");
    table.begin_snapshot = row.Int(2);
    table.name = row.Text(4);
    table.path = WithSlash(ResolvePath(parent.path, row.OptionalText(5).value_or(""), row.Bool(6)));
    table.comment = comment_of(table.id);
    parent.tables.push_back(std::move(table));
  }
  // The tables vectors are complete: pointers into them stay valid from here on.
  TablesById tables;
  for (SchemaInfo& schema : state.schemas)
    for (TableInfo& table : schema.tables) tables[table.id] = &table;

  for (const Row& row : store_.Query("SELECT view_id, view_uuid, schema_id, view_name, dialect, \"sql\", "
                                     "column_aliases FROM ducklake_view WHERE " +
                                         valid + " ORDER BY view_id",
                                     Twice(at))) {
    auto schema = schema_index.find(row.Int(2));
    if (schema == schema_index.end()) continue;
    ViewInfo view;
    view.id = row.Int(0);
    view.uuid = row.OptionalText(1).value_or("");
    view.name = row.Text(3);
    view.dialect = row.OptionalText(4).value_or("");
    view.sql = row.OptionalText(5).value_or("");
    view.column_aliases = row.OptionalText(6);
    view.comment = comment_of(view.id);
    state.schemas[schema->second].views.push_back(std::move(view));
  }

  std::unordered_map<int64_t, std::map<int64_t, std::string>> column_comments;  // table -> column -> comment
  for (const Row& row : store_.Query("SELECT table_id, column_id, \"value\" FROM ducklake_column_tag "
                                     "WHERE \"key\" = 'comment' AND " +
                                         valid,
                                     Twice(at)))
    if (!row.IsNull(2)) column_comments[row.Int(0)][row.Int(1)] = row.Text(2);

  std::unordered_map<int64_t, std::vector<ColumnRow>> column_rows;
  for (const Row& row : store_.Query("SELECT table_id, column_id, column_order, column_name, column_type, "
                                     "initial_default, default_value, nulls_allowed, parent_column "
                                     "FROM ducklake_column WHERE " +
                                         valid + " ORDER BY table_id, column_order",
                                     Twice(at))) {
    if (!tables.count(row.Int(0))) continue;
    ColumnRow column_row;
    column_row.parent = row.OptionalInt(8);
    ColumnInfo& column = column_row.column;
    column.column_id = row.Int(1);
    column.column_order = row.Int(2);
    column.name = row.Text(3);
    column.type = row.Text(4);
    column.initial_default = row.OptionalText(5);
    column.default_value = row.OptionalText(6);
    column.nulls_allowed = row.IsNull(7) || row.Bool(7);
    column_rows[row.Int(0)].push_back(std::move(column_row));
  }
  for (auto& [table_id, rows] : column_rows)
    tables[table_id]->columns = BuildColumnTree(rows, column_comments[table_id]);

  // The partitioning in force: a partition_info without columns (RESET PARTITIONED BY) is none.
  for (const Row& row : store_.Query(
           "SELECT i.table_id, i.partition_id, c.partition_key_index, c.column_id, c.\"transform\" "
           "FROM ducklake_partition_info i JOIN ducklake_partition_column c "
           "ON c.partition_id = i.partition_id AND c.table_id = i.table_id "
           "WHERE i.begin_snapshot <= ? AND (i.end_snapshot IS NULL OR i.end_snapshot > ?) "
           "ORDER BY i.table_id, c.partition_key_index",
           Twice(at))) {
    auto table = tables.find(row.Int(0));
    if (table == tables.end()) continue;
    std::optional<PartitionSpec>& partition = table->second->partition;
    if (!partition) partition = PartitionSpec{row.Int(1), {}};
    partition->fields.push_back({row.Int(2), row.Int(3), PartitionTransform::Parse(row.Text(4))});
  }

  LoadInlinedTables(state.snapshot, tables);
  state.with_files = with_files;
  if (with_files) LoadFiles(at, tables, std::nullopt);
  return state;
}

void CatalogReader::LoadTableFiles(TableInfo& table, SnapshotId snapshot) {
  table.files.clear();
  LoadFiles(snapshot, TablesById{{table.id, &table}}, table.id);
}

void CatalogReader::LoadInlinedTables(const SnapshotInfo& snapshot, const TablesById& tables) {
  // An inlined table's columns are named as they were at its schema version: find the snapshot
  // that created that version for the table (ducklake_schema_versions), else the first snapshot
  // of that version, and read the table's columns as of then.
  auto registered = store_.Query(
      "WITH per_table AS (SELECT table_id, schema_version, MIN(begin_snapshot) AS at_snapshot "
      "FROM ducklake_schema_versions GROUP BY table_id, schema_version), "
      "per_catalog AS (SELECT schema_version, MIN(snapshot_id) AS at_snapshot FROM ducklake_snapshot "
      "GROUP BY schema_version) "
      "SELECT i.table_id, i.table_name, i.schema_version, COALESCE(t.at_snapshot, c.at_snapshot) "
      "FROM ducklake_inlined_data_tables i "
      "LEFT JOIN per_table t ON t.table_id = i.table_id AND t.schema_version = i.schema_version "
      "LEFT JOIN per_catalog c ON c.schema_version = i.schema_version "
      "WHERE i.schema_version <= ? ORDER BY i.table_id, i.schema_version",
      {snapshot.schema_version});
  // Inlined deletes of Parquet rows may exist for any table (a writer with inlining on deletes a
  // few rows of a table that never inlined data): one listing finds them all.
  for (int64_t table_id : TablesWithInlinedDeletes(store_)) {
    auto table = tables.find(table_id);
    if (table != tables.end()) table->second->has_inlined_deletes = true;
  }
  if (registered.empty()) return;

  struct ColumnVersion {
    InlinedColumn column;
    SnapshotId begin = 0;
    std::optional<SnapshotId> end;
  };
  std::unordered_map<int64_t, std::vector<ColumnVersion>> versions;  // table id -> every top-level column row
  for (const Row& row : store_.Query("SELECT table_id, column_id, column_name, begin_snapshot, end_snapshot "
                                     "FROM ducklake_column WHERE parent_column IS NULL AND table_id IN "
                                     "(SELECT table_id FROM ducklake_inlined_data_tables) "
                                     "ORDER BY table_id, column_order"))
    versions[row.Int(0)].push_back({{row.Int(1), row.Text(2)}, row.Int(3), row.OptionalInt(4)});

  for (const Row& row : registered) {
    auto table = tables.find(row.Int(0));
    if (table == tables.end()) continue;
    InlinedTableInfo inlined;
    inlined.table_name = row.Text(1);
    inlined.schema_version = row.Int(2);
    SnapshotId layout_at = row.OptionalInt(3).value_or(snapshot.id);
    for (const ColumnVersion& version : versions[table->first])
      if (version.begin <= layout_at && (!version.end || *version.end > layout_at))
        inlined.columns.push_back(version.column);
    table->second->inlined_tables.push_back(std::move(inlined));
  }
}

void CatalogReader::LoadFiles(SnapshotId snapshot, const TablesById& tables, std::optional<int64_t> only_table) {
  const std::string valid =
      only_table ? fmt::format("table_id = {} AND {}", *only_table, kValidAt) : std::string(kValidAt);
  std::unordered_map<int64_t, std::pair<TableInfo*, size_t>> file_index;  // data file id -> where it is
  // A catalog can hold 100,000s of files: read them in batches (keyset pages on the primary key),
  // so the rows of one batch are freed before the next is read instead of all being held at once.
  constexpr int64_t kBatch = 10000;
  for (int64_t after = std::numeric_limits<int64_t>::min();;) {
    std::vector<Row> rows = store_.Query(
        "SELECT data_file_id, table_id, begin_snapshot, file_order, path, "
        "path_is_relative, file_format, record_count, file_size_bytes, "
        "footer_size, row_id_start, partition_id, mapping_id, partial_max "
        "FROM ducklake_data_file WHERE data_file_id > ? AND " +
            valid + " ORDER BY data_file_id LIMIT ?",
        {after, snapshot, snapshot, kBatch});
    for (const Row& row : rows) {
      auto table = tables.find(row.Int(1));
      if (table == tables.end()) continue;
      DataFileInfo& file = table->second->files.emplace_back();
      file.id = row.Int(0);
      file.begin_snapshot = row.Int(2);
      file.file_order = row.OptionalInt(3);
      file.path = ResolvePath(table->second->path, TextOf(row, 4), row.Bool(5));
      if (!row.IsNull(6)) file.format = TextOf(row, 6);
      file.record_count = row.OptionalInt(7).value_or(0);
      file.file_size_bytes = row.OptionalInt(8).value_or(0);
      file.footer_size = row.OptionalInt(9);
      file.row_id_start = row.OptionalInt(10).value_or(0);
      file.partition_id = row.OptionalInt(11);
      file.mapping_id = row.OptionalInt(12);
      file.partial_max = row.OptionalInt(13);
      file_index[file.id] = {table->second, table->second->files.size() - 1};
    }
    if (static_cast<int64_t>(rows.size()) < kBatch) break;
    after = rows.back().Int(0);
  }

  // At most one delete file is valid per data file and snapshot; it belongs to its data file by
  // data_file_id (the path written inside it is where the data file was when it was written).
  for (const Row& row : store_.Query("SELECT delete_file_id, data_file_id, begin_snapshot, path, path_is_relative, "
                                     "format, delete_count, file_size_bytes, footer_size, partial_max "
                                     "FROM ducklake_delete_file WHERE " +
                                         valid,
                                     Twice(snapshot))) {
    auto data_file = file_index.find(row.Int(1));
    if (data_file == file_index.end()) continue;
    auto [table, index] = data_file->second;
    DeleteFileInfo deletes;
    deletes.id = row.Int(0);
    deletes.begin_snapshot = row.Int(2);
    deletes.path = ResolvePath(table->path, TextOf(row, 3), row.Bool(4));
    if (!row.IsNull(5)) deletes.format = TextOf(row, 5);
    deletes.delete_count = row.OptionalInt(6).value_or(0);
    deletes.file_size_bytes = row.OptionalInt(7).value_or(0);
    deletes.footer_size = row.OptionalInt(8);
    deletes.partial_max = row.OptionalInt(9);
    table->files[index].deletes = std::move(deletes);
  }

  // By file_order when the writer set one, else in the order files were added.
  for (auto& [id, table] : tables)
    std::sort(table->files.begin(), table->files.end(), [](const DataFileInfo& a, const DataFileInfo& b) {
      int64_t order_a = a.file_order.value_or(std::numeric_limits<int64_t>::max());
      int64_t order_b = b.file_order.value_or(std::numeric_limits<int64_t>::max());
      return order_a != order_b ? order_a < order_b : a.id < b.id;
    });
}

std::vector<Row> CatalogReader::ReadInlinedRows(const InlinedTableInfo& inlined,
                                                const std::vector<std::string>& columns, SnapshotId snapshot) {
  std::string list;
  for (const std::string& column : columns) list += (list.empty() ? "" : ", ") + SqlIdentifier(column);
  if (list.empty()) list = "NULL";
  return store_.Query(
      fmt::format("SELECT {} FROM {} WHERE {} ORDER BY row_id", list, SqlIdentifier(inlined.table_name), kValidAt),
      Twice(snapshot));
}

int64_t CatalogReader::CountInlinedRows(const InlinedTableInfo& inlined, SnapshotId snapshot) {
  return store_.Query(fmt::format("SELECT count(*) FROM {} WHERE {}", SqlIdentifier(inlined.table_name), kValidAt),
                      Twice(snapshot))
      .at(0)
      .Int(0);
}

std::map<int64_t, TableColumnStats> CatalogReader::ReadTableColumnStats(int64_t table_id) {
  std::map<int64_t, TableColumnStats> stats;
  for (const Row& row : store_.Query("SELECT column_id, contains_null, contains_nan, min_value, max_value "
                                     "FROM ducklake_table_column_stats WHERE table_id = ?",
                                     {table_id})) {
    TableColumnStats& column = stats[row.Int(0)];
    column.column_id = row.Int(0);
    if (!row.IsNull(1)) column.contains_null = row.Bool(1);
    if (!row.IsNull(2)) column.contains_nan = row.Bool(2);
    column.min_value = row.OptionalText(3);
    column.max_value = row.OptionalText(4);
  }
  return stats;
}

std::map<int64_t, FileColumnStats> CatalogReader::ReadFileColumnStats(int64_t table_id, int64_t column_id) {
  std::map<int64_t, FileColumnStats> stats;
  for (const Row& row : store_.Query("SELECT data_file_id, column_size_bytes, value_count, null_count, min_value, "
                                     "max_value, contains_nan FROM ducklake_file_column_stats "
                                     "WHERE table_id = ? AND column_id = ?",
                                     {table_id, column_id})) {
    FileColumnStats& file = stats[row.Int(0)];
    file.column_id = column_id;
    file.column_size_bytes = row.OptionalInt(1);
    file.value_count = row.OptionalInt(2);
    file.null_count = row.OptionalInt(3);
    file.min_value = row.OptionalText(4);
    file.max_value = row.OptionalText(5);
    if (!row.IsNull(6)) file.contains_nan = row.Bool(6);
  }
  return stats;
}

std::map<int64_t, PartitionSpec> CatalogReader::ReadPartitionSpecs(int64_t table_id) {
  std::map<int64_t, PartitionSpec> specs;
  for (const Row& row : store_.Query("SELECT partition_id, partition_key_index, column_id, \"transform\" "
                                     "FROM ducklake_partition_column WHERE table_id = ? "
                                     "ORDER BY partition_id, partition_key_index",
                                     {table_id})) {
    PartitionSpec& spec = specs[row.Int(0)];
    spec.id = row.Int(0);
    spec.fields.push_back({row.Int(1), row.Int(2), PartitionTransform::Parse(row.Text(3))});
  }
  return specs;
}

std::map<int64_t, FilePartitionValues> CatalogReader::ReadFilePartitionValues(int64_t table_id) {
  std::map<int64_t, FilePartitionValues> values;
  for (const Row& row : store_.Query("SELECT data_file_id, partition_key_index, partition_value "
                                     "FROM ducklake_file_partition_value WHERE table_id = ?",
                                     {table_id}))
    values[row.Int(0)][row.Int(1)] = row.OptionalText(2);
  return values;
}

std::vector<std::pair<int64_t, int64_t>> CatalogReader::ReadInlinedDeletes(int64_t table_id, SnapshotId snapshot) {
  std::vector<std::pair<int64_t, int64_t>> deletes;
  for (const Row& row : store_.Query(fmt::format("SELECT file_id, row_id FROM ducklake_inlined_delete_{} "
                                                 "WHERE begin_snapshot <= ?",
                                                 table_id),
                                     {snapshot}))
    deletes.emplace_back(row.Int(0), row.Int(1));
  return deletes;
}

}  // namespace dlctl::lake
