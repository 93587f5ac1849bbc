#include "lake/write/update_operator.h"

#include <set>

#include "duckdb/execution/operator/persistent/physical_merge_into.hpp"
#include "duckdb/planner/expression/bound_cast_expression.hpp"
#include "duckdb/planner/expression/bound_columnref_expression.hpp"
#include "duckdb/planner/expression/bound_reference_expression.hpp"
#include "duckdb/planner/operator/logical_get.hpp"
#include "duckdb/planner/operator/logical_merge_into.hpp"
#include "duckdb/planner/operator/logical_projection.hpp"
#include "duckdb/planner/operator/logical_update.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/write/inlined_rows.h"
#include "lake/write/insert_operator.h"

namespace dlctl::lake {

namespace {

struct UpdateGlobal : duckdb::GlobalSinkState {
  std::mutex mutex;
  std::set<std::pair<std::string, int64_t>> seen;  // (file, position) already updated
  DeletedRows deleted;
  int64_t updated = 0;
  // New rows held back while they may still be inlined (no more than the limit so far).
  duckdb::unique_ptr<duckdb::ColumnDataCollection> held;
  bool passing = false;  // too many: every new row goes to the copies
  duckdb::unique_ptr<duckdb::ColumnDataCollection> returned;  // RETURNING's rows
};

struct UpdateLocal : duckdb::LocalSinkState {
  duckdb::unique_ptr<duckdb::LocalSinkState> copy, new_copy;
  duckdb::unique_ptr<duckdb::ExpressionExecutor> executor;
  duckdb::DataChunk computed;  // the new rows
  duckdb::DataChunk values;    // the new rows as written, then their row ids
};

struct ReturnScan : duckdb::GlobalSourceState {
  duckdb::ColumnDataScanState scan;
  bool started = false;
};

struct InsertLocal : duckdb::LocalSinkState {
  duckdb::unique_ptr<duckdb::LocalSinkState> copy;
  duckdb::DataChunk cast;
};

DataFileTarget TargetOf(LakeCatalog& catalog, LakeTableEntry& table, bool with_row_ids) {
  DataFileTarget target;
  target.columns = table.table().columns;
  target.folder = table.table().path;
  if (catalog.source().write.target_file_size) target.target_file_size = *catalog.source().write.target_file_size;
  target.with_row_ids = with_row_ids;
  target.partition = table.table().partition;
  return target;
}

CopyFeed PlanFeed(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                  const DataFileTarget& target) {
  return CopyFeed(context, PlanDataFileCopy(context, planner, target, nullptr), target);
}

}  // namespace

// --- update ------------------------------------------------------------------------------------

LakeUpdate::LakeUpdate(duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types,
                       LakeTableEntry& table, CopyFeed feed, CopyFeed new_feed,
                       duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> expressions,
                       duckdb::shared_ptr<ScanInfo> scan, duckdb::idx_t row_id_index, duckdb::idx_t path_index,
                       duckdb::idx_t position_index, uint64_t inline_limit, bool returning)
    : duckdb::PhysicalOperator(plan, duckdb::PhysicalOperatorType::EXTENSION, types, 1),
      table_(table),
      feed_(std::move(feed)),
      new_feed_(std::move(new_feed)),
      expressions_(std::move(expressions)),
      scan_(std::move(scan)),
      row_id_index_(row_id_index),
      path_index_(path_index),
      position_index_(position_index),
      inline_limit_(inline_limit),
      returning_(returning) {}

duckdb::unique_ptr<duckdb::GlobalSinkState> LakeUpdate::GetGlobalSinkState(duckdb::ClientContext& context) const {
  feed_.Begin(context);
  new_feed_.Begin(context);
  auto global = duckdb::make_uniq<UpdateGlobal>();
  global->passing = inline_limit_ == 0;
  if (!global->passing) global->held = duckdb::make_uniq<duckdb::ColumnDataCollection>(context, feed_.types());
  if (returning_) global->returned = duckdb::make_uniq<duckdb::ColumnDataCollection>(context, types);
  return global;
}

duckdb::unique_ptr<duckdb::LocalSinkState> LakeUpdate::GetLocalSinkState(duckdb::ExecutionContext& context) const {
  auto local = duckdb::make_uniq<UpdateLocal>();
  local->copy = feed_.Local(context);
  local->new_copy = new_feed_.Local(context);
  local->executor = duckdb::make_uniq<duckdb::ExpressionExecutor>(context.client, expressions_);
  duckdb::vector<duckdb::LogicalType> computed_types;
  for (auto& expression : expressions_) computed_types.push_back(expression->return_type);
  local->computed.Initialize(context.client, computed_types);
  local->values.Initialize(context.client, feed_.types());
  return local;
}

void LakeUpdate::Feed(duckdb::ExecutionContext& context, duckdb::DataChunk& rows, duckdb::LocalSinkState& local_p,
                      duckdb::InterruptState& interrupt) const {
  auto& local = local_p.Cast<UpdateLocal>();
  duckdb::idx_t id_column = rows.ColumnCount() - 1;
  duckdb::UnifiedVectorFormat ids;
  rows.data[id_column].ToUnifiedFormat(rows.size(), ids);
  duckdb::SelectionVector with_id(rows.size()), without_id(rows.size());
  duckdb::idx_t with_count = 0, without_count = 0;
  for (duckdb::idx_t i = 0; i < rows.size(); ++i) {
    if (ids.validity.RowIsValid(ids.sel->get_index(i)))
      with_id.set_index(with_count++, i);
    else
      without_id.set_index(without_count++, i);
  }
  // Rows with an id keep it in their file; the others go to files without the id column.
  auto send = [&](const CopyFeed& feed, duckdb::LocalSinkState& copy, const duckdb::SelectionVector& sel,
                  duckdb::idx_t count) {
    if (count == 0) return;
    duckdb::DataChunk part;
    part.InitializeEmpty(feed.types());
    for (duckdb::idx_t c = 0; c < part.ColumnCount(); ++c) part.data[c].Reference(rows.data[c]);
    part.SetCardinality(rows.size());
    part.Slice(sel, count);
    feed.Sink(context, part, copy, interrupt);
  };
  send(feed_, *local.copy, with_id, with_count);
  send(new_feed_, *local.new_copy, without_id, without_count);
}

duckdb::SinkResultType LakeUpdate::Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                        duckdb::OperatorSinkInput& input) const {
  auto& global = input.global_state.Cast<UpdateGlobal>();
  auto& local = input.local_state.Cast<UpdateLocal>();
  // Each row once (a row a join matches twice is updated by its first match), and its delete.
  duckdb::SelectionVector kept(chunk.size());
  duckdb::idx_t kept_count = 0;
  {
    std::lock_guard<std::mutex> lock(global.mutex);
    for (duckdb::idx_t i = 0; i < chunk.size(); ++i) {
      duckdb::Value path = chunk.GetValue(path_index_, i), position = chunk.GetValue(position_index_, i);
      if (path.IsNull() || position.IsNull()) continue;
      auto key = std::make_pair(path.ToString(), position.GetValue<int64_t>());
      if (!global.seen.insert(key).second) continue;
      global.deleted[key.first].push_back(key.second);
      kept.set_index(kept_count++, i);
    }
    global.updated += static_cast<int64_t>(kept_count);
  }
  if (kept_count == 0) return duckdb::SinkResultType::NEED_MORE_INPUT;

  local.computed.Reset();
  local.executor->Execute(chunk, local.computed);
  local.values.Reset();
  for (duckdb::idx_t c = 0; c < local.computed.ColumnCount(); ++c) {
    if (local.computed.data[c].GetType() == local.values.data[c].GetType())
      local.values.data[c].Reference(local.computed.data[c]);
    else
      duckdb::VectorOperations::Cast(context.client, local.computed.data[c], local.values.data[c],
                                     local.computed.size());
  }
  local.values.data[local.computed.ColumnCount()].Reference(chunk.data[row_id_index_]);
  local.values.SetCardinality(local.computed.size());
  local.values.Slice(kept, kept_count);

  duckdb::unique_ptr<duckdb::ColumnDataCollection> released;
  {
    std::lock_guard<std::mutex> lock(global.mutex);
    if (returning_) {
      local.computed.Slice(kept, kept_count);
      global.returned->Append(local.computed);
    }
    if (!global.passing) {
      if (global.held->Count() + kept_count <= inline_limit_) {
        global.held->Append(local.values);  // may still be inlined
        return duckdb::SinkResultType::NEED_MORE_INPUT;
      }
      // Too many to inline: what was held goes to the files with these.
      global.passing = true;
      released = std::move(global.held);
    }
  }
  if (released)
    for (auto& held : released->Chunks()) Feed(context, held, local, input.interrupt_state);
  Feed(context, local.values, local, input.interrupt_state);
  return duckdb::SinkResultType::NEED_MORE_INPUT;
}

