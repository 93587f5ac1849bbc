#pragma once
// The rows of an INSERT on their way to the data-file copy, held back while they may still be
// inlined (spec notes §7): as long as no more than the table's data_inlining_row_limit rows
// arrived, they stay here and the insert keeps them in the catalog; once more arrive, every
// thread sends what it held on to the copy and the rest streams through.
#include <memory>
#include <mutex>

#include "duckdb/common/types/column/column_data_collection.hpp"
#include "duckdb/execution/physical_operator.hpp"

namespace dlctl::lake {

// What the buffer decided, read by the insert once the copy is done.
struct HeldRows {
  explicit HeldRows(uint64_t limit) : limit(limit) {}

  const uint64_t limit;
  std::mutex mutex;
  uint64_t arrived = 0;  // rows that reached the buffer
  duckdb::unique_ptr<duckdb::ColumnDataCollection> rows;  // the threads' held rows, once they finished

  // Whether every row stayed held (then `rows` has them all, or none arrived).
  bool Inlined() {
    std::lock_guard<std::mutex> lock(mutex);
    return arrived <= limit;
  }
};

class InlineBuffer : public duckdb::PhysicalOperator {
 public:
  InlineBuffer(duckdb::PhysicalPlan& plan, duckdb::PhysicalOperator& child, std::shared_ptr<HeldRows> held);

  duckdb::unique_ptr<duckdb::OperatorState> GetOperatorState(duckdb::ExecutionContext& context) const override;
  duckdb::OperatorResultType Execute(duckdb::ExecutionContext& context, duckdb::DataChunk& input,
                                     duckdb::DataChunk& chunk, duckdb::GlobalOperatorState& gstate,
                                     duckdb::OperatorState& state) const override;
  duckdb::OperatorFinalizeResultType FinalExecute(duckdb::ExecutionContext& context, duckdb::DataChunk& chunk,
                                                  duckdb::GlobalOperatorState& gstate,
                                                  duckdb::OperatorState& state) const override;
  bool RequiresFinalExecute() const override { return true; }
  bool ParallelOperator() const override { return true; }
  std::string GetName() const override { return "DUCKLAKE_INLINE_DATA"; }

 private:
  std::shared_ptr<HeldRows> held_;
};

}  // namespace dlctl::lake
