#pragma once
// Makes a DuckLake catalog at one snapshot queryable in the engine as <name>.<schema>.<object>:
// an attached in-memory database with one schema per catalog schema, one view per table (its
// body reads the snapshot's Parquet files and inlined rows, see table_scan.h; it is bound only
// when a query reads it) and the catalog's own views. Nothing is copied but inlined rows, which live in the hidden schema
// <name>.__ducklake_inlined.
#include <string>
#include <vector>

#include "engine/engine.h"
#include "lake/catalog_reader.h"

namespace dlctl::lake {

inline constexpr const char* kInlinedSchema = "__ducklake_inlined";

// A table or view that could not be bound. It still exists, as a view that fails with the
// reason when it is used: like the extension, which reads a table or binds a view only when a
// query needs it, one broken object does not make the rest of the catalog unusable.
struct BindFailure {
  std::string object;  // <name>.<schema>.<table or view>
  std::string message;
};

// Attaches database `name` (replacing an earlier one) with the schemas and tables of `state`.
// A table's view reads its files through a scan built when a query first reads it; for a state
// loaded without files, that is when its files are read, through `reader`, which must then
// outlive the engine's use of the views. Tables that cannot be bound are returned.
std::vector<BindFailure> BindCatalogTables(Engine& engine, CatalogReader& reader, const CatalogState& state,
                                           const std::string& name);

// Creates the catalog's views in database `name`, after BindCatalogTables (of every catalog a
// view may refer to). A view body is bound with its own catalog and schema as defaults, so
// `dsn.edges` inside a view of `stage` is stage.dsn.edges. Views that cannot be created (bad
// SQL, another dialect, a missing table) are returned.
std::vector<BindFailure> BindCatalogViews(Engine& engine, const CatalogState& state, const std::string& name);

// Both of the above.
std::vector<BindFailure> BindCatalog(Engine& engine, CatalogReader& reader, const CatalogState& state,
                                     const std::string& name);

}  // namespace dlctl::lake