duckdb::SinkCombineResultType LakeUpdate::Combine(duckdb::ExecutionContext& context,
                                                  duckdb::OperatorSinkCombineInput& input) const {
  auto& local = input.local_state.Cast<UpdateLocal>();
  feed_.Combine(context, *local.copy, input.interrupt_state);
  new_feed_.Combine(context, *local.new_copy, input.interrupt_state);
  return duckdb::SinkCombineResultType::FINISHED;
}

duckdb::SinkFinalizeType LakeUpdate::Finalize(duckdb::Pipeline&, duckdb::Event&, duckdb::ClientContext& context,
                                              duckdb::OperatorSinkFinalizeInput& input) const {
  auto& global = input.global_state.Cast<UpdateGlobal>();
  std::vector<WrittenFile> files = feed_.Finish(context, input.interrupt_state);
  std::vector<WrittenFile> new_files = new_feed_.Finish(context, input.interrupt_state);
  files.insert(files.end(), std::make_move_iterator(new_files.begin()), std::make_move_iterator(new_files.end()));
  // The old versions go first: the new files are this transaction's, not the scan's.
  ApplyDeletes(context, table_, scan_.get(), std::move(global.deleted));
  LakeTransaction& writer = EngineTransaction::Get(context, table_.catalog).Writer();
  writer.AppendFiles(table_.table().id, std::move(files));
  if (!global.passing && global.held->Count() > 0)
    writer.AppendInlinedRows(table_.table().id, InlinedRowsOf(*global.held, table_.table().columns, true));
  return duckdb::SinkFinalizeType::READY;
}

