#pragma once
// The DuckLake 1.0 catalog tables, created exactly as DuckDB's ducklake extension creates them
// in SQLite or PostgreSQL (same 28 tables, same declared types, same initial rows), so either
// side opens the other's catalogs.
#include <string>

#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

inline constexpr const char* kSpecVersion = "1.0";

// Creates every table plus snapshot 0 with schema "main", in one transaction.
// `data_path` gets a trailing '/' if it lacks one.
void CreateCatalog(MetadataStore& store, std::string data_path);

// Creates the 28 tables, empty, with the types of the store's dialect, inside the caller's
// transaction (e.g. to copy a catalog into).
void CreateCatalogTables(MetadataStore& store);

// CreateCatalog when the store holds no catalog yet; another process creating it at the same time
// is no error.
void CreateCatalogIfMissing(MetadataStore& store, const std::string& data_path);

// True when the database holds a DuckLake catalog (ducklake_metadata exists).
bool IsCatalog(MetadataStore& store);

// Throws a clear Error unless the catalog is spec 1.0 (asked once per connection).
void CheckSpecVersion(MetadataStore& store);

}  // namespace dlctl::lake
