#include "lake/lakehouse.h"

#include <algorithm>
#include <filesystem>

#include "lake/catalog_schema.h"
#include "lake/open_metadata_store.h"
#include "util/error.h"

namespace dlctl::lake {

std::string CatalogDataPath(const Settings& settings, const CatalogSettings& catalog) {
  if (settings.s3) return "s3://" + settings.bucket + "/" + catalog.data_prefix + "/";
  return (settings.LocalBucketRoot() / catalog.data_prefix).generic_string() + "/";
}

Lakehouse::Lakehouse(const Settings& settings) {
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

std::vector<BindFailure> Lakehouse::Bind(Engine& engine, const SnapshotSelector& default_snapshot,
                                         const std::map<std::string, SnapshotSelector>& snapshots) {
  for (const auto& [name, selector] : snapshots) {
    auto names = this->names();
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw UsageError("no catalog named " + name + " to choose a snapshot of (not configured, or not created yet)");
  }

  // All tables first: a view of one catalog may read the tables of another.
  std::vector<BindFailure> failures;
  std::vector<CatalogState> states;
  for (OpenCatalog& catalog : catalogs_) {
    auto chosen = snapshots.find(catalog.name);
    // Files are read when a query first reads a table (catalog_binding.h), so binding a catalog
    // of 100,000 files costs what reading its schema does.
    states.push_back(catalog.reader->Load(chosen != snapshots.end() ? chosen->second : default_snapshot,
                                          /*with_files=*/false));
    auto more = BindCatalogTables(engine, *catalog.reader, states.back(), catalog.name);
    failures.insert(failures.end(), more.begin(), more.end());
  }
  for (size_t i = 0; i < catalogs_.size(); ++i) {
    auto more = BindCatalogViews(engine, states[i], catalogs_[i].name);
    failures.insert(failures.end(), more.begin(), more.end());
  }
  return failures;
}

}  // namespace dlctl::lake
