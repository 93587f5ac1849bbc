#include "engine/vector_rows_function.h"

#include <atomic>
#include <cstring>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/execution/partition_info.hpp"
#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "util/error.h"

namespace dlctl {

namespace {

struct SourcesInfo : public duckdb::TableFunctionInfo {
  explicit SourcesInfo(std::shared_ptr<VectorRowsSources> sources) : sources(std::move(sources)) {}
  std::shared_ptr<VectorRowsSources> sources;
};

struct RowsData : public duckdb::TableFunctionData {
  explicit RowsData(Engine::VectorRows rows) : rows(rows) {}
  Engine::VectorRows rows;
};

// Chunks of STANDARD_VECTOR_SIZE rows are handed out in order; a chunk's number is its batch
// index, which lets DuckDB keep the rows in order while threads scan them.
struct GlobalState : public duckdb::GlobalTableFunctionState {
  explicit GlobalState(duckdb::idx_t chunks) : chunks(chunks) {}
  duckdb::idx_t MaxThreads() const override { return chunks == 0 ? 1 : chunks; }
  std::atomic<duckdb::idx_t> next_chunk{0};
  duckdb::idx_t chunks;
};

struct LocalState : public duckdb::LocalTableFunctionState {
  duckdb::idx_t chunk = 0;
};

duckdb::unique_ptr<duckdb::FunctionData> Bind(duckdb::ClientContext&, duckdb::TableFunctionBindInput& input,
                                              duckdb::vector<duckdb::LogicalType>& types,
                                              duckdb::vector<std::string>& names) {
  auto& info = input.info->Cast<SourcesInfo>();
  Engine::VectorRows rows = info.sources->Find(duckdb::StringValue::Get(input.inputs[0]));
  types = {duckdb::LogicalType::BIGINT, duckdb::LogicalType::LIST(duckdb::LogicalType::FLOAT)};
  names = {rows.id_column, rows.vector_column};
  return duckdb::make_uniq<RowsData>(rows);
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> InitGlobal(duckdb::ClientContext&,
                                                                duckdb::TableFunctionInitInput& input) {
  const Engine::VectorRows& rows = input.bind_data->Cast<RowsData>().rows;
  return duckdb::make_uniq<GlobalState>((rows.rows + STANDARD_VECTOR_SIZE - 1) / STANDARD_VECTOR_SIZE);
}

duckdb::unique_ptr<duckdb::LocalTableFunctionState> InitLocal(duckdb::ExecutionContext&, duckdb::TableFunctionInitInput&,
                                                              duckdb::GlobalTableFunctionState*) {
  return duckdb::make_uniq<LocalState>();
}

void Scan(duckdb::ClientContext&, duckdb::TableFunctionInput& input, duckdb::DataChunk& output) {
  const Engine::VectorRows& rows = input.bind_data->Cast<RowsData>().rows;
  auto& global = input.global_state->Cast<GlobalState>();
  auto& local = input.local_state->Cast<LocalState>();
  duckdb::idx_t chunk = global.next_chunk.fetch_add(1);
  if (chunk >= global.chunks) {
    output.SetCardinality(0);
    return;
  }
  local.chunk = chunk;
  const size_t first = chunk * STANDARD_VECTOR_SIZE;
  const size_t count = std::min<size_t>(STANDARD_VECTOR_SIZE, rows.rows - first);
  const size_t dimension = static_cast<size_t>(rows.dimension);

  std::memcpy(duckdb::FlatVector::GetData<int64_t>(output.data[0]), rows.ids + first, count * sizeof(int64_t));
  duckdb::Vector& lists = output.data[1];
  duckdb::ListVector::Reserve(lists, count * dimension);
  auto* entries = duckdb::ListVector::GetData(lists);
  for (size_t i = 0; i < count; ++i) entries[i] = duckdb::list_entry_t(i * dimension, dimension);
  duckdb::Vector& values = duckdb::ListVector::GetEntry(lists);
  std::memcpy(duckdb::FlatVector::GetData<float>(values), rows.values + first * dimension,
              count * dimension * sizeof(float));
  duckdb::ListVector::SetListSize(lists, count * dimension);
  output.SetCardinality(count);
}

duckdb::OperatorPartitionData PartitionData(duckdb::ClientContext&, duckdb::TableFunctionGetPartitionInput& input) {
  if (input.partition_info.RequiresPartitionColumns())
    throw duckdb::InternalException("__dlctl_vector_rows has no partition columns");
  return duckdb::OperatorPartitionData(input.local_state->Cast<LocalState>().chunk);
}

}  // namespace

void VectorRowsSources::Register(const std::string& key, Engine::VectorRows rows) {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_[key] = rows;
}

void VectorRowsSources::Unregister(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_.erase(key);
}

Engine::VectorRows VectorRowsSources::Find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = sources_.find(key);
  if (found == sources_.end()) throw Error("no vector rows '" + key + "' are registered");
  return found->second;
}

void RegisterVectorRowsFunction(duckdb::ClientContext& context, std::shared_ptr<VectorRowsSources> sources) {
  duckdb::TableFunction function(kVectorRowsFunction, {duckdb::LogicalType::VARCHAR}, Scan, Bind, InitGlobal,
                                 InitLocal);
  function.get_partition_data = PartitionData;
  function.function_info = duckdb::make_shared_ptr<SourcesInfo>(std::move(sources));
  duckdb::CreateTableFunctionInfo info(function);
  context.RunFunctionInTransaction([&] { duckdb::Catalog::GetSystemCatalog(context).CreateTableFunction(context, info); });
}

}  // namespace dlctl
