#include "lake/scan/lake_file_list.h"

#include <algorithm>

#include "duckdb/planner/table_filter.hpp"
#include "lake/catalog/attach.h"
#include "lake/catalog/types.h"
#include "lake/scan/column_statistics.h"
#include "lake/scan/partition_pruning.h"

namespace dlctl::lake {

namespace {

// What a file DuckDB opens carries along: its index in the list, the id of its first row,
// whether it is an inlined data table.
constexpr const char* kFileIndexOption = "dlctl_scan_file";
constexpr const char* kRowIdStartOption = "dlctl_row_id_start";
constexpr const char* kInlinedOption = "dlctl_inlined";

std::optional<duckdb::Value> Option(const duckdb::OpenFileInfo& file, const char* name) {
  if (!file.extended_info) return std::nullopt;
  auto found = file.extended_info->options.find(name);
  if (found == file.extended_info->options.end()) return std::nullopt;
  return found->second;
}

// Whether any of the partitionings has a key on the column.
bool PartitionsUse(const std::map<int64_t, PartitionSpec>& specs, int64_t column_id) {
  for (const auto& [id, spec] : specs)
    for (const PartitionField& field : spec.fields)
      if (field.column_id == column_id) return true;
  return false;
}

// The column's DuckDB type, or nullopt when it has none (such a column prunes nothing).
std::optional<duckdb::LogicalType> TypeOf(const ColumnInfo& column) {
  try {
    return duckdb::TransformStringToLogicalType(DuckDBType(column));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

LakeFileList::LakeFileList(duckdb::shared_ptr<ScanInfo> info)
    : duckdb::MultiFileList(duckdb::vector<duckdb::OpenFileInfo>{}, duckdb::FileGlobOptions::ALLOW_EMPTY),
      info_(std::move(info)) {}

LakeFileList::LakeFileList(duckdb::shared_ptr<ScanInfo> info, std::vector<ScanFile> files)
    : duckdb::MultiFileList(duckdb::vector<duckdb::OpenFileInfo>{}, duckdb::FileGlobOptions::ALLOW_EMPTY),
      info_(std::move(info)),
      chosen_(std::move(files)) {}

const std::vector<ScanFile>& LakeFileList::Files() const { return chosen_ ? *chosen_ : info_->Files(); }

duckdb::unique_ptr<duckdb::MultiFileList> LakeFileList::DynamicFilterPushdown(
    duckdb::ClientContext& context, const duckdb::MultiFileOptions&, const duckdb::vector<std::string>&,
    const duckdb::vector<duckdb::LogicalType>&, const duckdb::vector<duckdb::column_t>& column_ids,
    duckdb::TableFilterSet& filters) const {
  duckdb::Value pruning;
  if (context.TryGetCurrentSetting(kFilePruningSetting, pruning) && !pruning.IsNull() && !pruning.GetValue<bool>())
    return nullptr;
  const TableInfo& table = info_->table;
  // The files are copied only once the survivors are known: most of a thousand are pruned.
  std::vector<const ScanFile*> kept;
  for (const ScanFile& file : Files()) kept.push_back(&file);
  size_t before = kept.size();
  bool partitioned = std::any_of(kept.begin(), kept.end(), [](const ScanFile* file) { return file->partition_id; });
  for (auto& [filter_index, filter] : filters.filters) {
    duckdb::column_t column_index = column_ids.at(filter_index);
    if (duckdb::IsVirtualColumn(column_index) || column_index >= table.columns.size()) continue;
    const ColumnInfo& column = table.columns[column_index];
    std::optional<duckdb::LogicalType> type = TypeOf(column);
    if (!type) continue;
    if (CanPrune(column)) {
      auto stats = info_->FileStats(column.column_id);
      std::erase_if(kept, [&](const ScanFile* file) {
        if (!file->data_file_id) return false;  // written by this transaction or inlined: no stats
        auto found = stats->find(*file->data_file_id);
        return found != stats->end() && NoRowCanMatch(column, *type, found->second, *filter);
      });
    }
    if (partitioned && PartitionsUse(info_->PartitionSpecs(), column.column_id)) {
      const auto& specs = info_->PartitionSpecs();
      const auto& values = info_->PartitionValues();
      std::erase_if(kept, [&](const ScanFile* file) {
        if (!file->data_file_id || !file->partition_id) return false;
        auto spec = specs.find(*file->partition_id);
        auto file_values = values.find(*file->data_file_id);
        return spec != specs.end() && file_values != values.end() &&
               PartitionRulesOut(context, column, *type, spec->second, file_values->second, *filter);
      });
    }
  }
  if (kept.size() == before) return nullptr;
  std::vector<ScanFile> chosen;
  chosen.reserve(kept.size());
  for (const ScanFile* file : kept) chosen.push_back(*file);
  return duckdb::make_uniq<LakeFileList>(info_, std::move(chosen));
}

duckdb::vector<duckdb::OpenFileInfo> LakeFileList::GetAllFiles() {
  duckdb::vector<duckdb::OpenFileInfo> files;
  for (duckdb::idx_t i = 0; i < GetTotalFileCount(); ++i) files.push_back(GetFile(i));
  return files;
}

duckdb::FileExpandResult LakeFileList::GetExpandResult() {
  auto count = GetTotalFileCount();
  if (count == 0) return duckdb::FileExpandResult::NO_FILES;
  return count == 1 ? duckdb::FileExpandResult::SINGLE_FILE : duckdb::FileExpandResult::MULTIPLE_FILES;
}

duckdb::idx_t LakeFileList::GetTotalFileCount() { return Files().size(); }

duckdb::unique_ptr<duckdb::NodeStatistics> LakeFileList::GetCardinality(duckdb::ClientContext&) {
  int64_t rows = 0;
  for (const ScanFile& file : Files()) rows += file.LiveRows();
  return duckdb::make_uniq<duckdb::NodeStatistics>(static_cast<duckdb::idx_t>(rows), static_cast<duckdb::idx_t>(rows));
}

duckdb::unique_ptr<duckdb::MultiFileList> LakeFileList::Copy() {
  if (chosen_) return duckdb::make_uniq<LakeFileList>(info_, *chosen_);
  return duckdb::make_uniq<LakeFileList>(info_);
}

duckdb::OpenFileInfo LakeFileList::GetFile(duckdb::idx_t i) {
  const auto& files = Files();
  if (i >= files.size()) return duckdb::OpenFileInfo();
  const ScanFile& file = files[i];
  duckdb::OpenFileInfo result(file.path);
  auto extended = duckdb::make_shared_ptr<duckdb::ExtendedOpenFileInfo>();
  extended->options[kFileIndexOption] = duckdb::Value::UBIGINT(i);
  if (file.row_id_start) extended->options[kRowIdStartOption] = duckdb::Value::BIGINT(*file.row_id_start);
  bool inlined = file.inlined || file.inlined_batch;
  if (inlined) extended->options[kInlinedOption] = duckdb::Value::BOOLEAN(true);
  if (!inlined && file.file_size_bytes > 0) {
    // What the catalog knows spares the reader a request for the size; data files never change.
    extended->options["file_size"] = duckdb::Value::UBIGINT(file.file_size_bytes);
    if (file.footer_size) extended->options["footer_size"] = duckdb::Value::UBIGINT(*file.footer_size);
    extended->options["validate_external_file_cache"] = duckdb::Value::BOOLEAN(false);
    extended->options["etag"] = duckdb::Value("");
    extended->options["last_modified"] = duckdb::Value::TIMESTAMP(duckdb::timestamp_t(0));
  }
  result.extended_info = std::move(extended);
  return result;
}

std::optional<duckdb::idx_t> ScanFileIndex(const duckdb::OpenFileInfo& file) {
  auto value = Option(file, kFileIndexOption);
  if (!value) return std::nullopt;
  return value->GetValue<duckdb::idx_t>();
}

std::optional<int64_t> RowIdStart(const duckdb::OpenFileInfo& file) {
  auto value = Option(file, kRowIdStartOption);
  if (!value) return std::nullopt;
  return value->GetValue<int64_t>();
}

bool IsInlinedData(const duckdb::OpenFileInfo& file) { return Option(file, kInlinedOption).has_value(); }

}  // namespace dlctl::lake
