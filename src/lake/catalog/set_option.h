#pragma once
// CALL <catalog>.set_option(option, value [, table_name => ..., schema => ...]), as DuckDB's own
// ducklake extension spells it: a DuckLake option in the catalog's ducklake_metadata, for the
// catalog, one schema or one table, written at commit without a snapshot. dlctl honours
// data_inlining_row_limit and target_file_size; other options are refused.
#include "duckdb/catalog/catalog_entry/table_function_catalog_entry.hpp"

namespace dlctl::lake {

inline constexpr const char* kSetOption = "set_option";

// The function's entry in `schema` of a lake catalog.
duckdb::unique_ptr<duckdb::TableFunctionCatalogEntry> SetOptionEntry(duckdb::Catalog& catalog,
                                                                     duckdb::SchemaCatalogEntry& schema);

}  // namespace dlctl::lake
