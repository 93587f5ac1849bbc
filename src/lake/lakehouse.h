#pragma once
// The configured DuckLake catalogs (Settings::catalogs) opened together and bound into one
// engine, so SQL sees stage.<schema>.<table> next to every mart.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/metadata/catalog_reader.h"
#include "lake/metadata/metadata_store.h"
#include "lake/write/lake_transaction.h"

namespace dlctl::lake {

// Where a catalog's data lives, overriding the data path stored in it: s3://<bucket>/<prefix>/
// on S3, <LocalBucketRoot>/<prefix>/ on the local default.
std::string CatalogDataPath(const Settings& settings, const CatalogSettings& catalog);

class Lakehouse {
 public:
  // Opens every configured catalog whose database file or PostgreSQL catalog exists (the others
  // are not created yet). A catalog that cannot be opened (a damaged file) fails only the calls
  // that use it: reader() and metadata() throw its error.
  explicit Lakehouse(const Settings& settings);
  ~Lakehouse();

  // The existing catalogs' names, in settings order (stage first), damaged ones included.
  std::vector<std::string> names() const;
  CatalogReader& reader(const std::string& name);
  MetadataStore& metadata(const std::string& name);

  // Attaches every configured catalog to `engine` as a DuckDB catalog of its own (a catalog
  // that does not exist yet is created by its first write): read-write at its latest snapshot,
  // or read-only at `snapshots[name]` when given, else at `default_snapshot` when set. Throws
  // UsageError for a snapshot of a name that is not a configured catalog. Defined in
  // lake/catalog/lakehouse_attach.cpp: the rest of this class runs without DuckDB.
  void Attach(Engine& engine, const SnapshotSelector& default_snapshot = {},
              const std::map<std::string, SnapshotSelector>& snapshots = {}, WriteOptions write = {});

 private:
  struct OpenCatalog {
    std::string name;
    std::unique_ptr<MetadataStore> store;
    std::unique_ptr<CatalogReader> reader;
    std::string damage;  // why it could not be opened; store and reader are null then
  };
  OpenCatalog& Find(const std::string& name);

  Settings settings_;
  std::vector<OpenCatalog> catalogs_;
};

}  // namespace dlctl::lake
