#pragma once
// What one scan of a lake table reads (spec notes §3, steps 4-6): the data files visible at the
// snapshot, each with the rows to skip (its delete file, inlined deletes, rows of later
// snapshots in a partial file), then the files the scanning transaction wrote itself, then the
// inlined data tables. Plain data, no DuckDB types: the scan (lake_file_list.h) turns it into
// files for DuckDB's Parquet reader.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lake/metadata/catalog_model.h"
#include "lake/write/change_set.h"

namespace dlctl::lake {

struct ScanFile {
  std::string path;                      // absolute path or s3:// URI
  std::optional<int64_t> data_file_id;   // nullopt: written by the scanning transaction
  int64_t record_count = 0;
  int64_t file_size_bytes = 0;
  std::optional<int64_t> footer_size;
  std::optional<int64_t> row_id_start;   // nullopt for new files: their rows get ids at commit
  SnapshotId begin_snapshot = 0;
  std::optional<int64_t> partition_id;
  std::optional<int64_t> mapping_id;     // a file without field ids, read through a name mapping
  // The delete file in force for the file (Parquet, positions 0-based), if any.
  std::optional<std::string> delete_path;
  int64_t delete_count = 0;
  // Rows deleted through the catalog (ducklake_inlined_delete_<table>), 0-based positions.
  std::vector<int64_t> inlined_deleted;
  // A file holding rows of several snapshots: rows committed after the scan's snapshot are skipped.
  bool filter_row_snapshots = false;
  // Set for an inlined data table instead of a Parquet file.
  std::optional<InlinedTableInfo> inlined;
  // Set for rows the scanning transaction inlined itself (the batch of its TableDataChanges).
  std::optional<int64_t> inlined_batch;

  // Rows the file contributes before filters (record count minus deletes), as an estimate.
  int64_t LiveRows() const;
};

// The name rows the scanning transaction inlined go by in a scan (their "file" path).
std::string InlinedBatchPath(int64_t batch);

// The files of `table` at `snapshot`: `committed` as the catalog lists them, with what the
// scanning transaction changed (`changes`, may be null) applied: its dropped files left out,
// its delete files and inlined deletes in force, its new files appended. Inlined data tables
// come last, then the rows the transaction inlined.
std::vector<ScanFile> PlanScanFiles(const TableInfo& table, SnapshotId snapshot,
                                    const std::vector<DataFileInfo>& committed,
                                    const std::vector<std::pair<int64_t, int64_t>>& inlined_deletes,
                                    const TableDataChanges* changes);

}  // namespace dlctl::lake
