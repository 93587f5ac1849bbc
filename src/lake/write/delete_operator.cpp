#include "lake/write/delete_operator.h"

#include <algorithm>
#include <unordered_map>

#include "duckdb/common/multi_file/multi_file_function.hpp"
#include "duckdb/execution/operator/scan/physical_table_scan.hpp"
#include "duckdb/planner/expression/bound_reference_expression.hpp"
#include "duckdb/planner/operator/logical_delete.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/scan/delete_filter.h"
#include "lake/scan/lake_file_list.h"
#include "lake/write/direct_parquet_write.h"

namespace dlctl::lake {

namespace {

struct DeleteState : duckdb::GlobalSinkState {
  DeletedRows rows;
  int64_t deleted = 0;
};

}  // namespace

int64_t ApplyDeletes(duckdb::ClientContext& context, LakeTableEntry& table, ScanInfo* scan, DeletedRows deleted) {
  if (deleted.empty()) return 0;
  if (!scan) throw duckdb::InternalException("rows of %s to delete, but no scan of it", table.name);
  LakeTransaction& writer = EngineTransaction::Get(context, table.catalog).Writer();
  const int64_t table_id = table.table().id;
  std::unordered_map<std::string, const ScanFile*> files;
  for (const ScanFile& file : scan->Files()) files[file.path] = &file;

  const uint64_t inline_limit = writer.InliningRowLimit(table_id);
  int64_t count = 0;
  for (auto& [path, positions] : deleted) {
    auto found = files.find(path);
    if (found == files.end())
      throw duckdb::InternalException("DELETE names a file %s that table %s does not have", path, table.name);
    const ScanFile& file = *found->second;
    std::sort(positions.begin(), positions.end());
    positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
    if (file.inlined) {
      count += writer.DeleteInlinedRows(table_id, file.inlined->table_name, positions);
      continue;
    }
    if (file.inlined_batch) {
      count += writer.DeleteInlinedBatchRows(table_id, *file.inlined_batch, positions);
      continue;
    }
    // A few rows of a committed file: listed in the catalog instead of a new delete file, as
    // the extension does with at most data_inlining_row_limit rows of one file.
    if (file.data_file_id && positions.size() <= inline_limit) {
      count += writer.DeleteFileRowsInline(table_id, *file.data_file_id, positions);
      continue;
    }
    std::vector<int64_t> earlier = file.inlined_deleted;
    if (file.delete_path)
      earlier = MergePositions(earlier, ReadDeletedPositions(context, *file.delete_path, scan->snapshot));
    std::vector<int64_t> all = MergePositions(earlier, positions);
    count += static_cast<int64_t>(all.size() - earlier.size());
    if (static_cast<int64_t>(all.size()) >= file.record_count) {
      if (file.data_file_id)
        writer.DropDataFile(table_id, *file.data_file_id);
      else
        writer.DeleteFromNewFile(table_id, file.path, std::nullopt);
      continue;
    }
    WrittenFile delete_file = WriteDeleteFile(context, table.table().path, file.path, all);
    if (file.data_file_id)
      writer.ReplaceDeleteFile(table_id, *file.data_file_id, std::move(delete_file));
    else
      writer.DeleteFromNewFile(table_id, file.path, std::move(delete_file));
  }
  return count;
}

duckdb::shared_ptr<ScanInfo> FindScan(duckdb::PhysicalOperator& plan, LakeTableEntry& table) {
  if (plan.type == duckdb::PhysicalOperatorType::TABLE_SCAN) {
    auto& scan = plan.Cast<duckdb::PhysicalTableScan>();
    if (scan.bind_data && scan.function.get_multi_file_reader) {
      auto& data = scan.bind_data->Cast<duckdb::MultiFileBindData>();
      if (auto* list = dynamic_cast<LakeFileList*>(data.file_list.get()))
        if (list->info().table.id == table.table().id && &list->info().entry.catalog == &table.catalog)
          return duckdb::shared_ptr_cast<duckdb::TableFunctionInfo, ScanInfo>(scan.function.function_info);
    }
  }
  for (auto& child : plan.children)
    if (auto found = FindScan(child.get(), table)) return found;
  return nullptr;
}

LakeDelete::LakeDelete(duckdb::PhysicalPlan& plan, LakeTableEntry& table, duckdb::PhysicalOperator& child,
                       duckdb::shared_ptr<ScanInfo> scan, duckdb::idx_t path_index, duckdb::idx_t position_index)
    : duckdb::PhysicalOperator(plan, duckdb::PhysicalOperatorType::EXTENSION, {duckdb::LogicalType::BIGINT}, 1),
      table_(table),
      scan_(std::move(scan)),
      path_index_(path_index),
      position_index_(position_index) {
  children.push_back(child);
}

void LakeDelete::Collect(duckdb::DataChunk& chunk, duckdb::idx_t path_index, duckdb::idx_t position_index,
                         DeletedRows& rows) {
  duckdb::UnifiedVectorFormat paths, positions;
  chunk.data[path_index].ToUnifiedFormat(chunk.size(), paths);
  chunk.data[position_index].ToUnifiedFormat(chunk.size(), positions);
  auto path_data = duckdb::UnifiedVectorFormat::GetData<duckdb::string_t>(paths);
  auto position_data = duckdb::UnifiedVectorFormat::GetData<int64_t>(positions);
  std::vector<int64_t>* current = nullptr;
  std::string current_path;
  for (duckdb::idx_t i = 0; i < chunk.size(); ++i) {
    auto p = paths.sel->get_index(i), q = positions.sel->get_index(i);
    if (!paths.validity.RowIsValid(p) || !positions.validity.RowIsValid(q)) continue;  // no such row (outer join)
    duckdb::string_t path = path_data[p];
    if (!current || path.GetString() != current_path) {
      current_path = path.GetString();
      current = &rows[current_path];
    }
    current->push_back(position_data[q]);
  }
}

duckdb::unique_ptr<duckdb::GlobalSinkState> LakeDelete::GetGlobalSinkState(duckdb::ClientContext&) const {
  return duckdb::make_uniq<DeleteState>();
}

duckdb::SinkResultType LakeDelete::Sink(duckdb::ExecutionContext&, duckdb::DataChunk& chunk,
                                        duckdb::OperatorSinkInput& input) const {
  Collect(chunk, path_index_, position_index_, input.global_state.Cast<DeleteState>().rows);
  return duckdb::SinkResultType::NEED_MORE_INPUT;
}

duckdb::SinkFinalizeType LakeDelete::Finalize(duckdb::Pipeline&, duckdb::Event&, duckdb::ClientContext& context,
                                              duckdb::OperatorSinkFinalizeInput& input) const {
  auto& state = input.global_state.Cast<DeleteState>();
  state.deleted = ApplyDeletes(context, table_, scan_.get(), std::move(state.rows));
  return duckdb::SinkFinalizeType::READY;
}

duckdb::SourceResultType LakeDelete::GetData(duckdb::ExecutionContext&, duckdb::DataChunk& chunk,
                                             duckdb::OperatorSourceInput&) const {
  chunk.SetCardinality(1);
  chunk.SetValue(0, 0, duckdb::Value::BIGINT(sink_state->Cast<DeleteState>().deleted));
  return duckdb::SourceResultType::FINISHED;
}

duckdb::PhysicalOperator& LakeCatalog::PlanDelete(duckdb::ClientContext& context,
                                                  duckdb::PhysicalPlanGenerator& planner, duckdb::LogicalDelete& op,
                                                  duckdb::PhysicalOperator& plan) {
  if (op.return_chunk) throw duckdb::BinderException("DELETE ... RETURNING is not supported on DuckLake tables");
  auto& table = op.table.Cast<LakeTableEntry>();
  EngineTransaction::Get(context, *this).Writer();
  // No scan when the optimizer proved that nothing matches: nothing to delete then.
  auto scan = FindScan(plan, table);
  // The row-id columns: rowid, filename, file_row_number (LakeTableEntry::GetRowIdColumns).
  auto index = [&](duckdb::idx_t i) { return op.expressions[i]->Cast<duckdb::BoundReferenceExpression>().index; };
  return planner.Make<LakeDelete>(table, plan, std::move(scan), index(1), index(2));
}

}  // namespace dlctl::lake
