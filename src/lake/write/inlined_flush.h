#pragma once
// Flushing inlined data to Parquet (spec notes §7), as DuckDB's ducklake extension's
// ducklake_flush_inlined_data does, in the running transaction (one snapshot at its commit):
// - the rows of each inlined data table, up to the transaction's snapshot, go into one data file
//   in the table's folder with that table's columns, their row ids (_ducklake_internal_row_id)
//   and snapshots (_ducklake_internal_snapshot_id); the file is visible from its oldest row's
//   snapshot on (partial_max: its newest), and the rows deleted since go into a delete file with
//   the snapshot of each deletion; the rows leave the inlined table;
// - the Parquet rows listed in ducklake_inlined_delete_<table> become, per data file, one delete
//   file with the file's whole deletion history (each position with the snapshot it was first
//   deleted in), which replaces the file's earlier delete files.
// So the table reads the same at every snapshot before and after. Tables this transaction
// changed are refused.
#include <optional>
#include <string>
#include <vector>

#include "duckdb.hpp"

namespace dlctl::lake {

class LakeCatalog;

struct FlushedTable {
  std::string schema, table;
  int64_t rows = 0;  // inlined rows written to Parquet
};

// Flushes the tables of `catalog` (of one schema, or one table) in the context's transaction.
// Returns the tables whose inlined rows were written to Parquet.
std::vector<FlushedTable> FlushInlinedData(duckdb::ClientContext& context, LakeCatalog& catalog,
                                           const std::optional<std::string>& schema,
                                           const std::optional<std::string>& table);

// CALL ducklake_flush_inlined_data('<catalog>' [, schema_name => ..., table_name => ...]): the
// extension's spelling, returning schema_name, table_name, rows_flushed per flushed table.
// Registered once in `db`'s system catalog.
void RegisterFlushFunction(duckdb::DatabaseInstance& db);

}  // namespace dlctl::lake
