#include "lake/write/commit_inlined.h"

#include <fmt/format.h>

#include <algorithm>

#include "lake/metadata/catalog_time.h"
#include "lake/metadata/inlined_tables.h"
#include "lake/write/inlining_limit.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

// Catalog statements stay within both databases' limits on parameters.
constexpr size_t kMaxParameters = 8000;

// The value rows written before a column existed have for it: its initial default, as stored.
Value InitialValue(const ColumnInfo& column) {
  if (!column.initial_default) return std::monostate{};
  const std::string& text = *column.initial_default;
  if (InlinedStorageOf(column) != InlinedStorage::kInteger) return text;
  if (text == "true") return int64_t{1};
  if (text == "false") return int64_t{0};
  return static_cast<int64_t>(std::stoll(text));
}

bool SameLayout(const std::vector<InlinedColumn>& stored, const std::vector<ColumnInfo>& columns) {
  if (stored.size() != columns.size()) return false;
  for (size_t i = 0; i < columns.size(); ++i)
    if (stored[i].column_id != columns[i].column_id || stored[i].name != columns[i].name) return false;
  return true;
}

std::string IdList(const std::vector<int64_t>& ids, size_t begin, size_t end) {
  std::string list;
  for (size_t i = begin; i < end; ++i) list += (list.empty() ? "" : ",") + std::to_string(ids[i]);
  return list;
}

}  // namespace

uint64_t InlinedCommit::LimitOf(int64_t changes_id, int64_t table_id) {
  const auto& layout = changes_.layouts.at(changes_id);
  return InliningRowLimitOption(store_, layout.schema_id, table_id, changes_.options)
      .value_or(changes_.default_inlining_row_limit);
}

void InlinedCommit::CreateTablesForNewLayouts(const std::map<int64_t, int64_t>& ids, int64_t schema_version) {
  std::vector<int64_t> tables;
  for (const auto& table : changes_.new_tables)
    if (table.created) tables.push_back(table.id);
  tables.insert(tables.end(), changes_.reshaped_tables.begin(), changes_.reshaped_tables.end());
  for (int64_t id : tables) {
    auto layout = changes_.layouts.find(id);
    if (layout == changes_.layouts.end()) continue;
    auto committed = ids.find(id);
    int64_t table_id = committed == ids.end() ? id : committed->second;
    if (new_tables_.count(table_id) || !CanInline(store_.dialect(), layout->second.columns)) continue;
    if (LimitOf(id, table_id) == 0) continue;
    new_tables_[table_id] = CreateInlinedDataTable(store_, table_id, schema_version, layout->second.columns);
  }
}

std::string InlinedCommit::TargetTable(int64_t changes_id, int64_t table_id, int64_t& schema_version) {
  auto made = new_tables_.find(table_id);
  if (made != new_tables_.end()) return made->second;
  const std::vector<ColumnInfo>& columns = changes_.layouts.at(changes_id).columns;
  auto latest = store_.Query(
      "SELECT table_name, schema_version FROM ducklake_inlined_data_tables WHERE table_id = ? "
      "ORDER BY schema_version DESC LIMIT 1",
      {table_id});
  if (!latest.empty() && store_.TableExists(latest[0].Text(0)) &&
      SameLayout(InlinedTableColumns(store_, table_id, latest[0].Int(1)), columns))
    return latest[0].Text(0);
  // No inlined data table has the table's columns (it was created while inlining was off, or
  // by a writer that makes none): a new one, at a schema version of its own.
  ++schema_version;
  return new_tables_[table_id] = CreateInlinedDataTable(store_, table_id, schema_version, columns);
}

int64_t InlinedCommit::InsertRows(int64_t changes_id, int64_t table_id, int64_t& schema_version,
                                  int64_t& next_row_id) {
  const TableDataChanges& data = changes_.data.at(changes_id);
  if (!data.InsertsInlined()) return 0;
  const std::vector<ColumnInfo>& columns = changes_.layouts.at(changes_id).columns;
  const std::string table = TargetTable(changes_id, table_id, schema_version);
  const Dialect dialect = store_.dialect();
  std::string placeholders = "?, ?, NULL";
  for (const ColumnInfo& column : columns) placeholders += ", " + InlinedColumnPlaceholder(dialect, column);
  const size_t rows_per_statement = std::max<size_t>(1, kMaxParameters / (columns.size() + 2));

  std::string sql;
  std::vector<Value> params;
  size_t pending = 0;
  auto flush = [&] {
    if (pending == 0) return;
    store_.Execute("INSERT INTO " + SqlIdentifier(table) + " VALUES " + sql, params);
    sql.clear();
    params.clear();
    pending = 0;
  };
  int64_t written = 0;
  for (const InlinedRows& batch : data.inlined_inserts) {
    // Where each table column's value is in the batch's rows (columns added since: none).
    std::vector<std::optional<size_t>> source;
    for (const ColumnInfo& column : columns) {
      auto found = std::find(batch.column_ids.begin(), batch.column_ids.end(), column.column_id);
      source.push_back(found == batch.column_ids.end()
                           ? std::nullopt
                           : std::optional<size_t>(static_cast<size_t>(found - batch.column_ids.begin())));
    }
    for (size_t r = 0; r < batch.rows.size(); ++r) {
      if (batch.deleted[r]) continue;
      int64_t row_id = batch.row_ids[r] ? *batch.row_ids[r] : next_row_id++;
      sql += (pending == 0 ? "(" : ", (") + placeholders + ")";
      params.push_back(row_id);
      params.push_back(snapshot_);
      for (size_t c = 0; c < columns.size(); ++c)
        params.push_back(InlinedParameter(dialect, columns[c],
                                          source[c] ? batch.rows[r].at(*source[c]) : InitialValue(columns[c])));
      ++written;
      if (++pending == rows_per_statement) flush();
    }
  }
  flush();
  return written;
}

