#include "lake/metadata/open_metadata_store.h"

#include "lake/metadata/postgres_metadata_store.h"
#include "lake/metadata/sqlite_metadata_store.h"

namespace dlctl::lake {

std::unique_ptr<MetadataStore> OpenMetadataStore(const Settings& settings, const CatalogSettings& catalog, bool create) {
  if (!catalog.postgres_schema) return std::make_unique<SqliteMetadataStore>(catalog.db_path, create, settings.lock_wait);
  std::string connection = settings.postgres ? settings.postgres->ConnectionString() : std::string();
  return std::make_unique<PostgresMetadataStore>(connection, *catalog.postgres_schema, create);
}

}  // namespace dlctl::lake
