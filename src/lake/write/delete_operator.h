#pragma once
// DELETE on a lake table, as DuckDB plans it: the scan below names each row to delete by its
// file and position (the row-id columns of the table), and this operator turns them into the
// transaction's changes, file by file (spec notes §2): a committed file that loses every row
// ends, any other gets one new delete file with its earlier and new positions; a file this
// transaction wrote gets a delete file too, or goes away when nothing is left of it. Rows
// inlined in the catalog end at the commit's snapshot instead, and a few rows of a committed
// file (no more than the table's data_inlining_row_limit) are listed in the catalog.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "duckdb/execution/physical_operator.hpp"
#include "lake/catalog/snapshot_entries.h"
#include "lake/scan/scan_info.h"

namespace dlctl::lake {

// Rows to delete, by file path: positions (rows of inlined tables: their row ids; rows the
// transaction inlined: their index in their batch).
using DeletedRows = std::map<std::string, std::vector<int64_t>>;

// Applies `deleted` to the transaction's view of `table` as `scan` read it; returns how many
// rows that were still there went. Shared by DELETE, UPDATE and MERGE.
int64_t ApplyDeletes(duckdb::ClientContext& context, LakeTableEntry& table, ScanInfo* scan, DeletedRows deleted);

// The scan info of the lake table scan feeding a DELETE/UPDATE plan (which files the rows'
// paths name), or an error when the plan has none.
duckdb::shared_ptr<ScanInfo> FindScan(duckdb::PhysicalOperator& plan, LakeTableEntry& table);

class LakeDelete : public duckdb::PhysicalOperator {
 public:
  // `path_index` and `position_index`: where the child's chunks carry each row's file path and
  // position.
  LakeDelete(duckdb::PhysicalPlan& plan, LakeTableEntry& table, duckdb::PhysicalOperator& child,
             duckdb::shared_ptr<ScanInfo> scan, duckdb::idx_t path_index, duckdb::idx_t position_index);

  duckdb::unique_ptr<duckdb::GlobalSinkState> GetGlobalSinkState(duckdb::ClientContext& context) const override;
  duckdb::SinkResultType Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                              duckdb::OperatorSinkInput& input) const override;
  duckdb::SinkFinalizeType Finalize(duckdb::Pipeline& pipeline, duckdb::Event& event, duckdb::ClientContext& context,
                                    duckdb::OperatorSinkFinalizeInput& input) const override;
  bool IsSink() const override { return true; }
  bool ParallelSink() const override { return false; }

  duckdb::SourceResultType GetData(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                   duckdb::OperatorSourceInput& input) const override;
  bool IsSource() const override { return true; }
  std::string GetName() const override { return "DUCKLAKE_DELETE"; }

  // Adds the rows of `chunk` to `rows` (what Sink does; MERGE calls it too).
  static void Collect(duckdb::DataChunk& chunk, duckdb::idx_t path_index, duckdb::idx_t position_index,
                      DeletedRows& rows);

 private:
  LakeTableEntry& table_;
  duckdb::shared_ptr<ScanInfo> scan_;
  duckdb::idx_t path_index_, position_index_;
};

}  // namespace dlctl::lake
