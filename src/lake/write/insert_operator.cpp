#include "lake/write/insert_operator.h"

#include "duckdb/execution/operator/projection/physical_projection.hpp"
#include "duckdb/planner/expression/bound_cast_expression.hpp"
#include "duckdb/planner/expression/bound_reference_expression.hpp"
#include "duckdb/planner/operator/logical_create_table.hpp"
#include "duckdb/planner/operator/logical_insert.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/write/inlined_rows.h"
#include "lake/write/target_file_size.h"
#include "lake/write/written_file_stats.h"
#include "util/uuid.h"

namespace dlctl::lake {

// --- returning tee -----------------------------------------------------------------------------

ReturningTee::ReturningTee(duckdb::PhysicalPlan& plan, duckdb::PhysicalOperator& child,
                           std::shared_ptr<ReturnedRows> returned)
    : duckdb::PhysicalOperator(plan, duckdb::PhysicalOperatorType::EXTENSION, child.types, child.estimated_cardinality),
      returned_(std::move(returned)) {
  children.push_back(child);
}

duckdb::OperatorResultType ReturningTee::Execute(duckdb::ExecutionContext&, duckdb::DataChunk& input,
                                                 duckdb::DataChunk& chunk, duckdb::GlobalOperatorState&,
                                                 duckdb::OperatorState&) const {
  {
    std::lock_guard<std::mutex> lock(returned_->mutex);
    returned_->rows->Append(input);
  }
  chunk.Reference(input);
  return duckdb::OperatorResultType::NEED_MORE_INPUT;
}

// --- insert ------------------------------------------------------------------------------------

namespace {

struct InsertState : duckdb::GlobalSinkState {
  int64_t table_id = 0;
  bool skip = false;  // CREATE TABLE IF NOT EXISTS of a table that exists: write nothing
  std::vector<WrittenFile> files;
  int64_t rows = 0;
};

struct ReturnScan : duckdb::GlobalSourceState {
  duckdb::ColumnDataScanState scan;
  bool started = false;
};

}  // namespace

LakeInsert::LakeInsert(duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types,
                       LakeTableEntry& table, DataFileTarget target, std::shared_ptr<ReturnedRows> returned,
                       std::shared_ptr<HeldRows> held)
    : duckdb::PhysicalOperator(plan, duckdb::PhysicalOperatorType::EXTENSION, types, 1),
      table_(&table),
      target_(std::move(target)),
      returned_(std::move(returned)),
      held_(std::move(held)) {}

LakeInsert::LakeInsert(duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types,
                       duckdb::SchemaCatalogEntry& schema, duckdb::unique_ptr<duckdb::BoundCreateTableInfo> info,
                       std::string table_uuid, DataFileTarget target, std::shared_ptr<HeldRows> held)
    : duckdb::PhysicalOperator(plan, duckdb::PhysicalOperatorType::EXTENSION, types, 1),
      schema_(&schema),
      create_info_(std::move(info)),
      table_uuid_(std::move(table_uuid)),
      target_(std::move(target)),
      held_(std::move(held)) {}

std::string LakeInsert::GetName() const { return table_ ? "DUCKLAKE_INSERT" : "DUCKLAKE_CREATE_TABLE_AS"; }

duckdb::unique_ptr<duckdb::GlobalSinkState> LakeInsert::GetGlobalSinkState(duckdb::ClientContext& context) const {
  auto state = duckdb::make_uniq<InsertState>();
  if (returned_) {
    std::lock_guard<std::mutex> lock(returned_->mutex);
    returned_->rows = duckdb::make_uniq<duckdb::ColumnDataCollection>(context, types);
  }
  if (table_) {
    state->table_id = table_->table().id;
    return state;
  }
  auto& create = create_info_->Base();
  LakeTransaction& writer = EngineTransaction::Get(context, schema_->catalog).Writer();
  const std::string& schema = schema_->name;
  bool exists = writer.state().FindTable(schema, create.table) || writer.state().FindView(schema, create.table);
  if (exists) {
    switch (create.on_conflict) {
      case duckdb::OnCreateConflict::IGNORE_ON_CONFLICT:
        state->skip = true;
        return state;
      case duckdb::OnCreateConflict::REPLACE_ON_CONFLICT:
        if (writer.state().FindView(schema, create.table))
          writer.DropView(schema, create.table);
        else
          writer.DropTable(schema, create.table);
        break;
      default:
        throw duckdb::CatalogException("Table with name \"%s\" already exists!", create.table);
    }
  }
  state->table_id = writer.CreateTable(schema, create.table, ColumnDefinitionsOf(create), false, table_uuid_);
  if (!create.comment.IsNull()) writer.CommentOnTable(schema, create.table, create.comment.ToString());
  return state;
}

duckdb::SinkResultType LakeInsert::Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                        duckdb::OperatorSinkInput& input) const {
  auto& state = input.global_state.Cast<InsertState>();
  for (duckdb::idx_t row = 0; row < chunk.size(); ++row) {
    state.files.push_back(WrittenFileOf(context.client, chunk, row, target_));
    state.rows += state.files.back().record_count;
  }
  return duckdb::SinkResultType::NEED_MORE_INPUT;
}

