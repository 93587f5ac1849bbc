// Lakehouse::Attach, the half of lake/lakehouse.h that needs DuckDB: it lives with the catalogs
// attached to the engine (library dlctl_lake), so opening and reading catalogs (lake/lakehouse.cpp,
// library dlctl_lake_metadata) runs without DuckDB, as `dlctl lake snapshots` does.
#include <algorithm>

#include "lake/catalog/attach.h"
#include "lake/lakehouse.h"
#include "lake/metadata/open_metadata_store.h"
#include "util/error.h"

namespace dlctl::lake {

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
    source.open = [settings = settings_, catalog, data_path = source.data_path](bool create) {
      return create ? OpenOrCreateCatalog(settings, catalog, data_path) : OpenMetadataStore(settings, catalog, false);
    };
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
