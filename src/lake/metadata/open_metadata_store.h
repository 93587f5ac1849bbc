#pragma once
// Opens a catalog's metadata store from the settings: its SQLite file, or its PostgreSQL schema
// when PSQL_CATALOG_<...>_SCHEMA names one.
#include <memory>

#include "config/settings.h"
#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

// With `create`, makes the SQLite file (and its folder) or the PostgreSQL schema when missing;
// the DuckLake tables come from CreateCatalog. Without it, a missing file or schema is a
// NotFoundError.
std::unique_ptr<MetadataStore> OpenMetadataStore(const Settings& settings, const CatalogSettings& catalog, bool create);

}  // namespace dlctl::lake
