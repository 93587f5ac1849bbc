#include "lake/write/inline_buffer.h"

namespace dlctl::lake {

namespace {

enum class Phase { kHolding, kReleasing, kPassing };

struct BufferState : duckdb::OperatorState {
  Phase phase = Phase::kHolding;
  duckdb::unique_ptr<duckdb::ColumnDataCollection> rows;  // held by this thread
  duckdb::ColumnDataScanState scan;
};

void Append(duckdb::ClientContext& context, duckdb::unique_ptr<duckdb::ColumnDataCollection>& to,
            duckdb::ColumnDataCollection& from) {
  if (!to) to = duckdb::make_uniq<duckdb::ColumnDataCollection>(context, from.Types());
  for (auto& chunk : from.Chunks()) to->Append(chunk);
}

// Sends the next chunk of what the thread held on; false once all went.
bool Release(BufferState& state, duckdb::DataChunk& chunk) {
  state.rows->Scan(state.scan, chunk);
  if (chunk.size() > 0) return true;
  state.rows.reset();
  state.phase = Phase::kPassing;
  return false;
}

void StartRelease(BufferState& state) {
  state.phase = Phase::kReleasing;
  state.rows->InitializeScan(state.scan);
}

}  // namespace

InlineBuffer::InlineBuffer(duckdb::PhysicalPlan& plan, duckdb::PhysicalOperator& child,
                           std::shared_ptr<HeldRows> held)
    : duckdb::PhysicalOperator(plan, duckdb::PhysicalOperatorType::EXTENSION, child.types, child.estimated_cardinality),
      held_(std::move(held)) {
  children.push_back(child);
}

duckdb::unique_ptr<duckdb::OperatorState> InlineBuffer::GetOperatorState(duckdb::ExecutionContext&) const {
  return duckdb::make_uniq<BufferState>();
}

duckdb::OperatorResultType InlineBuffer::Execute(duckdb::ExecutionContext& context, duckdb::DataChunk& input,
                                                 duckdb::DataChunk& chunk, duckdb::GlobalOperatorState&,
                                                 duckdb::OperatorState& state_p) const {
  auto& state = state_p.Cast<BufferState>();
  switch (state.phase) {
    case Phase::kPassing:
      chunk.Reference(input);
      return duckdb::OperatorResultType::NEED_MORE_INPUT;
    case Phase::kReleasing:  // `input` is among the released rows already
      return Release(state, chunk) ? duckdb::OperatorResultType::HAVE_MORE_OUTPUT
                                   : duckdb::OperatorResultType::NEED_MORE_INPUT;
    case Phase::kHolding:
      break;
  }
  {
    std::lock_guard<std::mutex> lock(held_->mutex);
    held_->arrived += input.size();
    if (held_->arrived > held_->limit && held_->rows) {
      // Too many rows to inline: what finished threads held goes to the copy with ours.
      Append(context.client, state.rows, *held_->rows);
      held_->rows.reset();
    }
  }
  if (!state.rows) state.rows = duckdb::make_uniq<duckdb::ColumnDataCollection>(context.client, input.GetTypes());
  state.rows->Append(input);
  chunk.SetCardinality(0);
  if (!held_->Inlined()) {
    StartRelease(state);
    return Release(state, chunk) ? duckdb::OperatorResultType::HAVE_MORE_OUTPUT
                                 : duckdb::OperatorResultType::NEED_MORE_INPUT;
  }
  return duckdb::OperatorResultType::NEED_MORE_INPUT;
}

duckdb::OperatorFinalizeResultType InlineBuffer::FinalExecute(duckdb::ExecutionContext& context,
                                                              duckdb::DataChunk& chunk, duckdb::GlobalOperatorState&,
                                                              duckdb::OperatorState& state_p) const {
  auto& state = state_p.Cast<BufferState>();
  if (state.phase == Phase::kHolding && state.rows) {
    std::lock_guard<std::mutex> lock(held_->mutex);
    if (held_->arrived <= held_->limit) {
      Append(context.client, held_->rows, *state.rows);  // for the insert to inline
      state.rows.reset();
      return duckdb::OperatorFinalizeResultType::FINISHED;
    }
    StartRelease(state);  // another thread went over the limit after this one stopped holding
  }
  if (state.phase == Phase::kReleasing && Release(state, chunk))
    return duckdb::OperatorFinalizeResultType::HAVE_MORE_OUTPUT;
  return duckdb::OperatorFinalizeResultType::FINISHED;
}

}  // namespace dlctl::lake
