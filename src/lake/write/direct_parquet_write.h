#pragma once
// One Parquet file written from C++ while a statement runs (a delete file, flushed inlined
// rows), through DuckDB's own Parquet writer driven directly: no nested query.
#include <functional>
#include <string>

#include "duckdb.hpp"
#include "lake/write/change_set.h"
#include "lake/write/parquet_copy.h"

namespace dlctl::lake {

// Writes the file at `path` (an absolute path or s3:// URI) with columns `names`/`types` and
// the given FIELD_IDS value; `fill` is called with an empty chunk until it leaves one empty.
// The returned file has column stats when the `target` the columns are of is given.
WrittenFile WriteParquetFile(duckdb::ClientContext& context, const std::string& path,
                             const duckdb::vector<std::string>& names, const duckdb::vector<duckdb::LogicalType>& types,
                             const duckdb::Value& field_ids, const std::function<void(duckdb::DataChunk&)>& fill,
                             const DataFileTarget* target = nullptr);

// One data file of `target` (parquet_copy.h, unpartitioned) in its folder, with the catalog's
// column stats; `fill` gives rows of TargetTypes(target) as above.
WrittenFile WriteDataFile(duckdb::ClientContext& context, const DataFileTarget& target,
                          const std::function<void(duckdb::DataChunk&)>& fill);

// A positional delete file (spec notes §5) in `folder` for the data file at `data_file_path`:
// `positions` (0-based, sorted, unique) with the field ids DuckLake gives file_path and pos;
// with `snapshots` (one per position), the snapshot each row was deleted in as well.
WrittenFile WriteDeleteFile(duckdb::ClientContext& context, const std::string& folder,
                            const std::string& data_file_path, const std::vector<int64_t>& positions,
                            const std::vector<int64_t>* snapshots = nullptr);

}  // namespace dlctl::lake
