#pragma once
// A data-file copy (parquet_copy.h) fed row by row from inside another operator (UPDATE and
// MERGE write new rows while they read old ones), run by hand: its states live in the feeding
// operator's, and its files come back when the feeder finishes. The feeder hands it the rows
// to write; the feed adds the partition keys the copy splits them by.
#include <vector>

#include "duckdb/execution/operator/persistent/physical_copy_to_file.hpp"
#include "lake/write/change_set.h"
#include "lake/write/parquet_copy.h"

namespace dlctl::lake {

class CopyFeed {
 public:
  // `copy` was planned by PlanDataFileCopy for `target` without a child.
  CopyFeed(duckdb::ClientContext& context, duckdb::PhysicalCopyToFile& copy, DataFileTarget target);

  // The rows Sink takes (TargetTypes of the target).
  const duckdb::vector<duckdb::LogicalType>& types() const { return types_; }
  // In the feeder's GetGlobalSinkState / GetLocalSinkState.
  void Begin(duckdb::ClientContext& context) const;
  duckdb::unique_ptr<duckdb::LocalSinkState> Local(duckdb::ExecutionContext& context) const;
  // Rows of exactly types(), from the feeder's Sink; its Combine.
  void Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& rows, duckdb::LocalSinkState& local,
            duckdb::InterruptState& interrupt) const;
  void Combine(duckdb::ExecutionContext& context, duckdb::LocalSinkState& local,
               duckdb::InterruptState& interrupt) const;
  // In the feeder's Finalize: closes the files and returns them.
  std::vector<WrittenFile> Finish(duckdb::ClientContext& context, duckdb::InterruptState& interrupt) const;

 private:
  duckdb::PhysicalCopyToFile& copy_;
  DataFileTarget target_;
  duckdb::vector<duckdb::LogicalType> types_;
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> keys_;  // PartitionKeyProjection, if any
};

}  // namespace dlctl::lake
