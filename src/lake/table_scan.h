#pragma once
// The SQL that reads one DuckLake table at a snapshot (spec notes §3, steps 4-6): the body of the
// view the binder creates for the table.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "lake/catalog_model.h"

namespace dlctl::lake {

// How a table's data files are read.
struct TableScanPlan {
  // Files read as they are, all in one read_parquet: the common case, as fast as DuckDB's own
  // scan of the same file list.
  std::vector<const DataFileInfo*> plain_files;
  // Files whose rows are filtered: by a delete file, by inlined deletes, or by a per-row snapshot
  // (partial_max beyond the snapshot). Those with a delete file come first, in the order of
  // `delete_files`, so a delete file's file_index in its own read_parquet is its data file's
  // file_index here.
  std::vector<const DataFileInfo*> filtered_files;
  std::vector<const DeleteFileInfo*> delete_files;
};

// `inlined_deletes`: ids of data files with rows deleted in ducklake_inlined_delete_<table_id>.
TableScanPlan PlanTableScan(const TableInfo& table, SnapshotId snapshot,
                            const std::unordered_set<int64_t>& inlined_deletes);

// Relations in the engine that hold the table's inlined rows, as SQL names.
struct InlinedRelations {
  // Tables with the inlined rows visible at the snapshot, one column per table column (same
  // names and types, table order).
  std::vector<std::string> data;
  // A table (file_index UBIGINT, pos BIGINT) of rows of `filtered_files` deleted by inlined deletes.
  std::optional<std::string> deletes;
};

// A SELECT returning the table's columns (DuckLake names and types, in order) as of `snapshot`.
// Throws Error naming the table for files it cannot read (other formats, name-mapped files).
std::string TableScanSql(const TableInfo& table, const TableScanPlan& plan, SnapshotId snapshot,
                         const InlinedRelations& inlined);

// The Parquet field id DuckLake gives the per-row snapshot column (spec notes §5).
inline constexpr int64_t kSnapshotIdFieldId = 2147483539;

}  // namespace dlctl::lake
