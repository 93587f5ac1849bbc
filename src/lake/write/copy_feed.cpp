#include "lake/write/copy_feed.h"

#include "duckdb/execution/expression_executor.hpp"
#include "duckdb/parallel/thread_context.hpp"

namespace dlctl::lake {

namespace {

struct FeedLocal : duckdb::LocalSinkState {
  duckdb::unique_ptr<duckdb::LocalSinkState> copy;
  duckdb::unique_ptr<duckdb::ExpressionExecutor> keys;
  duckdb::DataChunk with_keys;  // the rows followed by their partition keys
};

}  // namespace

CopyFeed::CopyFeed(duckdb::ClientContext& context, duckdb::PhysicalCopyToFile& copy, DataFileTarget target)
    : copy_(copy),
      target_(std::move(target)),
      types_(TargetTypes(target_)),
      keys_(PartitionKeyProjection(context, target_)) {}

void CopyFeed::Begin(duckdb::ClientContext& context) const { copy_.sink_state = copy_.GetGlobalSinkState(context); }

duckdb::unique_ptr<duckdb::LocalSinkState> CopyFeed::Local(duckdb::ExecutionContext& context) const {
  auto local = duckdb::make_uniq<FeedLocal>();
  local->copy = copy_.GetLocalSinkState(context);
  if (!keys_.empty()) {
    local->keys = duckdb::make_uniq<duckdb::ExpressionExecutor>(context.client, keys_);
    local->with_keys.Initialize(context.client, copy_.expected_types);
  }
  return std::move(local);
}

void CopyFeed::Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& rows, duckdb::LocalSinkState& local_state,
                    duckdb::InterruptState& interrupt) const {
  auto& local = local_state.Cast<FeedLocal>();
  duckdb::DataChunk* input = &rows;
  if (local.keys) {
    local.with_keys.Reset();
    local.keys->Execute(rows, local.with_keys);
    input = &local.with_keys;
  }
  duckdb::OperatorSinkInput sink{*copy_.sink_state, *local.copy, interrupt};
  if (copy_.Sink(context, *input, sink) == duckdb::SinkResultType::BLOCKED)
    throw duckdb::InternalException("a DuckLake data file copy blocked");
}

void CopyFeed::Combine(duckdb::ExecutionContext& context, duckdb::LocalSinkState& local,
                       duckdb::InterruptState& interrupt) const {
  duckdb::OperatorSinkCombineInput input{*copy_.sink_state, *local.Cast<FeedLocal>().copy, interrupt};
  if (copy_.Combine(context, input) != duckdb::SinkCombineResultType::FINISHED)
    throw duckdb::InternalException("a DuckLake data file copy blocked");
}

std::vector<WrittenFile> CopyFeed::Finish(duckdb::ClientContext& context, duckdb::InterruptState& interrupt) const {
  copy_.FinalizeInternal(context, *copy_.sink_state);
  duckdb::ThreadContext thread(context);
  duckdb::ExecutionContext execution(context, thread, nullptr);
  auto global = copy_.GetGlobalSourceState(context);
  auto local = copy_.GetLocalSourceState(execution, *global);
  duckdb::OperatorSourceInput input{*global, *local, interrupt};
  duckdb::DataChunk returned;
  returned.Initialize(context, copy_.types);
  std::vector<WrittenFile> files;
  while (true) {
    returned.Reset();
    auto result = copy_.GetData(execution, returned, input);
    for (duckdb::idx_t row = 0; row < returned.size(); ++row)
      files.push_back(WrittenFileOf(context, returned, row, target_));
    if (result != duckdb::SourceResultType::HAVE_MORE_OUTPUT) break;
  }
  return files;
}

}  // namespace dlctl::lake
