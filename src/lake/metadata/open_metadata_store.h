#pragma once
// Opens a catalog's metadata store from the settings: its SQLite file, or its PostgreSQL schema
// when PSQL_CATALOG_<...>_SCHEMA names one.
#include <memory>
#include <string>

#include "config/settings.h"
#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

// With `create`, makes the SQLite file (and its folder) or the PostgreSQL schema when missing;
// the DuckLake tables come from CreateCatalog (a migration or restore target). Without it, a
// missing file or schema is a NotFoundError, and a SQLite file that exists but holds no DuckLake
// catalog (empty, or not a database) is an Error naming it and the way out.
std::unique_ptr<MetadataStore> OpenMetadataStore(const Settings& settings, const CatalogSettings& catalog, bool create);

// The catalog's store for a write: an existing catalog (checked as above), or a new one with
// `data_path`. Only a missing SQLite file starts a new catalog, made whole in a file of its own
// and linked into place, so no process ever sees a catalog file without its tables.
std::unique_ptr<MetadataStore> OpenOrCreateCatalog(const Settings& settings, const CatalogSettings& catalog,
                                                   const std::string& data_path);

}  // namespace dlctl::lake
