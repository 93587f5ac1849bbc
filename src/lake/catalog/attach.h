#pragma once
// Makes DuckLake catalogs queryable: each is attached to the engine as a DuckDB catalog of its
// own (stage.<schema>.<table>), through DuckDB's storage-extension API, so DuckDB's binder and
// optimizer see real tables (row counts, column statistics) and plan every read and write on
// them: SELECT, INSERT, DELETE, UPDATE, MERGE INTO, CREATE/ALTER/DROP, BEGIN ... COMMIT.
#include "engine/engine.h"
#include "lake/catalog/catalog_source.h"

namespace dlctl::lake {

// SET dlctl_file_pruning = false reads every file of a lake table (to measure what pruning saves).
inline constexpr const char* kFilePruningSetting = "dlctl_file_pruning";

// Attaches (or re-attaches) `source` under its name. Cheap: the metadata is read when a query
// first uses the catalog, so a damaged catalog fails only the statements that use it. A catalog
// whose metadata does not exist yet reads as empty and is created by its first write.
void AttachCatalog(Engine& engine, CatalogSource source);

// The snapshot the engine's latest COMMIT to catalog `name` made (nullopt: none yet).
std::optional<SnapshotId> LastCommittedSnapshot(Engine& engine, const std::string& name);

}  // namespace dlctl::lake
