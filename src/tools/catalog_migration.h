#pragma once
// `dlctl tools migrate-catalog`: moves one catalog's metadata between its SQLite file (the
// *_DB variable) and its PostgreSQL schema (PSQL_CATALOG_*_SCHEMA), row for row, so a lab moves
// without rewriting a data file. Afterwards point the settings at the new side.
#include <cstdint>
#include <string>

#include "config/settings.h"

namespace dlctl {

struct CatalogMigration {
  std::string from, to;  // "sqlite" or "postgres"
  int64_t tables = 0;
  int64_t rows = 0;
  std::string source, target;  // the stores, for messages (no credentials)
};

// The target must hold no catalog rows unless `force`; it is written in one transaction.
// Throws UsageError for an unknown catalog or store name, or when a side is not configured.
CatalogMigration MigrateCatalog(const Settings& settings, const std::string& catalog, const std::string& from,
                                const std::string& to, bool force);

}  // namespace dlctl
