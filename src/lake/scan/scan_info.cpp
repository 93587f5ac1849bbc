#include "lake/scan/scan_info.h"

#include "lake/catalog/lake_catalog.h"
#include "lake/metadata/catalog_reader.h"

namespace dlctl::lake {

ScanInfo::ScanInfo(LakeTableEntry& entry, SnapshotId snapshot, std::optional<TableDataChanges> local)
    : entry(entry), table(entry.table()), snapshot(snapshot), local(std::move(local)) {}

const std::vector<ScanFile>& ScanInfo::Files() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (files_) return *files_;
  LakeCatalog& catalog = entry.lake_catalog();
  auto committed = catalog.TableFiles(table, snapshot);
  std::vector<std::pair<int64_t, int64_t>> inlined_deletes;
  std::vector<ScanFile> files;
  bool committed_table = !IsProvisionalId(table.id) && catalog.Exists();
  if (committed_table) {
    catalog.WithStore([&](MetadataStore& store) {
      CatalogReader reader(store, catalog.source().data_path);
      if (table.has_inlined_deletes) inlined_deletes = reader.ReadInlinedDeletes(table.id, snapshot);
      files = PlanScanFiles(table, snapshot, *committed, inlined_deletes, local ? &*local : nullptr);
      for (ScanFile& file : files)
        if (file.inlined) file.record_count = reader.CountInlinedRows(*file.inlined, snapshot);
      // An inlined table with no rows at the snapshot has nothing to read; its reader would
      // query it again in every scan (most tables have one, empty once their rows are flushed).
      std::erase_if(files, [](const ScanFile& file) { return file.inlined && file.record_count == 0; });
    });
  } else {
    files = PlanScanFiles(table, snapshot, *committed, {}, local ? &*local : nullptr);
  }
  files_ = std::move(files);
  return *files_;
}

int64_t ScanInfo::LiveRows() {
  int64_t rows = 0;
  for (const ScanFile& file : Files()) rows += file.LiveRows();
  return rows;
}

const std::map<int64_t, TableColumnStats>& ScanInfo::TableStats() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!table_stats_) {
    LakeCatalog& catalog = entry.lake_catalog();
    table_stats_.emplace();
    if (!IsProvisionalId(table.id) && catalog.Exists())
      table_stats_ = catalog.WithStore([&](MetadataStore& store) {
        return CatalogReader(store, catalog.source().data_path).ReadTableColumnStats(table.id);
      });
  }
  return *table_stats_;
}

std::shared_ptr<const std::map<int64_t, FileColumnStats>> ScanInfo::FileStats(int64_t column_id) {
  return entry.lake_catalog().FileStats(table, column_id, snapshot);
}

const std::map<int64_t, PartitionSpec>& ScanInfo::PartitionSpecs() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!partition_specs_) {
    LakeCatalog& catalog = entry.lake_catalog();
    partition_specs_.emplace();
    if (!IsProvisionalId(table.id) && catalog.Exists())
      partition_specs_ = catalog.WithStore([&](MetadataStore& store) {
        return CatalogReader(store, catalog.source().data_path).ReadPartitionSpecs(table.id);
      });
  }
  return *partition_specs_;
}

const std::map<int64_t, FilePartitionValues>& ScanInfo::PartitionValues() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!partition_values_) {
    LakeCatalog& catalog = entry.lake_catalog();
    partition_values_.emplace();
    if (!IsProvisionalId(table.id) && catalog.Exists())
      partition_values_ = catalog.WithStore([&](MetadataStore& store) {
        return CatalogReader(store, catalog.source().data_path).ReadFilePartitionValues(table.id);
      });
  }
  return *partition_values_;
}

}  // namespace dlctl::lake