duckdb::unique_ptr<duckdb::GlobalSourceState> LakeUpdate::GetGlobalSourceState(duckdb::ClientContext&) const {
  return duckdb::make_uniq<ReturnScan>();
}

duckdb::SourceResultType LakeUpdate::GetData(duckdb::ExecutionContext&, duckdb::DataChunk& chunk,
                                             duckdb::OperatorSourceInput& input) const {
  auto& global = sink_state->Cast<UpdateGlobal>();
  if (!returning_) {
    chunk.SetCardinality(1);
    chunk.SetValue(0, 0, duckdb::Value::BIGINT(global.updated));
    return duckdb::SourceResultType::FINISHED;
  }
  auto& scan = input.global_state.Cast<ReturnScan>();
  if (!scan.started) {
    global.returned->InitializeScan(scan.scan);
    scan.started = true;
  }
  global.returned->Scan(scan.scan, chunk);
  return chunk.size() == 0 ? duckdb::SourceResultType::FINISHED : duckdb::SourceResultType::HAVE_MORE_OUTPUT;
}

// --- merge insert ------------------------------------------------------------------------------

LakeMergeInsert::LakeMergeInsert(duckdb::PhysicalPlan& plan, LakeTableEntry& table, CopyFeed feed)
    : duckdb::PhysicalOperator(plan, duckdb::PhysicalOperatorType::EXTENSION, {duckdb::LogicalType::BIGINT}, 1),
      table_(table),
      feed_(std::move(feed)) {}

duckdb::unique_ptr<duckdb::GlobalSinkState> LakeMergeInsert::GetGlobalSinkState(duckdb::ClientContext& context) const {
  feed_.Begin(context);
  return duckdb::make_uniq<duckdb::GlobalSinkState>();
}

duckdb::unique_ptr<duckdb::LocalSinkState> LakeMergeInsert::GetLocalSinkState(
    duckdb::ExecutionContext& context) const {
  auto local = duckdb::make_uniq<InsertLocal>();
  local->copy = feed_.Local(context);
  local->cast.Initialize(context.client, feed_.types());
  return local;
}

duckdb::SinkResultType LakeMergeInsert::Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                             duckdb::OperatorSinkInput& input) const {
  auto& local = input.local_state.Cast<InsertLocal>();
  local.cast.Reset();
  for (duckdb::idx_t c = 0; c < chunk.ColumnCount(); ++c) {
    if (chunk.data[c].GetType() == local.cast.data[c].GetType())
      local.cast.data[c].Reference(chunk.data[c]);
    else
      duckdb::VectorOperations::Cast(context.client, chunk.data[c], local.cast.data[c], chunk.size());
  }
  local.cast.SetCardinality(chunk.size());
  feed_.Sink(context, local.cast, *local.copy, input.interrupt_state);
  return duckdb::SinkResultType::NEED_MORE_INPUT;
}

