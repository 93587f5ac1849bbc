#pragma once
// Reads a whole (small) Parquet file inside a running query, by driving DuckDB's own
// parquet_scan directly: delete files are read this way when a scan opens their data file,
// where a nested query on another connection would have to wait for this one.
#include <functional>
#include <string>

#include "duckdb.hpp"

namespace dlctl::lake {

// A built-in table function (parquet_scan, parquet_metadata, ...).
const duckdb::TableFunction& BuiltInTableFunction(duckdb::ClientContext& context, const std::string& name);
inline const duckdb::TableFunction& ParquetScanFunction(duckdb::ClientContext& context) {
  return BuiltInTableFunction(context, "parquet_scan");
}

// Runs table function `name` on the file `path` and calls `chunk` with every chunk of its
// result (all columns, in order); `names` receives the column names.
void ScanFileFunction(duckdb::ClientContext& context, const std::string& name, const std::string& path,
                      const std::function<void(duckdb::DataChunk&)>& chunk,
                      duckdb::vector<std::string>* names = nullptr);

// The file's rows (all columns, in file order), a chunk at a time.
inline void ReadParquetRows(duckdb::ClientContext& context, const std::string& path,
                            const std::function<void(duckdb::DataChunk&)>& chunk) {
  ScanFileFunction(context, "parquet_scan", path, chunk);
}

}  // namespace dlctl::lake
