#pragma once
// CALL <catalog>.set_commit_message(author, message [, extra_info => ...]), as DuckDB's own
// ducklake extension spells it: the author, message and extra info the transaction's commit
// records in ducklake_snapshot_changes.
#include "duckdb/catalog/catalog_entry/table_function_catalog_entry.hpp"

namespace dlctl::lake {

inline constexpr const char* kSetCommitMessage = "set_commit_message";

// The function's entry in `schema` of a lake catalog.
duckdb::unique_ptr<duckdb::TableFunctionCatalogEntry> SetCommitMessageEntry(duckdb::Catalog& catalog,
                                                                            duckdb::SchemaCatalogEntry& schema);

}  // namespace dlctl::lake
