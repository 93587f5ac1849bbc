#include "lake/write/parquet_copy.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "duckdb/catalog/catalog_entry/copy_function_catalog_entry.hpp"
#include "duckdb/execution/operator/projection/physical_projection.hpp"
#include "duckdb/planner/expression/bound_reference_expression.hpp"
#include "duckdb/parser/parsed_data/copy_info.hpp"
#include "lake/catalog/types.h"
#include "lake/scan/parquet_rows.h"
#include "lake/write/partition_keys.h"
#include "lake/write/written_file_stats.h"
#include "util/error.h"

namespace dlctl::lake {

namespace {

// FIELD_IDS {'a': 1, 'l': {'__duckdb_field_id': 3, 'element': 4}}
duckdb::Value FieldIdOf(const ColumnInfo& column) {
  auto id = duckdb::Value::BIGINT(column.column_id);
  if (column.children.empty()) return id;
  duckdb::child_list_t<duckdb::Value> values;
  values.emplace_back("__duckdb_field_id", id);
  for (const ColumnInfo& child : column.children) values.emplace_back(child.name, FieldIdOf(child));
  return duckdb::Value::STRUCT(std::move(values));
}


// DuckDB creates only the last level of a local output folder; on s3:// folders are prefixes.
void PrepareFolder(const std::string& folder) {
  if (folder.rfind("s3://", 0) == 0) return;
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw Error("cannot create data folder " + folder + ": " + ec.message());
}

CopyStatistics ToCopyStatistics(const duckdb::Value& map) {
  CopyStatistics result;
  if (map.IsNull()) return result;
  for (auto& entry : duckdb::MapValue::GetChildren(map)) {
    auto& pair = duckdb::StructValue::GetChildren(entry);
    auto& stats = result[pair[0].ToString()];
    if (pair[1].IsNull()) continue;
    for (auto& stat : duckdb::MapValue::GetChildren(pair[1])) {
      auto& stat_pair = duckdb::StructValue::GetChildren(stat);
      if (!stat_pair[1].IsNull()) stats[stat_pair[0].ToString()] = stat_pair[1].ToString();
    }
  }
  return result;
}

// DuckDB 1.4's writer reports no bounds for booleans; the file footer has them (0/1 in
// DuckLake's encoding).
void AddBooleanBounds(duckdb::ClientContext& context, const WrittenFile& file, const std::vector<ColumnInfo>& columns,
                      std::vector<FileColumnStats>& stats) {
  std::map<int64_t, std::string> missing = BooleanColumnsWithoutBounds(columns, stats);
  if (missing.empty()) return;
  std::set<std::string> wanted;
  for (const auto& [column_id, path] : missing) wanted.insert(path);
  std::map<std::string, std::pair<std::optional<bool>, std::optional<bool>>> bounds;  // path -> min, max
  duckdb::vector<std::string> names;
  ScanFileFunction(
      context, "parquet_metadata", file.uri,
      [&](duckdb::DataChunk& chunk) {
        auto column = [&](const char* name) {
          for (duckdb::idx_t i = 0; i < names.size(); ++i)
            if (names[i] == name) return i;
          throw Error(std::string("parquet_metadata has no column ") + name);
        };
        // Text columns read as bytes: the bounds of other columns (blobs) need not be UTF-8.
        auto text = [&](duckdb::idx_t column_index, duckdb::idx_t row) -> std::optional<std::string> {
          duckdb::UnifiedVectorFormat format;
          chunk.data[column_index].ToUnifiedFormat(chunk.size(), format);
          auto index = format.sel->get_index(row);
          if (!format.validity.RowIsValid(index)) return std::nullopt;
          return duckdb::UnifiedVectorFormat::GetData<duckdb::string_t>(format)[index].GetString();
        };
        auto path = column("path_in_schema"), min = column("stats_min_value"), max = column("stats_max_value");
        for (duckdb::idx_t row = 0; row < chunk.size(); ++row) {
          auto name = text(path, row);
          if (!name || !wanted.count(*name)) continue;
          auto& bound = bounds[*name];
          if (auto low = text(min, row)) bound.first = bound.first.value_or(true) && *low == "true";
          if (auto high = text(max, row)) bound.second = bound.second.value_or(false) || *high == "true";
        }
      },
      &names);
  for (FileColumnStats& s : stats) {
    auto column = missing.find(s.column_id);
    if (column == missing.end()) continue;
    auto bound = bounds.find(column->second);
    if (bound == bounds.end() || !bound->second.first || !bound->second.second) continue;
    s.min_value = *bound->second.first ? "1" : "0";
    s.max_value = *bound->second.second ? "1" : "0";
  }
}

// Where each partition key's column is among the rows to write.
std::vector<duckdb::idx_t> KeyColumnIndexes(const DataFileTarget& target) {
  std::vector<duckdb::idx_t> indexes;
  for (const PartitionField& field : target.partition->fields) {
    auto column = std::find_if(target.columns.begin(), target.columns.end(),
                               [&](const ColumnInfo& c) { return c.column_id == field.column_id; });
    if (column == target.columns.end())
      throw Error("the partition key column " + std::to_string(field.column_id) + " is not a column of the table");
    indexes.push_back(static_cast<duckdb::idx_t>(column - target.columns.begin()));
  }
  return indexes;
}

bool AllIdentity(const PartitionSpec& partition) {
  return std::all_of(partition.fields.begin(), partition.fields.end(),
                     [](const PartitionField& field) { return field.transform.kind == TransformKind::kIdentity; });
}

// The folder of a file the copy wrote, relative to the table's ("country=HR/ducklake-….parquet").
std::string RelativeName(const std::string& uri, const std::string& folder) {
  if (uri.size() > folder.size() && uri.compare(0, folder.size(), folder) == 0) return uri.substr(folder.size());
  return uri.substr(uri.find_last_of('/') + 1);
}

}  // namespace

duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> PartitionKeyProjection(duckdb::ClientContext& context,
                                                                              const DataFileTarget& target) {
  duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> projection;
  if (!target.partition || AllIdentity(*target.partition)) return projection;
  duckdb::vector<duckdb::LogicalType> types = TargetTypes(target);
  for (duckdb::idx_t i = 0; i < types.size(); ++i)
    projection.push_back(duckdb::make_uniq<duckdb::BoundReferenceExpression>(types[i], i));
  std::vector<duckdb::idx_t> columns = KeyColumnIndexes(target);
  for (size_t key = 0; key < columns.size(); ++key)
    projection.push_back(PartitionKeyExpression(
        context, target.partition->fields[key].transform,
        duckdb::make_uniq<duckdb::BoundReferenceExpression>(types[columns[key]], columns[key])));
  return projection;
}

duckdb::vector<duckdb::LogicalType> TargetTypes(const DataFileTarget& target) {
  duckdb::vector<duckdb::LogicalType> types;
  for (const ColumnInfo& column : target.columns) types.push_back(duckdb::TransformStringToLogicalType(DuckDBType(column)));
  if (target.with_row_ids) types.push_back(duckdb::LogicalType::BIGINT);
  if (target.with_snapshot_ids) types.push_back(duckdb::LogicalType::BIGINT);
  return types;
}

duckdb::vector<std::string> TargetNames(const DataFileTarget& target) {
  duckdb::vector<std::string> names;
  for (const ColumnInfo& column : target.columns) names.push_back(column.name);
  if (target.with_row_ids) names.push_back(kRowIdColumn);
  if (target.with_snapshot_ids) names.push_back(kSnapshotIdColumn);
  return names;
}

duckdb::Value TargetFieldIds(const DataFileTarget& target) {
  duckdb::child_list_t<duckdb::Value> values;
  for (const ColumnInfo& column : target.columns) values.emplace_back(column.name, FieldIdOf(column));
  if (target.with_row_ids) values.emplace_back(kRowIdColumn, duckdb::Value::BIGINT(kRowIdFieldId));
  if (target.with_snapshot_ids) values.emplace_back(kSnapshotIdColumn, duckdb::Value::BIGINT(kSnapshotIdFieldId));
  return duckdb::Value::STRUCT(std::move(values));
}

duckdb::PhysicalCopyToFile& PlanDataFileCopy(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                             const DataFileTarget& target,
                                             duckdb::optional_ptr<duckdb::PhysicalOperator> child) {
  PrepareFolder(target.folder);
  auto info = duckdb::make_uniq<duckdb::CopyInfo>();
  info->file_path = target.folder;
  info->format = "parquet";
  info->is_from = false;
  info->options["field_ids"].push_back(TargetFieldIds(target));

  auto& parquet = duckdb::Catalog::GetSystemCatalog(context).GetEntry<duckdb::CopyFunctionCatalogEntry>(
      context, DEFAULT_SCHEMA, "parquet");
  duckdb::vector<std::string> names = TargetNames(target);
  duckdb::vector<duckdb::LogicalType> types = TargetTypes(target);
  duckdb::CopyFunctionBindInput bind_input(*info);
  auto bind_data = parquet.function.copy_to_bind(context, bind_input, names, types);

  // Computed keys are appended to the rows (named as the extension names the folders) and not
  // written; identity keys are the columns themselves, which stay in the file.
  std::vector<duckdb::idx_t> partition_columns;
  bool write_partition_columns = true;
  if (target.partition) {
    if (AllIdentity(*target.partition)) {
      partition_columns = KeyColumnIndexes(target);
    } else {
      auto projection = PartitionKeyProjection(context, target);
      std::vector<duckdb::idx_t> key_columns = KeyColumnIndexes(target);
      std::set<std::string> used;
      for (size_t key = 0; key < target.partition->fields.size(); ++key) {
        const PartitionField& field = target.partition->fields[key];
        const std::string& column = target.columns[key_columns[key]].name;
        partition_columns.push_back(names.size());
        names.push_back(field.transform.KeyName(column, used));
        types.push_back(projection[types.size()]->return_type);
      }
      write_partition_columns = false;
      if (child) {
        auto& keys = planner.Make<duckdb::PhysicalProjection>(types, std::move(projection), child->estimated_cardinality);
        keys.children.push_back(*child);
        child = &keys;
      }
    }
  }

  auto returned = duckdb::GetCopyFunctionReturnLogicalTypes(duckdb::CopyFunctionReturnType::WRITTEN_FILE_STATISTICS);
  auto& copy = planner.Make<duckdb::PhysicalCopyToFile>(returned, parquet.function, std::move(bind_data), 1)
                   .Cast<duckdb::PhysicalCopyToFile>();
  std::string path = target.folder;
  if (!path.empty() && path.back() == '/') path.pop_back();
  copy.file_path = path;
  copy.use_tmp_file = false;
  copy.filename_pattern.SetFilenamePattern("ducklake-{uuidv7}");
  copy.file_extension = "parquet";
  copy.overwrite_mode = duckdb::CopyOverwriteMode::COPY_OVERWRITE_OR_IGNORE;
  copy.per_thread_output = false;
  // DuckDB 1.4 closes files at a size only when it does not partition them.
  if (!target.partition) copy.file_size_bytes = target.target_file_size;
  copy.rotate = !target.partition;
  copy.return_type = duckdb::CopyFunctionReturnType::WRITTEN_FILE_STATISTICS;
  copy.partition_output = target.partition.has_value();
  copy.partition_columns = std::move(partition_columns);
  copy.write_partition_columns = write_partition_columns;
  copy.write_empty_file = target.partition.has_value();  // as the extension sets it for partitioned writes
  copy.hive_file_pattern = true;
  copy.names = names;
  copy.expected_types = types;
  copy.parallel = true;
  if (child) copy.children.push_back(*child);
  return copy;
}

WrittenFile WrittenFileOf(duckdb::ClientContext& context, duckdb::DataChunk& returned, duckdb::idx_t row,
                          const DataFileTarget& target) {
  const std::vector<ColumnInfo>& columns = target.columns;
  WrittenFile file;
  file.uri = returned.GetValue(0, row).ToString();
  file.name = RelativeName(file.uri, target.folder);
  if (target.partition) {
    // The keys of the file's folder, in key order (DuckDB's partition_keys map keeps it).
    file.partition_id = target.partition->id;
    duckdb::Value keys = returned.GetValue(5, row);
    if (!keys.IsNull())
      for (auto& entry : duckdb::MapValue::GetChildren(keys)) {
        const duckdb::Value& value = duckdb::StructValue::GetChildren(entry)[1];
        file.partition_values.push_back(value.IsNull() ? std::nullopt : std::optional<std::string>(value.ToString()));
      }
    if (file.partition_values.size() != target.partition->fields.size())
      throw Error("the Parquet writer returned " + std::to_string(file.partition_values.size()) +
                  " partition keys for " + file.uri + ", expected " +
                  std::to_string(target.partition->fields.size()));
  }
  file.record_count = returned.GetValue(1, row).GetValue<int64_t>();
  file.file_size_bytes = returned.GetValue(2, row).GetValue<int64_t>();
  file.footer_size = returned.GetValue(3, row).GetValue<int64_t>();
  file.column_stats = FileColumnStatsOf(columns, ToCopyStatistics(returned.GetValue(4, row)), file.record_count);
  AddBooleanBounds(context, file, columns, file.column_stats);
  return file;
}

}  // namespace dlctl::lake
