#include "tools/catalog_migration.h"

#include <filesystem>

#include "lake/maintenance/catalog_copy.h"
#include "lake/metadata/open_metadata_store.h"
#include "util/error.h"

namespace dlctl {
namespace {

// The catalog's settings with its metadata on the one side: OpenMetadataStore picks PostgreSQL
// exactly when postgres_schema is set.
CatalogSettings Side(const Settings& settings, const CatalogSettings& catalog, const std::string& store) {
  CatalogSettings side = catalog;
  if (store == "sqlite") {
    side.postgres_schema.reset();
  } else if (!catalog.postgres_schema || !settings.postgres) {
    throw UsageError("catalog " + catalog.name + " has no PostgreSQL schema: set " + catalog.schema_variable +
                     " (and the PSQL_CATALOG_* server variables)");
  }
  return side;
}

}  // namespace

CatalogMigration MigrateCatalog(const Settings& settings, const std::string& catalog_name, const std::string& from,
                                const std::string& to, bool force) {
  for (const auto& store : {from, to})
    if (store != "sqlite" && store != "postgres")
      throw UsageError("a catalog store is sqlite or postgres, not '" + store + "'");
  if (from == to) throw UsageError("--from and --to are both " + from + ": nothing to migrate");
  const CatalogSettings* catalog = settings.FindCatalog(catalog_name);
  if (!catalog) {
    std::string names;
    for (const auto& c : settings.catalogs) names += (names.empty() ? "" : ", ") + c.name;
    throw UsageError("no catalog named " + catalog_name + " (the settings name: " + names + ")");
  }
  CatalogSettings source_side = Side(settings, *catalog, from);
  CatalogSettings target_side = Side(settings, *catalog, to);
  auto source = lake::OpenMetadataStore(settings, source_side, false);
  bool new_file = to == "sqlite" && !std::filesystem::exists(catalog->db_path);
  try {
    auto target = lake::OpenMetadataStore(settings, target_side, true);
    lake::CatalogCopyReport report = lake::CopyCatalog(*source, *target, force);
    return {from, to, report.tables, report.rows, source->Describe(), target->Describe()};
  } catch (...) {
    std::error_code ec;
    if (new_file) std::filesystem::remove(catalog->db_path, ec);  // the empty file this run made
    throw;
  }
}

}  // namespace dlctl
