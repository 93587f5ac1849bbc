#pragma once
// Everything one scan of a lake table knows, shared by its bind data, file lists and readers:
// the table entry and snapshot it reads, the scanning transaction's own changes to the table,
// and (read once, when first needed) its files and their column statistics.
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "duckdb/function/table_function.hpp"
#include "lake/catalog/snapshot_entries.h"
#include "lake/metadata/column_stats.h"
#include "lake/scan/scan_files.h"

namespace dlctl::lake {

class ScanInfo : public duckdb::TableFunctionInfo {
 public:
  ScanInfo(LakeTableEntry& entry, SnapshotId snapshot, std::optional<TableDataChanges> local);

  LakeTableEntry& entry;
  const TableInfo& table;
  SnapshotId snapshot;
  // What the scanning transaction wrote or deleted in the table (not committed yet).
  const std::optional<TableDataChanges> local;

  // The files the scan reads, before any pruning; inlined tables have their visible row count
  // as record_count.
  const std::vector<ScanFile>& Files();
  // Rows the table has at the snapshot, as the optimizer's estimate.
  int64_t LiveRows();
  // The table's column statistics (the catalog keeps them for its latest snapshot, as bounds
  // that only widen), by column id.
  const std::map<int64_t, TableColumnStats>& TableStats();
  // Per data file id, the stats of `column_id` (files without them are missing), shared by
  // every scan of the snapshot.
  std::shared_ptr<const std::map<int64_t, FileColumnStats>> FileStats(int64_t column_id);

  // Every partitioning the table's files were written under, by partition id.
  const std::map<int64_t, PartitionSpec>& PartitionSpecs();
  // The partition values of the table's data files, by data file id.
  const std::map<int64_t, FilePartitionValues>& PartitionValues();

 private:
  std::mutex mutex_;
  std::optional<std::vector<ScanFile>> files_;
  std::optional<std::map<int64_t, TableColumnStats>> table_stats_;
  std::optional<std::map<int64_t, PartitionSpec>> partition_specs_;
  std::optional<std::map<int64_t, FilePartitionValues>> partition_values_;
};

}  // namespace dlctl::lake