void InlinedCommit::EndRows(const std::string& inlined_table, const std::vector<int64_t>& row_ids) {
  constexpr size_t kBatch = 500;  // ids per statement keeps the statements short
  for (size_t start = 0; start < row_ids.size(); start += kBatch)
    // Not the new versions an UPDATE wrote in this commit with the same row ids.
    store_.Execute(fmt::format("UPDATE {} SET end_snapshot = ? WHERE row_id IN ({}) AND end_snapshot IS NULL "
                               "AND begin_snapshot <> ?",
                               SqlIdentifier(inlined_table),
                               IdList(row_ids, start, std::min(row_ids.size(), start + kBatch))),
                   {snapshot_, snapshot_});
}

void InlinedCommit::InsertFileDeletes(int64_t table_id, const std::map<int64_t, std::vector<int64_t>>& deletes) {
  if (deletes.empty()) return;
  const std::string table = SqlIdentifier(InlinedDeleteTableName(table_id));
  store_.ExecuteScript("CREATE TABLE IF NOT EXISTS " + table +
                       "(file_id BIGINT, row_id BIGINT, begin_snapshot BIGINT)");
  std::string sql;
  std::vector<Value> params;
  auto flush = [&] {
    if (params.empty()) return;
    store_.Execute("INSERT INTO " + table + " VALUES " + sql, params);
    sql.clear();
    params.clear();
  };
  for (const auto& [file_id, positions] : deletes)
    for (int64_t position : positions) {
      sql += params.empty() ? "(?, ?, ?)" : ", (?, ?, ?)";
      params.insert(params.end(), {file_id, position, snapshot_});
      if (params.size() >= kMaxParameters) flush();
    }
  flush();
}

void InlinedCommit::RemoveFlushed(int64_t table_id, const TableDataChanges& changes) {
  for (const std::string& inlined : changes.flushed_inlined_tables)
    store_.Execute(fmt::format("DELETE FROM {} WHERE begin_snapshot <= ?", SqlIdentifier(inlined)), {base_});
  const std::string now = CatalogTimestampNow();
  for (const FlushedDeletes& flushed : changes.flushed_deletes) {
    // The new delete file holds the whole history: the files it replaces are no longer read at
    // any snapshot, as when the extension flushes.
    store_.Execute("DELETE FROM ducklake_delete_file WHERE data_file_id = ?", {flushed.data_file_id});
    for (const auto& [delete_file_id, path] : flushed.replaced)
      store_.Execute("INSERT INTO ducklake_files_scheduled_for_deletion VALUES (?, ?, ?, ?)",
                     {delete_file_id, path.first, int64_t{path.second ? 1 : 0}, now});
    store_.Execute(fmt::format("DELETE FROM {} WHERE file_id = ?", SqlIdentifier(InlinedDeleteTableName(table_id))),
                   {flushed.data_file_id});
  }
  if (changes.flushed_inlined_tables.empty()) return;
  // Older layouts' inlined data tables left empty go (the extension drops them after a flush).
  for (const Row& row : store_.Query("SELECT table_name, schema_version FROM ducklake_inlined_data_tables "
                                     "WHERE table_id = ? AND schema_version < (SELECT MAX(schema_version) FROM "
                                     "ducklake_inlined_data_tables WHERE table_id = ?)",
                                     {table_id, table_id})) {
    std::string name = row.Text(0);
    if (store_.TableExists(name) &&
        store_.Query("SELECT COUNT(*) FROM " + SqlIdentifier(name)).at(0).Int(0) != 0)
      continue;
    store_.Execute("DELETE FROM ducklake_inlined_data_tables WHERE table_id = ? AND schema_version = ?",
                   {table_id, row.Int(1)});
    store_.ExecuteScript("DROP TABLE IF EXISTS " + SqlIdentifier(name));
  }
}

}  // namespace dlctl::lake
