#include "lake/scan/inlined_data_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "duckdb/common/multi_file/multi_file_reader.hpp"
#include "duckdb/planner/table_filter_state.hpp"
#include "duckdb/storage/table/column_segment.hpp"
#include "lake/catalog/lake_catalog.h"
#include "lake/metadata/inlined_tables.h"
#include "util/sql_quote.h"

namespace dlctl::lake {

// Inlined tables keep most types as DuckDB's text forms in SQLite (spec notes §10), which cast back.
duckdb::Value InlinedValue(const Value& stored, const duckdb::LogicalType& type) {
  if (std::holds_alternative<std::monostate>(stored)) return duckdb::Value(type);
  if (auto number = std::get_if<int64_t>(&stored)) return duckdb::Value::BIGINT(*number).DefaultCastAs(type);
  if (auto number = std::get_if<double>(&stored)) return duckdb::Value::DOUBLE(*number).DefaultCastAs(type);
  const std::string& text = std::get<std::string>(stored);
  if (type.id() == duckdb::LogicalTypeId::BLOB) return duckdb::Value::BLOB_RAW(text);
  return duckdb::Value(text).DefaultCastAs(type);
}

InlinedDataReader::InlinedDataReader(duckdb::shared_ptr<ScanInfo> info, const duckdb::OpenFileInfo& file,
                                     InlinedTableInfo inlined, std::optional<int64_t> batch,
                                     const duckdb::vector<duckdb::MultiFileColumnDefinition>& table_columns,
                                     const duckdb::MultiFileColumnDefinition& row_id_column,
                                     const duckdb::MultiFileColumnDefinition& snapshot_column)
    : duckdb::BaseFileReader(file), info_(std::move(info)), inlined_(std::move(inlined)), batch_(batch) {
  columns.push_back(row_id_column);
  columns.push_back(snapshot_column);
  std::map<int64_t, size_t> stored;  // column id -> index in the inlined table's columns
  for (size_t i = 0; i < inlined_.columns.size(); ++i) stored[inlined_.columns[i].column_id] = i;
  for (const duckdb::MultiFileColumnDefinition& column : table_columns) {
    auto found = stored.find(duckdb::IntegerValue::Get(column.identifier));
    if (found == stored.end()) continue;  // added after these rows: the reader supplies its default
    columns.push_back(column);
    stored_.push_back(found->second);
  }
}

void InlinedDataReader::AddVirtualColumn(duckdb::column_t virtual_column_id) {
  if (virtual_column_id != duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILE_ROW_NUMBER)
    throw duckdb::InternalException("inlined data cannot provide virtual column %d", virtual_column_id);
  // A row's "position" is what deletes address it by: its row id in a committed inlined table,
  // its index in the transaction's own batch.
  duckdb::MultiFileColumnDefinition position("file_row_number", duckdb::LogicalType::BIGINT);
  position.identifier = duckdb::Value::INTEGER(duckdb::MultiFileReader::ORDINAL_FIELD_ID);
  columns.push_back(std::move(position));
}

bool InlinedDataReader::TryInitializeScan(duckdb::ClientContext& context, duckdb::GlobalTableFunctionState&,
                                          duckdb::LocalTableFunctionState&) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_) return false;  // one scan reads the whole table
    started_ = true;
  }
  if (!expression_map.empty())
    throw duckdb::NotImplementedException("filters with casts on inlined data are not supported");
  Load(context);
  return true;
}

std::vector<Row> InlinedDataReader::CommittedRows() {
  LakeCatalog& catalog = info_->entry.lake_catalog();
  SnapshotId snapshot = info_->snapshot;
  std::vector<Row> stored = catalog.WithStore([&](MetadataStore& store) {
    std::string list = "row_id, begin_snapshot";
    for (size_t index : stored_) {
      const InlinedColumn& column = inlined_.columns[index];
      const ColumnInfo* table_column = nullptr;
      for (const ColumnInfo& candidate : info_->table.columns)
        if (candidate.column_id == column.column_id) table_column = &candidate;
      list += ", " + (table_column ? InlinedColumnRead(store.dialect(), *table_column, column.name)
                                   : SqlIdentifier(column.name));
    }
    return store.Query(fmt::format("SELECT {} FROM {} WHERE begin_snapshot <= ? AND (end_snapshot IS NULL OR "
                                   "end_snapshot > ?) ORDER BY row_id",
                                   list, SqlIdentifier(inlined_.table_name)),
                       {snapshot, snapshot});
  });
  // Rows this transaction deleted are gone for it already.
  if (info_->local) {
    auto deleted = info_->local->inlined_deletes.find(inlined_.table_name);
    if (deleted != info_->local->inlined_deletes.end())
      std::erase_if(stored, [&](const Row& row) {
        return std::binary_search(deleted->second.begin(), deleted->second.end(), row.Int(0));
      });
  }
  // An inlined row's "position" is its row id: deletes address inlined rows by it.
  for (Row& row : stored) row.values.push_back(row.values[0]);
  return stored;
}

