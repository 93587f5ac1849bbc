#include "lake/scan/scan_files.h"

#include <algorithm>
#include <map>

namespace dlctl::lake {

std::string InlinedBatchPath(int64_t batch) { return "dlctl-inlined-rows-" + std::to_string(batch); }

int64_t ScanFile::LiveRows() const {
  return std::max<int64_t>(0, record_count - delete_count - static_cast<int64_t>(inlined_deleted.size()));
}

std::vector<ScanFile> PlanScanFiles(const TableInfo& table, SnapshotId snapshot,
                                    const std::vector<DataFileInfo>& committed,
                                    const std::vector<std::pair<int64_t, int64_t>>& inlined_deletes,
                                    const TableDataChanges* changes) {
  std::map<int64_t, std::vector<int64_t>> deleted_inline;  // data file id -> positions
  for (const auto& [file_id, position] : inlined_deletes) deleted_inline[file_id].push_back(position);
  if (changes)
    for (const auto& [file_id, positions] : changes->inlined_file_deletes)
      deleted_inline[file_id].insert(deleted_inline[file_id].end(), positions.begin(), positions.end());

  std::vector<ScanFile> files;
  for (const DataFileInfo& info : committed) {
    if (changes && std::find(changes->dropped_files.begin(), changes->dropped_files.end(), info.id) !=
                       changes->dropped_files.end())
      continue;
    ScanFile& file = files.emplace_back();
    file.path = info.path;
    file.data_file_id = info.id;
    file.record_count = info.record_count;
    file.file_size_bytes = info.file_size_bytes;
    file.footer_size = info.footer_size;
    file.row_id_start = info.row_id_start;
    file.begin_snapshot = info.begin_snapshot;
    file.partition_id = info.partition_id;
    file.mapping_id = info.mapping_id;
    file.filter_row_snapshots = info.partial_max && *info.partial_max > snapshot;
    if (info.deletes) {
      file.delete_path = info.deletes->path;
      file.delete_count = info.deletes->delete_count;
    }
    if (changes)
      for (const NewDeleteFile& replaced : changes->delete_files)
        if (replaced.data_file_id == info.id) {
          file.delete_path = replaced.file.uri;
          file.delete_count = replaced.file.record_count;
        }
    auto inline_deleted = deleted_inline.find(info.id);
    if (inline_deleted != deleted_inline.end()) {
      file.inlined_deleted = std::move(inline_deleted->second);
      std::sort(file.inlined_deleted.begin(), file.inlined_deleted.end());
      file.inlined_deleted.erase(std::unique(file.inlined_deleted.begin(), file.inlined_deleted.end()),
                                 file.inlined_deleted.end());
    }
  }
  if (changes)
    for (const WrittenFile& written : changes->data_files) {
      ScanFile& file = files.emplace_back();
      file.path = written.uri;
      file.record_count = written.record_count;
      file.file_size_bytes = written.file_size_bytes;
      file.footer_size = written.footer_size;
      file.begin_snapshot = snapshot;
      for (const WrittenFile& deletes : written.deletes) {
        file.delete_path = deletes.uri;
        file.delete_count = deletes.record_count;
      }
    }
  for (const InlinedTableInfo& inlined : table.inlined_tables) {
    ScanFile& file = files.emplace_back();
    file.path = inlined.table_name;
    file.inlined = inlined;
  }
  if (changes)
    for (const InlinedRows& rows : changes->inlined_inserts) {
      ScanFile& file = files.emplace_back();
      file.path = InlinedBatchPath(rows.batch);
      file.inlined_batch = rows.batch;
      file.record_count = rows.LiveRows();
    }
  return files;
}

}  // namespace dlctl::lake