duckdb::SinkFinalizeType LakeInsert::Finalize(duckdb::Pipeline&, duckdb::Event&, duckdb::ClientContext& context,
                                              duckdb::OperatorSinkFinalizeInput& input) const {
  auto& state = input.global_state.Cast<InsertState>();
  duckdb::Catalog& catalog = table_ ? table_->catalog : schema_->catalog;
  LakeTransaction& writer = EngineTransaction::Get(context, catalog).Writer();
  if (state.skip) {
    for (const WrittenFile& file : state.files) writer.NoteWritten(file.uri);  // removed at the end
    state.files.clear();
    state.rows = 0;
    return duckdb::SinkFinalizeType::READY;
  }
  writer.AppendFiles(state.table_id, std::move(state.files));
  if (held_ && held_->Inlined() && held_->rows) {
    InlinedRows rows = InlinedRowsOf(*held_->rows, target_.columns, false);
    state.rows += static_cast<int64_t>(rows.rows.size());
    writer.AppendInlinedRows(state.table_id, std::move(rows));
  }
  return duckdb::SinkFinalizeType::READY;
}

duckdb::unique_ptr<duckdb::GlobalSourceState> LakeInsert::GetGlobalSourceState(duckdb::ClientContext&) const {
  return duckdb::make_uniq<ReturnScan>();
}

duckdb::SourceResultType LakeInsert::GetData(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                             duckdb::OperatorSourceInput& input) const {
  auto& state = sink_state->Cast<InsertState>();
  if (!returned_) {
    chunk.SetCardinality(1);
    chunk.SetValue(0, 0, duckdb::Value::BIGINT(state.rows));
    return duckdb::SourceResultType::FINISHED;
  }
  auto& scan = input.global_state.Cast<ReturnScan>();
  if (!scan.started) {
    returned_->rows->InitializeScan(scan.scan);
    scan.started = true;
  }
  returned_->rows->Scan(scan.scan, chunk);
  return chunk.size() == 0 ? duckdb::SourceResultType::FINISHED : duckdb::SourceResultType::HAVE_MORE_OUTPUT;
}

// --- planning ----------------------------------------------------------------------------------

