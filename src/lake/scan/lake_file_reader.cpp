#include "lake/scan/lake_file_reader.h"

#include "duckdb/function/function_binder.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/planner/expression/bound_constant_expression.hpp"
#include "duckdb/planner/expression/bound_reference_expression.hpp"
#include "duckdb/planner/filter/constant_filter.hpp"
#include "lake/catalog/types.h"
#include "lake/scan/delete_filter.h"
#include "lake/scan/inlined_data_reader.h"
#include "lake/scan/lake_file_list.h"

namespace dlctl::lake {

namespace {

duckdb::MultiFileColumnDefinition ColumnOf(const ColumnInfo& column, bool map_key_value) {
  duckdb::LogicalType type = duckdb::TransformStringToLogicalType(DuckDBType(column));
  duckdb::MultiFileColumnDefinition result(column.name, type);
  duckdb::Value initial = column.initial_default ? duckdb::Value(*column.initial_default).DefaultCastAs(type)
                                                 : duckdb::Value(type);
  result.default_expression = duckdb::make_uniq<duckdb::ConstantExpression>(std::move(initial));
  result.identifier = duckdb::Value::INTEGER(static_cast<int32_t>(column.column_id));
  for (const ColumnInfo& child : column.children) result.children.push_back(ColumnOf(child, map_key_value));
  if (map_key_value && type.id() == duckdb::LogicalTypeId::MAP) {
    duckdb::MultiFileColumnDefinition key_value("key_value", duckdb::LogicalTypeId::INVALID);
    key_value.children = std::move(result.children);
    result.children.clear();
    result.children.push_back(std::move(key_value));
  }
  return result;
}

const ScanFile& FileOf(duckdb::MultiFileGlobalState& gstate, const duckdb::BaseFileReader& reader) {
  return gstate.file_list.Cast<LakeFileList>().FileAt(reader.file_list_idx.GetIndex());
}

}  // namespace

LakeFileReader::LakeFileReader(duckdb::shared_ptr<ScanInfo> info)
    : info_(std::move(info)),
      row_id_column_("_ducklake_internal_row_id", duckdb::LogicalType::BIGINT),
      snapshot_column_("_ducklake_internal_snapshot_id", duckdb::LogicalType::BIGINT) {
  row_id_column_.identifier = duckdb::Value::INTEGER(duckdb::MultiFileReader::ROW_ID_FIELD_ID);
  snapshot_column_.identifier = duckdb::Value::INTEGER(duckdb::MultiFileReader::LAST_UPDATED_SEQUENCE_NUMBER_ID);
}

duckdb::unique_ptr<duckdb::MultiFileReader> LakeFileReader::CreateInstance(const duckdb::TableFunction& function) {
  auto info = duckdb::shared_ptr_cast<duckdb::TableFunctionInfo, ScanInfo>(function.function_info);
  return duckdb::make_uniq<LakeFileReader>(std::move(info));
}

duckdb::unique_ptr<duckdb::MultiFileReader> LakeFileReader::Copy() const {
  return duckdb::make_uniq<LakeFileReader>(info_);
}

duckdb::vector<duckdb::MultiFileColumnDefinition> LakeFileReader::GlobalColumns(const TableInfo& table,
                                                                                bool map_key_value) {
  duckdb::vector<duckdb::MultiFileColumnDefinition> columns;
  for (const ColumnInfo& column : table.columns) columns.push_back(ColumnOf(column, map_key_value));
  return columns;
}

duckdb::shared_ptr<duckdb::MultiFileList> LakeFileReader::CreateFileList(duckdb::ClientContext&,
                                                                         const duckdb::vector<std::string>&,
                                                                         const duckdb::FileGlobInput&) {
  return duckdb::make_shared_ptr<LakeFileList>(info_);
}

bool LakeFileReader::Bind(duckdb::MultiFileOptions&, duckdb::MultiFileList&,
                          duckdb::vector<duckdb::LogicalType>& return_types, duckdb::vector<std::string>& names,
                          duckdb::MultiFileReaderBindData& bind_data) {
  bind_data.schema = GlobalColumns(info_->table);
  bind_data.mapping = duckdb::MultiFileColumnMappingMode::BY_FIELD_ID;
  names.clear();
  return_types.clear();
  for (auto& column : bind_data.schema) {
    names.push_back(column.name);
    return_types.push_back(column.type);
  }
  return true;
}

duckdb::ReaderInitializeType LakeFileReader::InitializeReader(
    duckdb::MultiFileReaderData& reader_data, const duckdb::MultiFileBindData& bind_data,
    const duckdb::vector<duckdb::MultiFileColumnDefinition>& global_columns,
    const duckdb::vector<duckdb::ColumnIndex>& global_column_ids,
    duckdb::optional_ptr<duckdb::TableFilterSet> table_filters, duckdb::ClientContext& context,
    duckdb::MultiFileGlobalState& gstate) {
  auto& reader = *reader_data.reader;
  const ScanFile& file = FileOf(gstate, reader);
  if (file.mapping_id)
    throw duckdb::NotImplementedException(
        "table %s has a data file without field ids (%s); name-mapped files are not supported yet",
        info_->table.name, file.path);
  if (file.delete_path || !file.inlined_deleted.empty()) {
    std::vector<int64_t> deleted = file.inlined_deleted;
    if (file.delete_path)
      deleted = MergePositions(deleted, ReadDeletedPositions(context, *file.delete_path, info_->snapshot));
    reader.deletion_filter = duckdb::make_uniq<PositionDeleteFilter>(std::move(deleted));
  }
  auto result = duckdb::MultiFileReader::InitializeReader(reader_data, bind_data, global_columns, global_column_ids,
                                                          table_filters, context, gstate);
  if (!file.filter_row_snapshots) return result;

  // A file holding rows of several snapshots: keep those of the scan's snapshot and before,
  // through a filter on the file's per-row snapshot column (read even when not projected).
  std::optional<duckdb::idx_t> snapshot_column;
  for (duckdb::idx_t i = 0; i < reader.columns.size(); ++i) {
    auto& column = reader.columns[i];
    if (column.identifier.type().id() == duckdb::LogicalTypeId::INTEGER &&
        duckdb::IntegerValue::Get(column.identifier) == duckdb::MultiFileReader::LAST_UPDATED_SEQUENCE_NUMBER_ID)
      snapshot_column = i;
  }
  if (!snapshot_column)
    throw duckdb::InvalidInputException("data file %s holds rows of several snapshots but no snapshot column",
                                        file.path);
  duckdb::Value bound =
      duckdb::Value::BIGINT(info_->snapshot).DefaultCastAs(reader.columns[*snapshot_column].type);
  std::optional<duckdb::idx_t> local;
  for (duckdb::idx_t i = 0; i < reader.column_indexes.size(); ++i)
    if (reader.column_indexes[i].GetPrimaryIndex() == *snapshot_column) local = i;
  if (!local) {
    local = reader.column_indexes.size();
    reader.column_indexes.emplace_back(*snapshot_column);
    reader.column_ids.emplace_back(*snapshot_column);
  }
  if (!reader.filters) reader.filters = duckdb::make_uniq<duckdb::TableFilterSet>();
  reader.filters->PushFilter(duckdb::ColumnIndex(*local),
                             duckdb::make_uniq<duckdb::ConstantFilter>(
                                 duckdb::ExpressionType::COMPARE_LESSTHANOREQUALTO, std::move(bound)));
  return result;
}

duckdb::shared_ptr<duckdb::BaseFileReader> LakeFileReader::TryInlinedReader(const duckdb::OpenFileInfo& file) {
  if (!IsInlinedData(file)) return nullptr;
  for (const InlinedTableInfo& inlined : info_->table.inlined_tables)
    if (inlined.table_name == file.path)
      return duckdb::make_shared_ptr<InlinedDataReader>(info_, file, inlined, std::nullopt,
                                                        GlobalColumns(info_->table, true), row_id_column_,
                                                        snapshot_column_);
  // Rows the scanning transaction inlined: their columns are the batch's.
  if (info_->local)
    for (const InlinedRows& rows : info_->local->inlined_inserts)
      if (InlinedBatchPath(rows.batch) == file.path) {
        InlinedTableInfo batch;
        batch.table_name = file.path;
        for (int64_t column_id : rows.column_ids) batch.columns.push_back({column_id, ""});
        return duckdb::make_shared_ptr<InlinedDataReader>(info_, file, std::move(batch), rows.batch,
                                                          GlobalColumns(info_->table, true), row_id_column_,
                                                          snapshot_column_);
      }
  throw duckdb::InternalException("no inlined data table %s in table %s", file.path, info_->table.name);
}

duckdb::shared_ptr<duckdb::BaseFileReader> LakeFileReader::CreateReader(duckdb::ClientContext& context,
                                                                        duckdb::GlobalTableFunctionState& gstate,
                                                                        const duckdb::OpenFileInfo& file,
                                                                        duckdb::idx_t file_idx,
                                                                        const duckdb::MultiFileBindData& bind_data) {
  if (auto inlined = TryInlinedReader(file)) return inlined;
  return duckdb::MultiFileReader::CreateReader(context, gstate, file, file_idx, bind_data);
}

duckdb::shared_ptr<duckdb::BaseFileReader> LakeFileReader::CreateReader(duckdb::ClientContext& context,
                                                                        const duckdb::OpenFileInfo& file,
                                                                        duckdb::BaseFileReaderOptions& options,
                                                                        const duckdb::MultiFileOptions& file_options,
                                                                        duckdb::MultiFileReaderInterface& interface) {
  if (auto inlined = TryInlinedReader(file)) return inlined;
  return duckdb::MultiFileReader::CreateReader(context, file, options, file_options, interface);
}

duckdb::unique_ptr<duckdb::Expression> LakeFileReader::GetVirtualColumnExpression(
    duckdb::ClientContext& context, duckdb::MultiFileReaderData& reader_data,
    const duckdb::vector<duckdb::MultiFileColumnDefinition>& local_columns, duckdb::idx_t& column_id,
    const duckdb::LogicalType& type, duckdb::MultiFileLocalIndex local_index,
    duckdb::optional_ptr<duckdb::MultiFileColumnDefinition>& global_column_reference) {
  if (column_id != duckdb::COLUMN_IDENTIFIER_ROW_ID)
    return duckdb::MultiFileReader::GetVirtualColumnExpression(context, reader_data, local_columns, column_id, type,
                                                               local_index, global_column_reference);
  // A row's id: kept in the file for rows rewritten by UPDATE, else row_id_start + position.
  for (auto& column : local_columns)
    if (!column.identifier.IsNull() && column.identifier.type().id() == duckdb::LogicalTypeId::INTEGER &&
        duckdb::IntegerValue::Get(column.identifier) == duckdb::MultiFileReader::ROW_ID_FIELD_ID) {
      global_column_reference = &row_id_column_;
      return nullptr;
    }
  std::optional<int64_t> row_id_start = RowIdStart(reader_data.file_to_be_opened);
  if (!row_id_start) return duckdb::make_uniq<duckdb::BoundConstantExpression>(duckdb::Value(type));  // no id yet
  column_id = duckdb::MultiFileReader::COLUMN_IDENTIFIER_FILE_ROW_NUMBER;
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> operands;
  operands.push_back(duckdb::make_uniq<duckdb::BoundConstantExpression>(duckdb::Value::BIGINT(*row_id_start)));
  operands.push_back(duckdb::make_uniq<duckdb::BoundReferenceExpression>(type, local_index.GetIndex()));
  duckdb::FunctionBinder binder(context);
  duckdb::ErrorData error;
  auto sum = binder.BindScalarFunction(DEFAULT_SCHEMA, "+", std::move(operands), error, true, nullptr);
  if (error.HasError()) error.Throw();
  return sum;
}

}  // namespace dlctl::lake
