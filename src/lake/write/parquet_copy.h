#pragma once
// Data files the way DuckLake writes them (spec notes §5), planned as DuckDB's own COPY TO:
// Parquet files named ducklake-<uuidv7>.parquet in the table's folder, closed at the target
// size, every column carrying its column id as field id, with the statistics the catalog
// needs returned per file. Used by INSERT, CREATE TABLE AS, UPDATE and MERGE.
//
// A partitioned table's rows are split into one file per partition (DuckDB 1.4 does not close
// partitioned files at a size), in hive folders of its folder as the extension writes them (spec notes §1.7):
// "country=HR/", "year=2024/month=12/". Keys that are columns as they are (identity) stay in
// the file; computed keys (year(d), bucket(4, id)) are only in the folder names.
#include <optional>
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
  std::optional<PartitionSpec> partition;  // the table's partitioning in force
};

// The DuckDB types of the columns, as the copy expects its input.
duckdb::vector<duckdb::LogicalType> TargetTypes(const DataFileTarget& target);
// Their names in the file, and the FIELD_IDS option that gives each its field id.
duckdb::vector<std::string> TargetNames(const DataFileTarget& target);
duckdb::Value TargetFieldIds(const DataFileTarget& target);

// For a target partitioned by computed keys: the expressions that turn the rows to write
// (TargetTypes) into what the copy takes, the rows followed by their keys. Empty when the
// copy takes the rows as they are.
duckdb::vector<duckdb::unique_ptr<duckdb::Expression>> PartitionKeyProjection(duckdb::ClientContext& context,
                                                                              const DataFileTarget& target);

// A copy of `child`'s rows (TargetTypes) into new data files; returns one row per file written
// (GetCopyFunctionReturnLogicalTypes(WRITTEN_FILE_STATISTICS)), to be read by WrittenFileOf.
// Without `child`, rows are sunk into it directly (UPDATE, MERGE: see copy_feed.h), with the
// keys of PartitionKeyProjection appended.
duckdb::PhysicalCopyToFile& PlanDataFileCopy(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                             const DataFileTarget& target,
                                             duckdb::optional_ptr<duckdb::PhysicalOperator> child);

// One file the copy returned, with the catalog's statistics of its columns and its partition.
WrittenFile WrittenFileOf(duckdb::ClientContext& context, duckdb::DataChunk& returned, duckdb::idx_t row,
                          const DataFileTarget& target);

}  // namespace dlctl::lake