namespace {

uint64_t TargetFileSize(LakeCatalog& catalog, int64_t table_id) {
  if (catalog.source().write.target_file_size) return *catalog.source().write.target_file_size;
  if (!IsProvisionalId(table_id) && catalog.Exists())
    if (auto option = catalog.WithStore([&](MetadataStore& store) { return TargetFileSizeOption(store, table_id); }))
      return *option;
  return DataFileTarget().target_file_size;
}

// Casts the rows to the types the files are written with, where they differ.
duckdb::PhysicalOperator& CastTo(duckdb::PhysicalPlanGenerator& planner, duckdb::ClientContext& context,
                                 duckdb::PhysicalOperator& child, const duckdb::vector<duckdb::LogicalType>& types) {
  if (child.types == types) return child;
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> casts;
  for (duckdb::idx_t i = 0; i < types.size(); ++i)
    casts.push_back(duckdb::BoundCastExpression::AddCastToType(
        context, duckdb::make_uniq<duckdb::BoundReferenceExpression>(child.types[i], i), types[i]));
  auto& projection = planner.Make<duckdb::PhysicalProjection>(types, std::move(casts), child.estimated_cardinality);
  projection.children.push_back(child);
  return projection;
}

// With inlining on, an InlineBuffer on top of `input` (which it becomes) holds the rows back.
std::shared_ptr<HeldRows> Hold(duckdb::PhysicalPlanGenerator& planner, uint64_t limit,
                               duckdb::PhysicalOperator*& input) {
  if (limit == 0) return nullptr;
  auto held = std::make_shared<HeldRows>(limit);
  input = &planner.Make<InlineBuffer>(*input, held);
  return held;
}

}  // namespace

duckdb::PhysicalOperator& LakeCatalog::PlanInsert(duckdb::ClientContext& context,
                                                  duckdb::PhysicalPlanGenerator& planner, duckdb::LogicalInsert& op,
                                                  duckdb::optional_ptr<duckdb::PhysicalOperator> plan) {
  if (op.on_conflict_info.action_type != duckdb::OnConflictAction::THROW)
    throw duckdb::BinderException("INSERT ... ON CONFLICT is not supported on DuckLake tables");
  if (!op.column_index_map.empty()) plan = planner.ResolveDefaultsProjection(op, *plan);
  auto& table = op.table.Cast<LakeTableEntry>();
  // Refuses a read-only catalog before anything runs.
  LakeTransaction& writer = EngineTransaction::Get(context, *this).Writer();

  DataFileTarget target;
  target.columns = table.table().columns;
  target.folder = table.table().path;
  target.target_file_size = TargetFileSize(*this, table.table().id);
  target.partition = table.table().partition;
  duckdb::PhysicalOperator* input = &CastTo(planner, context, *plan, TargetTypes(target));
  std::shared_ptr<ReturnedRows> returned;
  if (op.return_chunk) {
    returned = std::make_shared<ReturnedRows>();
    input = &planner.Make<ReturningTee>(*input, returned);
  }
  std::shared_ptr<HeldRows> held = Hold(planner, writer.InsertInliningRowLimit(table.table().id), input);
  auto& copy = PlanDataFileCopy(context, planner, target, input);
  duckdb::vector<duckdb::LogicalType> types = op.return_chunk ? op.types : duckdb::vector<duckdb::LogicalType>{duckdb::LogicalType::BIGINT};
  auto& insert = planner.Make<LakeInsert>(types, table, target, std::move(returned), std::move(held));
  insert.children.push_back(copy);
  return insert;
}

duckdb::PhysicalOperator& LakeCatalog::PlanCreateTableAs(duckdb::ClientContext& context,
                                                         duckdb::PhysicalPlanGenerator& planner,
                                                         duckdb::LogicalCreateTable& op,
                                                         duckdb::PhysicalOperator& plan) {
  auto& schema = op.schema.Cast<LakeSchemaEntry>();
  LakeTransaction& writer = EngineTransaction::Get(context, *this).Writer();
  auto& create = op.info->Base();
  std::string uuid = UuidV7();
  DataFileTarget target;
  target.columns = NewTableColumns(ColumnDefinitionsOf(create));
  target.folder = schema.schema().path + TableFolder(create.table, uuid);
  target.target_file_size = TargetFileSize(*this, -1);
  duckdb::PhysicalOperator* input = &CastTo(planner, context, plan, TargetTypes(target));
  std::shared_ptr<HeldRows> held = Hold(planner, writer.InsertInliningRowLimit(schema.name, target.columns), input);
  auto& copy = PlanDataFileCopy(context, planner, target, input);
  auto& insert = planner.Make<LakeInsert>(op.types, op.schema, std::move(op.info), uuid, target, std::move(held));
  insert.children.push_back(copy);
  return insert;
}

}  // namespace dlctl::lake
