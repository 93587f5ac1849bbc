#pragma once
// A catalog on PostgreSQL in a backup: its schema read in one REPEATABLE READ transaction (a
// consistent snapshot, writers go on) and written as a SQLite file with the same DuckLake tables,
// by the same copy `dlctl tools migrate-catalog` uses (lake/catalog_copy.h). The file is
// self-contained (DuckDB's ducklake extension attaches it as a SQLite catalog) and its bytes
// depend only on the catalog's rows, so its checksum means something. No pg_dump is needed.
#include <filesystem>

#include "config/settings.h"

namespace dlctl {

// False when the catalog's schema does not exist or holds no DuckLake catalog.
bool PostgresCatalogExists(const Settings& settings, const CatalogSettings& catalog);

// Writes the dump to `destination` (it must not exist).
void DumpPostgresCatalog(const Settings& settings, const CatalogSettings& catalog,
                         const std::filesystem::path& destination);

// Throws Error unless `replace` or the catalog's schema holds no catalog rows. Changes nothing.
void CheckPostgresRestoreTarget(const Settings& settings, const CatalogSettings& catalog, bool replace);

// Copies the dump into the catalog's schema (created when missing) in one transaction.
void RestorePostgresCatalog(const Settings& settings, const CatalogSettings& catalog,
                            const std::filesystem::path& dump, bool replace);

}  // namespace dlctl
