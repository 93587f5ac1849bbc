#include "backup/postgres_dump.h"

#include "lake/maintenance/catalog_copy.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/open_metadata_store.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "util/error.h"

namespace dlctl {

bool PostgresCatalogExists(const Settings& settings, const CatalogSettings& catalog) {
  try {
    auto store = lake::OpenMetadataStore(settings, catalog, false);
    return lake::IsCatalog(*store);
  } catch (const NotFoundError&) {
    return false;
  }
}

void DumpPostgresCatalog(const Settings& settings, const CatalogSettings& catalog,
                         const std::filesystem::path& destination) {
  if (std::filesystem::exists(destination)) throw Error("backup copy " + destination.string() + " already exists");
  auto source = lake::OpenMetadataStore(settings, catalog, false);
  lake::SqliteMetadataStore copy(destination, true);
  lake::CopyCatalog(*source, copy, false);
}

void CheckPostgresRestoreTarget(const Settings& settings, const CatalogSettings& catalog, bool replace) {
  if (replace) return;
  std::unique_ptr<lake::MetadataStore> target;
  try {
    target = lake::OpenMetadataStore(settings, catalog, false);
  } catch (const NotFoundError&) {
    return;  // the schema does not exist yet: restore creates it
  }
  if (lake::HasCatalogRows(*target))
    throw Error("catalog " + catalog.name + " in " + target->Describe() +
                " is not empty: add --force to replace it (in one transaction)");
}

void RestorePostgresCatalog(const Settings& settings, const CatalogSettings& catalog,
                            const std::filesystem::path& dump, bool replace) {
  lake::SqliteMetadataStore source(dump, false);
  auto target = lake::OpenMetadataStore(settings, catalog, true);
  lake::CopyCatalog(source, *target, replace);
}

}  // namespace dlctl
