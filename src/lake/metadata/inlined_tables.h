#pragma once
// The catalog tables that hold inlined data (spec notes §1.9, §7, §10), as DuckDB's ducklake
// extension lays them out: ducklake_inlined_data_<table>_<schema version> with row_id,
// begin_snapshot, end_snapshot and one column per top-level table column, and
// ducklake_inlined_delete_<table> for Parquet rows deleted through the catalog. How a value is
// kept depends on the column's type and the catalog database (InlinedStorage).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lake/metadata/catalog_model.h"
#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

// How an inlined value is passed to and read from the catalog database: an integer (booleans as
// 0/1), raw bytes (blobs), or DuckDB's text form of the value (everything else, nested values
// included).
enum class InlinedStorage { kInteger, kBytes, kText };

InlinedStorage InlinedStorageOf(const ColumnInfo& column);

// The column's declared type in an inlined data table of `dialect` (SQLite: BIGINT, BLOB or
// VARCHAR; PostgreSQL: the extension's mapping, e.g. VARCHAR and BLOB as BYTEA).
std::string InlinedColumnType(Dialect dialect, const ColumnInfo& column);

// Whether rows of a table with these columns can be inlined, as the extension decides: no
// column named like an inlined table's own columns (row_id, begin_snapshot, end_snapshot,
// _ducklake_internal_*), no name past PostgreSQL's identifier length, no variant or geometry.
bool CanInline(Dialect dialect, const std::vector<ColumnInfo>& columns);

std::string InlinedDataTableName(int64_t table_id, int64_t schema_version);
std::string InlinedDeleteTableName(int64_t table_id);

// Creates ducklake_inlined_data_<table_id>_<schema_version> for `columns` and registers it in
// ducklake_inlined_data_tables; returns its name.
std::string CreateInlinedDataTable(MetadataStore& store, int64_t table_id, int64_t schema_version,
                                   const std::vector<ColumnInfo>& columns);

// The snapshot whose columns of `table_id` an inlined data table of `schema_version` has: the
// first of that schema version for the table (nullopt: the catalog has no such snapshot).
std::optional<SnapshotId> InlinedTableLayoutSnapshot(MetadataStore& store, int64_t table_id, int64_t schema_version);
// Those top-level columns (id and name).
std::vector<InlinedColumn> InlinedTableColumns(MetadataStore& store, int64_t table_id, int64_t schema_version);

// The SQL that reads an inlined column as InlinedStorageOf says (PostgreSQL keeps some kinds in
// types of its own, read back as their text).
std::string InlinedColumnRead(Dialect dialect, const ColumnInfo& column, const std::string& stored_name);
// The placeholder that writes one value of the column.
std::string InlinedColumnPlaceholder(Dialect dialect, const ColumnInfo& column);
// A value in InlinedStorageOf's form as the parameter for that placeholder.
Value InlinedParameter(Dialect dialect, const ColumnInfo& column, const Value& value);

// The ids of the tables that have a ducklake_inlined_delete_<table> table, in one query.
std::vector<int64_t> TablesWithInlinedDeletes(MetadataStore& store);

}  // namespace dlctl::lake
