#pragma once
// A data-file copy (parquet_copy.h) fed row by row from inside another operator (UPDATE and
// MERGE write new rows while they read old ones), run by hand: its states live in the feeding
// operator's, and its files come back when the feeder finishes.
#include <vector>

#include "duckdb/execution/operator/persistent/physical_copy_to_file.hpp"
#include "lake/write/change_set.h"

namespace dlctl::lake {

class CopyFeed {
 public:
  CopyFeed(duckdb::PhysicalCopyToFile& copy, std::vector<ColumnInfo> columns)
      : copy_(copy), columns_(std::move(columns)) {}

  const duckdb::vector<duckdb::LogicalType>& types() const { return copy_.expected_types; }
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
  std::vector<ColumnInfo> columns_;
};

}  // namespace dlctl::lake
