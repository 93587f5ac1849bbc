#pragma once
// The configured DuckLake catalogs (Settings::catalogs) opened together and bound into one
// engine, so SQL sees stage.<schema>.<table> next to every mart.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/catalog_binding.h"
#include "lake/catalog_reader.h"
#include "lake/metadata_store.h"

namespace dlctl::lake {

// Where a catalog's data lives, overriding the data path stored in it: s3://<bucket>/<prefix>/
// on S3, <LocalBucketRoot>/<prefix>/ on the local default.
std::string CatalogDataPath(const Settings& settings, const CatalogSettings& catalog);

class Lakehouse {
 public:
  // Opens every configured catalog whose database file or PostgreSQL catalog exists (the others
  // are not created yet).
  explicit Lakehouse(const Settings& settings);
  ~Lakehouse();

  // The open catalogs' names, in settings order (stage first).
  std::vector<std::string> names() const;
  CatalogReader& reader(const std::string& name);
  MetadataStore& metadata(const std::string& name);

  // Binds every open catalog into `engine`: at `snapshots[name]` when given, else at
  // `default_snapshot` (the latest when empty). Throws UsageError for a name that is not an open
  // catalog. Returns the tables and views that could not be bound (they fail when queried).
  std::vector<BindFailure> Bind(Engine& engine, const SnapshotSelector& default_snapshot = {},
                                const std::map<std::string, SnapshotSelector>& snapshots = {});

 private:
  struct OpenCatalog {
    std::string name;
    std::unique_ptr<MetadataStore> store;
    std::unique_ptr<CatalogReader> reader;
  };
  OpenCatalog& Find(const std::string& name);

  std::vector<OpenCatalog> catalogs_;
};

}  // namespace dlctl::lake
