#include "lake/lakehouse.h"

#include <filesystem>

#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/open_metadata_store.h"
#include "util/error.h"

namespace dlctl::lake {

std::string CatalogDataPath(const Settings& settings, const CatalogSettings& catalog) {
  if (settings.s3) return "s3://" + settings.bucket + "/" + catalog.data_prefix + "/";
  return (settings.LocalBucketRoot() / catalog.data_prefix).generic_string() + "/";
}

Lakehouse::Lakehouse(const Settings& settings) : settings_(settings) {
  for (const CatalogSettings& catalog : settings.catalogs) {
    // A catalog exists once its file, or the DuckLake tables in its PostgreSQL schema, do.
    if (!catalog.postgres_schema && !std::filesystem::is_regular_file(catalog.db_path)) continue;
    OpenCatalog open;
    open.name = catalog.name;
    try {
      open.store = OpenMetadataStore(settings, catalog, false);
      if (catalog.postgres_schema && !IsCatalog(*open.store)) continue;
      open.reader = std::make_unique<CatalogReader>(*open.store, CatalogDataPath(settings, catalog));
    } catch (const NotFoundError&) {
      continue;
    } catch (const Error& e) {
      open.store.reset();
      open.damage = e.what();
    }
    catalogs_.push_back(std::move(open));
  }
}

Lakehouse::~Lakehouse() = default;

std::vector<std::string> Lakehouse::names() const {
  std::vector<std::string> names;
  for (const OpenCatalog& catalog : catalogs_) names.push_back(catalog.name);
  return names;
}

Lakehouse::OpenCatalog& Lakehouse::Find(const std::string& name) {
  for (OpenCatalog& catalog : catalogs_) {
    if (catalog.name != name) continue;
    if (!catalog.damage.empty()) throw Error(catalog.damage);
    return catalog;
  }
  throw NotFoundError("no catalog " + name + " (its database file or schema does not exist yet)");
}

CatalogReader& Lakehouse::reader(const std::string& name) { return *Find(name).reader; }

MetadataStore& Lakehouse::metadata(const std::string& name) { return *Find(name).store; }

}  // namespace dlctl::lake