duckdb::SinkCombineResultType LakeMergeInsert::Combine(duckdb::ExecutionContext& context,
                                                       duckdb::OperatorSinkCombineInput& input) const {
  feed_.Combine(context, *input.local_state.Cast<InsertLocal>().copy, input.interrupt_state);
  return duckdb::SinkCombineResultType::FINISHED;
}

duckdb::SinkFinalizeType LakeMergeInsert::Finalize(duckdb::Pipeline&, duckdb::Event&, duckdb::ClientContext& context,
                                                   duckdb::OperatorSinkFinalizeInput& input) const {
  std::vector<WrittenFile> files = feed_.Finish(context, input.interrupt_state);
  EngineTransaction::Get(context, table_.catalog).Writer().AppendFiles(table_.table().id, std::move(files));
  return duckdb::SinkFinalizeType::READY;
}

// --- planning ----------------------------------------------------------------------------------

namespace {

// The new value of every table column in table order, from UPDATE's (column, expression) pairs.
duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> ValuesInTableOrder(
    duckdb::ClientContext& context, LakeTableEntry& table, const duckdb::vector<duckdb::PhysicalIndex>& columns,
    duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& expressions) {
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> values(table.GetColumns().PhysicalColumnCount());
  for (duckdb::idx_t i = 0; i < columns.size(); ++i) {
    if (expressions[i]->type == duckdb::ExpressionType::VALUE_DEFAULT)
      throw duckdb::BinderException("UPDATE ... SET column = DEFAULT is not supported on DuckLake tables");
    values[columns[i].index] = expressions[i]->Copy();
  }
  for (duckdb::idx_t i = 0; i < values.size(); ++i) {
    if (!values[i])
      throw duckdb::InternalException("UPDATE of a DuckLake table must set every column (column %d is missing)", i);
    auto& type = table.GetColumns().GetColumn(duckdb::PhysicalIndex(i)).Type();
    if (values[i]->return_type != type)
      values[i] = duckdb::BoundCastExpression::AddCastToType(context, std::move(values[i]), type);
  }
  return values;
}

}  // namespace

duckdb::PhysicalOperator& LakeCatalog::PlanUpdate(duckdb::ClientContext& context,
                                                  duckdb::PhysicalPlanGenerator& planner, duckdb::LogicalUpdate& op,
                                                  duckdb::PhysicalOperator& plan) {
  auto& table = op.table.Cast<LakeTableEntry>();
  LakeTransaction& writer = EngineTransaction::Get(context, *this).Writer();
  auto scan = FindScan(plan, table);  // none when the optimizer proved nothing matches
  auto feed = PlanFeed(context, planner, TargetOf(*this, table, true));
  auto new_feed = PlanFeed(context, planner, TargetOf(*this, table, false));
  auto values = ValuesInTableOrder(context, table, op.columns, op.expressions);
  // The row-id columns come last: rowid, filename, file_row_number.
  duckdb::idx_t count = plan.types.size();
  duckdb::vector<duckdb::LogicalType> types =
      op.return_chunk ? op.types : duckdb::vector<duckdb::LogicalType>{duckdb::LogicalType::BIGINT};
  auto& update = planner.Make<LakeUpdate>(types, table, std::move(feed), std::move(new_feed), std::move(values),
                                          std::move(scan), count - 3, count - 2, count - 1,
                                          writer.InsertInliningRowLimit(table.table().id), op.return_chunk);
  update.children.push_back(plan);
  return update;
}