std::vector<Row> InlinedDataReader::BatchRows() {
  const InlinedRows* batch = nullptr;
  if (info_->local)
    for (const InlinedRows& rows : info_->local->inlined_inserts)
      if (rows.batch == *batch_) batch = &rows;
  if (!batch) throw duckdb::InternalException("inlined rows %d of table %s are gone", *batch_, info_->table.name);
  std::vector<Row> stored;
  for (size_t r = 0; r < batch->rows.size(); ++r) {
    if (batch->deleted[r]) continue;
    Row& row = stored.emplace_back();
    row.values.reserve(3 + stored_.size());
    if (batch->row_ids[r])
      row.values.emplace_back(*batch->row_ids[r]);
    else
      row.values.emplace_back();
    row.values.emplace_back();  // the snapshot: committed later
    for (size_t index : stored_) row.values.push_back(batch->rows[r].at(index));
    row.values.emplace_back(std::in_place_type<int64_t>, static_cast<int64_t>(r));  // its position in the batch
  }
  return stored;
}

void InlinedDataReader::Load(duckdb::ClientContext& context) {
  // Every column this reader has, in `columns` order; Scan projects column_ids out of them.
  std::vector<Row> stored = batch_ ? BatchRows() : CommittedRows();

  duckdb::vector<duckdb::LogicalType> types;
  for (auto& column : columns) types.push_back(column.type);
  rows_ = duckdb::make_uniq<duckdb::ColumnDataCollection>(context, types);
  duckdb::ColumnDataAppendState append;
  rows_->InitializeAppend(append);
  duckdb::DataChunk chunk;
  chunk.Initialize(context, types);
  size_t stored_columns = 2 + stored_.size();
  for (size_t r = 0; r < stored.size(); ++r) {
    duckdb::idx_t row = chunk.size();
    for (size_t c = 0; c < columns.size(); ++c) {
      // Past the stored columns only the row-number column can follow: the row's position.
      const Value& value = c < stored_columns ? stored[r].values[c] : stored[r].values.back();
      chunk.SetValue(c, row, InlinedValue(value, types[c]));
    }
    chunk.SetCardinality(row + 1);
    if (chunk.size() == STANDARD_VECTOR_SIZE) {
      rows_->Append(append, chunk);
      chunk.Reset();
    }
  }
  if (chunk.size() > 0) rows_->Append(append, chunk);
  rows_->InitializeScan(scan_state_);
}

void InlinedDataReader::Scan(duckdb::ClientContext& context, duckdb::GlobalTableFunctionState&,
                             duckdb::LocalTableFunctionState&, duckdb::DataChunk& chunk) {
  chunk.Reset();
  duckdb::DataChunk all;
  all.Initialize(context, rows_->Types());
  if (!rows_->Scan(scan_state_, all) || all.size() == 0) {
    chunk.SetCardinality(0);
    return;
  }
  for (duckdb::idx_t i = 0; i < column_ids.size(); ++i)
    chunk.data[i].Reference(all.data[column_ids[duckdb::MultiFileLocalIndex(i)].GetId()]);
  chunk.SetCardinality(all.size());

  duckdb::idx_t count = chunk.size();
  if (filters) {
    duckdb::SelectionVector sel;
    duckdb::idx_t approved = count;
    for (auto& [index, filter] : filters->filters) {
      if (filter->filter_type == duckdb::TableFilterType::OPTIONAL_FILTER) continue;
      auto& vector = chunk.data[index];
      duckdb::UnifiedVectorFormat format;
      vector.ToUnifiedFormat(count, format);
      auto state = duckdb::TableFilterState::Initialize(context, *filter);
      approved = duckdb::ColumnSegment::FilterSelection(sel, vector, format, *filter, *state, count, approved);
    }
    if (approved != count) chunk.Slice(sel, approved);
  }
  row_number_ += static_cast<int64_t>(count);
}

}  // namespace dlctl::lake
