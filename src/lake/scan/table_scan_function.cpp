// How DuckDB scans a lake table: its own Parquet scan with the lake's file list and reader
// (lake_file_list.h, lake_file_reader.h), the catalog's row count and column statistics for
// the optimizer, and the virtual columns DELETE and UPDATE find rows by.
#include "duckdb/common/multi_file/multi_file_function.hpp"
#include "duckdb/parser/tableref/table_function_ref.hpp"
#include "duckdb/storage/table_storage_info.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/catalog/snapshot_entries.h"
#include "lake/scan/column_statistics.h"
#include "lake/scan/lake_file_list.h"
#include "lake/scan/lake_file_reader.h"
#include "lake/scan/parquet_rows.h"

namespace dlctl::lake {

namespace {

ScanInfo& InfoOf(const duckdb::FunctionData* bind_data) {
  auto& data = bind_data->Cast<duckdb::MultiFileBindData>();
  return data.file_list->Cast<LakeFileList>().info();
}

duckdb::unique_ptr<duckdb::BaseStatistics> ColumnStatistics(duckdb::ClientContext&,
                                                            const duckdb::FunctionData* bind_data,
                                                            duckdb::column_t column_index) {
  if (duckdb::IsVirtualColumn(column_index)) return nullptr;
  ScanInfo& info = InfoOf(bind_data);
  // Rows this transaction wrote are in no statistics yet.
  if (info.local && (!info.local->data_files.empty() || !info.local->delete_files.empty() ||
                     !info.local->inlined_inserts.empty()))
    return nullptr;
  if (column_index >= info.table.columns.size()) return nullptr;
  const ColumnInfo& column = info.table.columns[column_index];
  const auto& stats = info.TableStats();
  auto found = stats.find(column.column_id);
  if (found == stats.end()) return nullptr;
  return TableColumnStatistics(column, found->second);
}

duckdb::BindInfo ScanBindInfo(const duckdb::optional_ptr<duckdb::FunctionData> bind_data) {
  return duckdb::BindInfo(InfoOf(bind_data.get()).entry);
}

duckdb::virtual_column_map_t ScanVirtualColumns(duckdb::ClientContext&,
                                                duckdb::optional_ptr<duckdb::FunctionData> bind_data) {
  auto& data = bind_data->Cast<duckdb::MultiFileBindData>();
  auto columns = InfoOf(bind_data.get()).entry.GetVirtualColumns();
  data.virtual_columns = columns;
  return columns;
}

duckdb::vector<duckdb::column_t> ScanRowIdColumns(duckdb::ClientContext&, duckdb::optional_ptr<duckdb::FunctionData>) {
  return {duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILENAME,
          duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILE_ROW_NUMBER};
}

duckdb::InsertionOrderPreservingMap<std::string> ScanToString(duckdb::TableFunctionToStringInput& input) {
  duckdb::InsertionOrderPreservingMap<std::string> result;
  if (input.table_function.function_info)
    result["Table"] = input.table_function.function_info->Cast<ScanInfo>().table.name;
  return result;
}

void RefuseSerialize(duckdb::Serializer&, const duckdb::optional_ptr<duckdb::FunctionData>,
                     const duckdb::TableFunction&) {
  throw duckdb::NotImplementedException("a DuckLake table scan cannot be serialized");
}

}  // namespace

duckdb::TableFunction LakeTableEntry::GetScanFunction(duckdb::ClientContext& context,
                                                      duckdb::unique_ptr<duckdb::FunctionData>& bind_data) {
  duckdb::EntryLookupInfo lookup(duckdb::CatalogType::TABLE_ENTRY, name);
  return GetScanFunction(context, bind_data, lookup);
}

duckdb::TableFunction LakeTableEntry::GetScanFunction(duckdb::ClientContext& context,
                                                      duckdb::unique_ptr<duckdb::FunctionData>& bind_data,
                                                      const duckdb::EntryLookupInfo& lookup) {
  if (!broken_.empty())
    throw duckdb::BinderException("table %s.%s cannot be read: %s", schema.name, name, broken_);
  auto& transaction = EngineTransaction::Get(context, catalog);
  // The transaction's own changes count, unless the table is read as of a past snapshot.
  std::optional<TableDataChanges> local;
  SnapshotId snapshot = owner_.snapshot();
  if (!lookup.GetAtClause()) {
    snapshot = transaction.Snapshot();
    if (LakeTransaction* writer = transaction.writer())
      if (const TableDataChanges* changes = writer->DataChangesOf(table_.id)) local = *changes;
  }

  duckdb::TableFunction function = ParquetScanFunction(context);
  function.name = "ducklake_scan";
  function.get_multi_file_reader = LakeFileReader::CreateInstance;
  function.statistics = ColumnStatistics;
  function.get_bind_info = ScanBindInfo;
  function.get_virtual_columns = ScanVirtualColumns;
  function.get_row_id_columns = ScanRowIdColumns;
  function.to_string = ScanToString;
  function.serialize = RefuseSerialize;
  function.deserialize = nullptr;
  function.function_info = duckdb::make_shared_ptr<ScanInfo>(*this, snapshot, std::move(local));

  duckdb::vector<duckdb::Value> inputs{duckdb::Value("")};
  duckdb::named_parameter_map_t named;
  duckdb::vector<duckdb::LogicalType> input_types, types;
  duckdb::vector<std::string> input_names, names;
  duckdb::TableFunctionRef ref;
  duckdb::TableFunctionBindInput input(inputs, named, input_types, input_names, nullptr, nullptr, function, ref);
  bind_data = function.bind(context, input, types, names);
  bind_data->Cast<duckdb::MultiFileBindData>().virtual_columns = GetVirtualColumns();
  return function;
}

duckdb::unique_ptr<duckdb::BaseStatistics> LakeTableEntry::GetStatistics(duckdb::ClientContext&, duckdb::column_t) {
  return nullptr;  // the scan's statistics callback answers, for the snapshot it reads
}

duckdb::TableStorageInfo LakeTableEntry::GetStorageInfo(duckdb::ClientContext& context) {
  duckdb::TableStorageInfo info;
  auto& transaction = EngineTransaction::Get(context, catalog);
  ScanInfo scan(*this, owner_.local() ? transaction.Snapshot() : owner_.snapshot(), std::nullopt);
  info.cardinality = static_cast<duckdb::idx_t>(scan.LiveRows());
  return info;
}

duckdb::virtual_column_map_t LakeTableEntry::GetVirtualColumns() const {
  duckdb::virtual_column_map_t columns;
  columns.insert({duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILENAME,
                  duckdb::TableColumn("filename", duckdb::LogicalType::VARCHAR)});
  columns.insert({duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILE_ROW_NUMBER,
                  duckdb::TableColumn("file_row_number", duckdb::LogicalType::BIGINT)});
  columns.insert({duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILE_INDEX,
                  duckdb::TableColumn("file_index", duckdb::LogicalType::UBIGINT)});
  columns.insert({duckdb::COLUMN_IDENTIFIER_ROW_ID, duckdb::TableColumn("rowid", duckdb::LogicalType::BIGINT)});
  columns.insert({duckdb::COLUMN_IDENTIFIER_EMPTY, duckdb::TableColumn("", duckdb::LogicalType::BOOLEAN)});
  return columns;
}

duckdb::vector<duckdb::column_t> LakeTableEntry::GetRowIdColumns() const {
  return {duckdb::COLUMN_IDENTIFIER_ROW_ID, duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILENAME,
          duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILE_ROW_NUMBER};
}

}  // namespace dlctl::lake