duckdb::PhysicalOperator& LakeCatalog::PlanMergeInto(duckdb::ClientContext& context,
                                                     duckdb::PhysicalPlanGenerator& planner,
                                                     duckdb::LogicalMergeInto& op, duckdb::PhysicalOperator& plan) {
  if (op.return_chunk) throw duckdb::BinderException("MERGE ... RETURNING is not supported on DuckLake tables");
  auto& table = op.table.Cast<LakeTableEntry>();
  LakeTransaction& writer = EngineTransaction::Get(context, *this).Writer();
  auto scan = FindScan(plan, table);
  // The row-id columns of the target, from row_id_start: rowid, filename, file_row_number.
  const duckdb::idx_t row_id = op.row_id_start, path = op.row_id_start + 1, position = op.row_id_start + 2;

  std::map<duckdb::MergeActionCondition, duckdb::vector<duckdb::unique_ptr<duckdb::MergeIntoOperator>>> actions;
  int updates_or_deletes = 0;
  for (auto& [condition, bound_actions] : op.actions) {
    duckdb::vector<duckdb::unique_ptr<duckdb::MergeIntoOperator>> planned;
    for (auto& action : bound_actions) {
      auto result = duckdb::make_uniq<duckdb::MergeIntoOperator>();
      result->action_type = action->action_type;
      result->condition = std::move(action->condition);
      switch (action->action_type) {
        case duckdb::MergeActionType::MERGE_UPDATE: {
          if (++updates_or_deletes > 1 || !scan)
            throw duckdb::NotImplementedException(
                "MERGE INTO a DuckLake table takes one WHEN MATCHED ... UPDATE or DELETE action");
          auto feed = PlanFeed(context, planner, TargetOf(*this, table, true));
          auto new_feed = PlanFeed(context, planner, TargetOf(*this, table, false));
          auto values = ValuesInTableOrder(context, table, action->columns, action->expressions);
          // Updated rows may be inlined; inserted ones never are (as the extension's MERGE).
          result->op = planner.Make<LakeUpdate>(duckdb::vector<duckdb::LogicalType>{duckdb::LogicalType::BIGINT},
                                                table, std::move(feed), std::move(new_feed), std::move(values), scan,
                                                row_id, path, position,
                                                writer.InsertInliningRowLimit(table.table().id), false);
          break;
        }
        case duckdb::MergeActionType::MERGE_DELETE:
          if (++updates_or_deletes > 1 || !scan)
            throw duckdb::NotImplementedException(
                "MERGE INTO a DuckLake table takes one WHEN MATCHED ... UPDATE or DELETE action");
          result->op = planner.Make<LakeDelete>(table, plan, scan, path, position);
          break;
        case duckdb::MergeActionType::MERGE_INSERT: {
          // Every column in table order: the listed ones from the action, the others their default.
          if (!action->column_index_map.empty()) {
            duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> ordered;
            for (auto& column : table.GetColumns().Physical()) {
              auto mapped = action->column_index_map[column.Physical()];
              ordered.push_back(mapped == duckdb::DConstants::INVALID_INDEX
                                    ? op.bound_defaults[column.StorageOid()]->Copy()
                                    : std::move(action->expressions[mapped]));
            }
            action->expressions = std::move(ordered);
          }
          result->expressions = std::move(action->expressions);
          result->op = planner.Make<LakeMergeInsert>(table, PlanFeed(context, planner, TargetOf(*this, table, false)));
          break;
        }
        case duckdb::MergeActionType::MERGE_ERROR:
          result->expressions = std::move(action->expressions);
          break;
        case duckdb::MergeActionType::MERGE_DO_NOTHING:
          break;
        default:
          throw duckdb::NotImplementedException("this MERGE action is not supported on DuckLake tables");
      }
      planned.push_back(std::move(result));
    }
    actions.emplace(condition, std::move(planned));
  }
  auto& merge = planner.Make<duckdb::PhysicalMergeInto>(op.types, std::move(actions), op.row_id_start,
                                                        op.source_marker, true, op.return_chunk);
  merge.children.push_back(plan);
  return merge;
}

// All updates are a delete plus an insert of the whole row: make DuckDB project every column.
void LakeTableEntry::BindUpdateConstraints(duckdb::Binder&, duckdb::LogicalGet& get, duckdb::LogicalProjection& proj,
                                           duckdb::LogicalUpdate& update, duckdb::ClientContext&) {
  update.update_is_del_and_insert = true;
  for (auto& column : columns.Physical()) {
    auto index = column.Physical();
    bool updated = false;
    for (auto& set : update.columns) updated = updated || set == index;
    if (updated) continue;
    auto& ids = get.GetColumnIds();
    std::optional<duckdb::idx_t> projected;
    for (duckdb::idx_t i = 0; i < ids.size(); ++i)
      if (ids[i].GetPrimaryIndex() == index.index) projected = i;
    if (!projected) {
      projected = ids.size();
      get.AddColumnId(index.index);
    }
    // SET column = column for every column the statement leaves alone.
    update.expressions.push_back(duckdb::make_uniq<duckdb::BoundColumnRefExpression>(
        column.Type(), duckdb::ColumnBinding(proj.table_index, proj.expressions.size())));
    proj.expressions.push_back(duckdb::make_uniq<duckdb::BoundColumnRefExpression>(
        column.Type(), duckdb::ColumnBinding(get.table_index, *projected)));
    update.columns.push_back(index);
  }
}

}  // namespace dlctl::lake
