#pragma once
// Makes a DuckLake catalog at one snapshot queryable in the engine as <name>.<schema>.<object>:
// an attached in-memory database with one schema per catalog schema, one view per table (its
// body reads the snapshot's Parquet files and inlined rows, see table_scan.h) and the catalog's
// own views. Nothing is copied but inlined rows, which live in the hidden schema
// <name>.__ducklake_inlined.
#include <string>
#include <vector>

#include "engine/engine.h"
#include "lake/catalog_reader.h"

namespace dlctl::lake {

inline constexpr const char* kInlinedSchema = "__ducklake_inlined";

// Attaches database `name` (replacing an earlier one) with the schemas and tables of `state`.
// Throws Error naming the catalog and table when a table cannot be bound.
void BindCatalogTables(Engine& engine, CatalogReader& reader, const CatalogState& state, const std::string& name);

struct ViewBindFailure {
  std::string view;  // <name>.<schema>.<view>
  std::string message;
};

// Creates the catalog's views in database `name`, after BindCatalogTables (of every catalog a
// view may refer to). A view body is bound with its own catalog and schema as defaults, so
// `dsn.edges` inside a view of `stage` is stage.dsn.edges. A view that cannot be created (bad
// SQL, another dialect, a missing table) becomes a view that fails with the reason when queried,
// the way the extension binds views only when they are used; it is also returned here.
std::vector<ViewBindFailure> BindCatalogViews(Engine& engine, const CatalogState& state, const std::string& name);

// Both of the above.
std::vector<ViewBindFailure> BindCatalog(Engine& engine, CatalogReader& reader, const CatalogState& state,
                                         const std::string& name);

}  // namespace dlctl::lake
