#pragma once
// Data files the way DuckLake writes them (spec notes §5), planned as DuckDB's own COPY TO:
// Parquet files named ducklake-<uuidv7>.parquet in the table's folder, closed at the target
// size, every column carrying its column id as field id, with the statistics the catalog
// needs returned per file. Used by INSERT, CREATE TABLE AS, UPDATE and MERGE.
#include <vector>

#include "duckdb/execution/operator/persistent/physical_copy_to_file.hpp"
#include "duckdb/execution/physical_plan_generator.hpp"
#include "lake/metadata/catalog_model.h"
#include "lake/write/change_set.h"

namespace dlctl::lake {

struct DataFileTarget {
  std::vector<ColumnInfo> columns;  // the table's, in order: the rows to write have exactly these
  std::string folder;               // the table's folder (absolute path or s3:// URI), ending with '/'
  uint64_t target_file_size = 512ull * 1024 * 1024;
  bool with_row_ids = false;        // the rows end with a BIGINT row id, kept in the file
  bool with_snapshot_ids = false;   // ... and then with the BIGINT snapshot each row came in
};

// The DuckDB types of the columns, as the copy expects its input.
duckdb::vector<duckdb::LogicalType> TargetTypes(const DataFileTarget& target);
// Their names in the file, and the FIELD_IDS option that gives each its field id.
duckdb::vector<std::string> TargetNames(const DataFileTarget& target);
duckdb::Value TargetFieldIds(const DataFileTarget& target);

// A copy of `child`'s rows into new data files; returns one row per file written
// (GetCopyFunctionReturnLogicalTypes(WRITTEN_FILE_STATISTICS)), to be read by WrittenFileOf.
// Without `child`, rows are sunk into it directly (UPDATE, MERGE).
duckdb::PhysicalCopyToFile& PlanDataFileCopy(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                             const DataFileTarget& target,
                                             duckdb::optional_ptr<duckdb::PhysicalOperator> child);

// One file the copy returned, with the catalog's statistics of its columns.
WrittenFile WrittenFileOf(duckdb::ClientContext& context, duckdb::DataChunk& returned, duckdb::idx_t row,
                          const std::vector<ColumnInfo>& columns);

}  // namespace dlctl::lake
