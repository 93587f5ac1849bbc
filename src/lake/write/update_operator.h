#pragma once
// UPDATE on a lake table (and MERGE's WHEN MATCHED THEN UPDATE): DuckLake has no in-place
// update, so each updated row is deleted where it is and written again, with every column and
// the row id it had (spec notes §5), into new data files, or, when no more rows than the
// table's data_inlining_row_limit were updated, into the catalog's inlined data (as the
// extension does). Rows this transaction inserted have no id yet: theirs go into files without
// one. A row matched twice is updated once. With RETURNING, the new rows come back.
#include <vector>

#include "duckdb/execution/expression_executor.hpp"
#include "duckdb/execution/physical_operator.hpp"
#include "lake/write/copy_feed.h"
#include "lake/write/delete_operator.h"

namespace dlctl::lake {

class LakeUpdate : public duckdb::PhysicalOperator {
 public:
  // `expressions`: the new value of every column of the table, in table order, over the
  // child's chunks; the chunks carry each row's id, file path and position at the given indexes.
  // `types`: the row count (BIGINT), or with RETURNING the table's columns. `feed` writes rows
  // with their row ids, `new_feed` rows without (inserted by this transaction).
  LakeUpdate(duckdb::PhysicalPlan& plan, const duckdb::vector<duckdb::LogicalType>& types, LakeTableEntry& table,
             CopyFeed feed, CopyFeed new_feed,
             duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> expressions, duckdb::shared_ptr<ScanInfo> scan,
             duckdb::idx_t row_id_index, duckdb::idx_t path_index, duckdb::idx_t position_index,
             uint64_t inline_limit, bool returning);

  duckdb::unique_ptr<duckdb::GlobalSinkState> GetGlobalSinkState(duckdb::ClientContext& context) const override;
  duckdb::unique_ptr<duckdb::LocalSinkState> GetLocalSinkState(duckdb::ExecutionContext& context) const override;
  duckdb::SinkResultType Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                              duckdb::OperatorSinkInput& input) const override;
  duckdb::SinkCombineResultType Combine(duckdb::ExecutionContext& context,
                                        duckdb::OperatorSinkCombineInput& input) const override;
  duckdb::SinkFinalizeType Finalize(duckdb::Pipeline& pipeline, duckdb::Event& event, duckdb::ClientContext& context,
                                    duckdb::OperatorSinkFinalizeInput& input) const override;
  bool IsSink() const override { return true; }
  bool ParallelSink() const override { return true; }

  duckdb::SourceResultType GetData(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                   duckdb::OperatorSourceInput& input) const override;
  duckdb::unique_ptr<duckdb::GlobalSourceState> GetGlobalSourceState(duckdb::ClientContext& context) const override;
  bool IsSource() const override { return true; }
  std::string GetName() const override { return "DUCKLAKE_UPDATE"; }

 private:
  // Sends new rows (the file columns, then their row ids) to the copy that fits each.
  void Feed(duckdb::ExecutionContext& context, duckdb::DataChunk& rows, duckdb::LocalSinkState& local,
            duckdb::InterruptState& interrupt) const;

  LakeTableEntry& table_;
  CopyFeed feed_;      // rows that keep their row id
  CopyFeed new_feed_;  // rows inserted by this transaction
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> expressions_;
  duckdb::shared_ptr<ScanInfo> scan_;
  duckdb::idx_t row_id_index_, path_index_, position_index_;
  uint64_t inline_limit_;  // 0: the new rows always go to files
  bool returning_;
};

// MERGE's WHEN NOT MATCHED THEN INSERT: the rows MERGE computed go into new data files.
class LakeMergeInsert : public duckdb::PhysicalOperator {
 public:
  LakeMergeInsert(duckdb::PhysicalPlan& plan, LakeTableEntry& table, CopyFeed feed);

  duckdb::unique_ptr<duckdb::GlobalSinkState> GetGlobalSinkState(duckdb::ClientContext& context) const override;
  duckdb::unique_ptr<duckdb::LocalSinkState> GetLocalSinkState(duckdb::ExecutionContext& context) const override;
  duckdb::SinkResultType Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                              duckdb::OperatorSinkInput& input) const override;
  duckdb::SinkCombineResultType Combine(duckdb::ExecutionContext& context,
                                        duckdb::OperatorSinkCombineInput& input) const override;
  duckdb::SinkFinalizeType Finalize(duckdb::Pipeline& pipeline, duckdb::Event& event, duckdb::ClientContext& context,
                                    duckdb::OperatorSinkFinalizeInput& input) const override;
  bool IsSink() const override { return true; }
  bool ParallelSink() const override { return true; }
  duckdb::SourceResultType GetData(duckdb::ExecutionContext&, duckdb::DataChunk&,
                                   duckdb::OperatorSourceInput&) const override {
    return duckdb::SourceResultType::FINISHED;
  }
  bool IsSource() const override { return true; }
  std::string GetName() const override { return "DUCKLAKE_MERGE_INSERT"; }

 private:
  LakeTableEntry& table_;
  CopyFeed feed_;
};

}  // namespace dlctl::lake
