#include "lake/lakehouse.h"

#include <algorithm>
#include <filesystem>

#include "lake/catalog/attach.h"
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
    } catch (const NotFoundError&) {
      continue;
    }
    if (catalog.postgres_schema && !IsCatalog(*open.store)) continue;
    open.reader = std::make_unique<CatalogReader>(*open.store, CatalogDataPath(settings, catalog));
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
  for (OpenCatalog& catalog : catalogs_)
    if (catalog.name == name) return catalog;
  throw NotFoundError("no catalog " + name + " (its database file or schema does not exist yet)");
}

CatalogReader& Lakehouse::reader(const std::string& name) { return *Find(name).reader; }

MetadataStore& Lakehouse::metadata(const std::string& name) { return *Find(name).store; }

void Lakehouse::Attach(Engine& engine, const SnapshotSelector& default_snapshot,
                       const std::map<std::string, SnapshotSelector>& snapshots, WriteOptions write) {
  auto chosen = [](const SnapshotSelector& selector) { return selector.id || selector.at_time; };
  std::vector<std::string> open = names();
  auto is_open = [&](const std::string& name) { return std::find(open.begin(), open.end(), name) != open.end(); };
  for (const auto& [name, selector] : snapshots)
    if (!is_open(name))
      throw UsageError("no catalog named " + name +
                       " to choose a snapshot of (not configured, or not created yet)");
  for (const CatalogSettings& catalog : settings_.catalogs) {
    CatalogSource source;
    source.name = catalog.name;
    source.data_path = CatalogDataPath(settings_, catalog);
    source.open = [settings = settings_, catalog](bool create) { return OpenMetadataStore(settings, catalog, create); };
    auto choice = snapshots.find(catalog.name);
    const SnapshotSelector& selector = choice != snapshots.end() ? choice->second : default_snapshot;
    if (chosen(selector)) {
      // A snapshot chosen for every catalog applies to those that exist; the others stay out.
      if (!is_open(catalog.name)) continue;
      // Resolved now, so a snapshot that does not exist is an error even if no query reads it.
      SnapshotSelector resolved;
      resolved.id = reader(catalog.name).ResolveSnapshot(selector).id;
      source.snapshot = resolved;
    }
    source.write = write;
    AttachCatalog(engine, std::move(source));
  }
}

}  // namespace dlctl::lake
