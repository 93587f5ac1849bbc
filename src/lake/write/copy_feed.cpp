#include "lake/write/copy_feed.h"

#include "duckdb/parallel/thread_context.hpp"
#include "lake/write/parquet_copy.h"

namespace dlctl::lake {

void CopyFeed::Begin(duckdb::ClientContext& context) const { copy_.sink_state = copy_.GetGlobalSinkState(context); }

duckdb::unique_ptr<duckdb::LocalSinkState> CopyFeed::Local(duckdb::ExecutionContext& context) const {
  return copy_.GetLocalSinkState(context);
}

void CopyFeed::Sink(duckdb::ExecutionContext& context, duckdb::DataChunk& rows, duckdb::LocalSinkState& local,
                    duckdb::InterruptState& interrupt) const {
  duckdb::OperatorSinkInput input{*copy_.sink_state, local, interrupt};
  if (copy_.Sink(context, rows, input) == duckdb::SinkResultType::BLOCKED)
    throw duckdb::InternalException("a DuckLake data file copy blocked");
}

void CopyFeed::Combine(duckdb::ExecutionContext& context, duckdb::LocalSinkState& local,
                       duckdb::InterruptState& interrupt) const {
  duckdb::OperatorSinkCombineInput input{*copy_.sink_state, local, interrupt};
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
      files.push_back(WrittenFileOf(context, returned, row, columns_));
    if (result != duckdb::SourceResultType::HAVE_MORE_OUTPUT) break;
  }
  return files;
}

}  // namespace dlctl::lake
