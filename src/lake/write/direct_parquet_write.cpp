#include "lake/write/direct_parquet_write.h"

#include <filesystem>

#include "duckdb/catalog/catalog_entry/copy_function_catalog_entry.hpp"
#include "duckdb/common/multi_file/multi_file_reader.hpp"
#include "duckdb/execution/operator/persistent/physical_copy_to_file.hpp"
#include "duckdb/execution/physical_plan_generator.hpp"
#include "duckdb/parallel/thread_context.hpp"
#include "duckdb/parser/parsed_data/copy_info.hpp"
#include "lake/write/written_file_stats.h"
#include "util/error.h"
#include "util/uuid.h"

namespace dlctl::lake {

WrittenFile WriteParquetFile(duckdb::ClientContext& context, const std::string& path,
                             const duckdb::vector<std::string>& names, const duckdb::vector<duckdb::LogicalType>& types,
                             const duckdb::Value& field_ids, const std::function<void(duckdb::DataChunk&)>& fill,
                             const DataFileTarget* target) {
  if (path.rfind("s3://", 0) != 0) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) throw Error("cannot create data folder for " + path + ": " + ec.message());
  }
  duckdb::CopyInfo info;
  info.file_path = path;
  info.format = "parquet";
  info.is_from = false;
  info.options["field_ids"].push_back(field_ids);
  auto& parquet = duckdb::Catalog::GetSystemCatalog(context).GetEntry<duckdb::CopyFunctionCatalogEntry>(
      context, DEFAULT_SCHEMA, "parquet");
  duckdb::CopyFunctionBindInput bind_input(info);
  auto bind_data = parquet.function.copy_to_bind(context, bind_input, names, types);

  // A copy operator outside any plan, run by hand: sink the chunks, finalize, read its one row.
  duckdb::PhysicalPlan plan(duckdb::Allocator::Get(context));
  auto returned = duckdb::GetCopyFunctionReturnLogicalTypes(duckdb::CopyFunctionReturnType::WRITTEN_FILE_STATISTICS);
  duckdb::PhysicalCopyToFile copy(plan, returned, parquet.function, std::move(bind_data), 1);
  copy.file_path = path;
  copy.use_tmp_file = false;
  copy.file_extension = "parquet";
  copy.overwrite_mode = duckdb::CopyOverwriteMode::COPY_OVERWRITE_OR_IGNORE;
  copy.per_thread_output = false;
  copy.rotate = false;
  copy.partition_output = false;
  copy.write_partition_columns = false;
  copy.write_empty_file = true;
  copy.return_type = duckdb::CopyFunctionReturnType::WRITTEN_FILE_STATISTICS;
  copy.names = names;
  copy.expected_types = types;

  duckdb::ThreadContext thread(context);
  duckdb::ExecutionContext execution(context, thread, nullptr);
  duckdb::InterruptState interrupt;
  auto global = copy.GetGlobalSinkState(context);
  auto local = copy.GetLocalSinkState(execution);
  duckdb::OperatorSinkInput sink{*global, *local, interrupt};
  duckdb::DataChunk chunk;
  chunk.Initialize(context, types);
  while (true) {
    chunk.Reset();
    fill(chunk);
    if (chunk.size() == 0) break;
    copy.Sink(execution, chunk, sink);
  }
  duckdb::OperatorSinkCombineInput combine{*global, *local, interrupt};
  copy.Combine(execution, combine);
  copy.FinalizeInternal(context, *global);

  copy.sink_state = std::move(global);
  auto source = copy.GetGlobalSourceState(context);
  auto local_source = copy.GetLocalSourceState(execution, *source);
  duckdb::DataChunk stats;
  stats.Initialize(context, copy.types);
  duckdb::OperatorSourceInput source_input{*source, *local_source, interrupt};
  copy.GetData(execution, stats, source_input);
  if (stats.size() != 1) throw Error("writing " + path + " reported no file");
  if (target) return WrittenFileOf(context, stats, 0, *target);
  WrittenFile file;
  file.uri = stats.GetValue(0, 0).ToString();
  file.name = file.uri.substr(file.uri.find_last_of('/') + 1);
  file.record_count = stats.GetValue(1, 0).GetValue<int64_t>();
  file.file_size_bytes = stats.GetValue(2, 0).GetValue<int64_t>();
  file.footer_size = stats.GetValue(3, 0).GetValue<int64_t>();
  return file;
}

WrittenFile WriteDataFile(duckdb::ClientContext& context, const DataFileTarget& target,
                          const std::function<void(duckdb::DataChunk&)>& fill) {
  return WriteParquetFile(context, target.folder + "ducklake-" + UuidV7() + ".parquet", TargetNames(target),
                          TargetTypes(target), TargetFieldIds(target), fill, &target);
}

WrittenFile WriteDeleteFile(duckdb::ClientContext& context, const std::string& folder,
                            const std::string& data_file_path, const std::vector<int64_t>& positions,
                            const std::vector<int64_t>* snapshots) {
  duckdb::child_list_t<duckdb::Value> ids;
  ids.emplace_back("file_path", duckdb::Value::INTEGER(duckdb::MultiFileReader::FILENAME_FIELD_ID));
  ids.emplace_back("pos", duckdb::Value::INTEGER(duckdb::MultiFileReader::ORDINAL_FIELD_ID));
  duckdb::vector<std::string> names{"file_path", "pos"};
  duckdb::vector<duckdb::LogicalType> types{duckdb::LogicalType::VARCHAR, duckdb::LogicalType::BIGINT};
  if (snapshots) {
    ids.emplace_back(kSnapshotIdColumn, duckdb::Value::INTEGER(static_cast<int32_t>(kSnapshotIdFieldId)));
    names.push_back(kSnapshotIdColumn);
    types.push_back(duckdb::LogicalType::BIGINT);
  }
  size_t next = 0;
  return WriteParquetFile(
      context, folder + "ducklake-" + UuidV7() + "-delete.parquet", names, types, duckdb::Value::STRUCT(std::move(ids)),
      [&](duckdb::DataChunk& chunk) {
        duckdb::idx_t count = 0;
        auto pos = duckdb::FlatVector::GetData<int64_t>(chunk.data[1]);
        auto snapshot = snapshots ? duckdb::FlatVector::GetData<int64_t>(chunk.data[2]) : nullptr;
        for (; next < positions.size() && count < STANDARD_VECTOR_SIZE; ++next, ++count) {
          pos[count] = positions[next];
          if (snapshot) snapshot[count] = snapshots->at(next);
        }
        if (count == 0) return;
        chunk.data[0].Reference(duckdb::Value(data_file_path));
        chunk.SetCardinality(count);
      });
}

}  // namespace dlctl::lake
