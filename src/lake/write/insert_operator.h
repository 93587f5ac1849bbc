#pragma once
// INSERT INTO and CREATE TABLE AS on a lake table, as DuckDB plans them: the rows go through
// a copy into new data files (parquet_copy.h), and this operator, above the copy, hands the
// files to the transaction, which registers them at COMMIT. A few rows (no more than the
// table's data_inlining_row_limit) are held back before the copy (inline_buffer.h) and kept in
// the catalog instead. It returns the row count, or with RETURNING the inserted rows (kept on
// their way to the copy by a ReturningTee).
#include <memory>
#include <mutex>
#include <vector>

#include "duckdb/common/types/column/column_data_collection.hpp"
#include "duckdb/execution/physical_operator.hpp"
#include "duckdb/planner/parsed_data/bound_create_table_info.hpp"
#include "lake/catalog/snapshot_entries.h"
#include "lake/write/inline_buffer.h"
#include "lake/write/parquet_copy.h"

namespace dlctl::lake {

// Rows an INSERT ... RETURNING passes on, gathered while they stream to the copy.
struct ReturnedRows {
  std::mutex mutex;
  duckdb::unique_ptr<duckdb::ColumnDataCollection> rows;
};

// Passes every chunk through unchanged, keeping a copy in `returned`.
class ReturningTee : public duckdb::PhysicalOperator {
 public:
  ReturningTee(duckdb::PhysicalPlan& plan, duckdb::PhysicalOperator& child, std::shared_ptr<ReturnedRows> returned);

  duckdb::OperatorResultType Execute(duckdb::ExecutionContext& context, duckdb::DataChunk& input,
                                     duckdb::DataChunk& chunk, duckdb::GlobalOperatorState& gstate,
                                     duckdb::OperatorState& state) const override;
  bool ParallelOperator() const override { return true; }
  std::string GetName() const override { return "DUCKLAKE_RETURNING"; }

 private:
  std::shared_ptr<ReturnedRows> returned_;
};

class LakeInsert : public duckdb::PhysicalOperator {
 public:
  // INSERT INTO an existing table.
  // `held`: the rows an InlineBuffer below held back (null: inlining is off).
  LakeInsert(duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types, LakeTableEntry& table,
             DataFileTarget target, std::shared_ptr<ReturnedRows> returned, std::shared_ptr<HeldRows> held);
  // CREATE TABLE AS: the table is created when the statement runs.
  LakeInsert(duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types,
             duckdb::SchemaCatalogEntry& schema, duckdb::unique_ptr<duckdb::BoundCreateTableInfo> info,
             std::string table_uuid, DataFileTarget target, std::shared_ptr<HeldRows> held);

  // Source: the row count, or the returned rows.
  duckdb::SourceResultType GetData(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                   duckdb::OperatorSourceInput& input) const override;
  bool IsSource() const override { return true; }
  duckdb::unique_ptr<duckdb::GlobalSourceState> GetGlobalSourceState(duckdb::ClientContext& context) const override;

  // Sink: one row per written file, from the copy below.
  duckdb::unique_ptr<duckdb::GlobalSinkState> GetGlobalSinkState(duckdb::ClientContext& context) const override;
  duckdb::SinkResultType Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                              duckdb::OperatorSinkInput& input) const override;
  duckdb::SinkFinalizeType Finalize(duckdb::Pipeline& pipeline, duckdb::Event& event, duckdb::ClientContext& context,
                                    duckdb::OperatorSinkFinalizeInput& input) const override;
  bool IsSink() const override { return true; }
  bool ParallelSink() const override { return false; }
  std::string GetName() const override;

 private:
  duckdb::optional_ptr<LakeTableEntry> table_;
  duckdb::optional_ptr<duckdb::SchemaCatalogEntry> schema_;
  duckdb::unique_ptr<duckdb::BoundCreateTableInfo> create_info_;
  std::string table_uuid_;
  DataFileTarget target_;  // where and how the copy below wrote the files
  std::shared_ptr<ReturnedRows> returned_;
  std::shared_ptr<HeldRows> held_;
};

}  // namespace dlctl::lake
