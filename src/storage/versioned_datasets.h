#pragma once
// Versioned datasets, the one layout shared by raw/, exports/ and backups/:
//   <prefix>/<name>/YYYY_MM_DD/HH_mm_SS_sss/<files>   one folder per version (UTC)
//   <prefix>/<name>/manifest.json                     {"dataset": name, "latest": URI, ...}
// The manifest is written only after a version's data is complete, and every prefix filter
// ends at a '/' so "raw/foo" never sees "raw/foo_bar".
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/object_store.h"
#include "util/clock.h"

namespace dlctl {

struct Manifest {
  std::string dataset;
  std::string latest_uri;
  std::string latest_key;  // latest_uri as a key of this store
  nlohmann::json json;     // everything the file holds
};

struct DatasetVersion {
  std::string key;  // "raw/ds/2025_06_03/19_56_03_000", no trailing '/'
  std::vector<ObjectInfo> files;  // data files only (placeholders and manifests left out)
};

struct Dataset {
  std::string name;  // "ds", or "catalog/schema" for exports
  std::optional<Manifest> manifest;
  std::vector<DatasetVersion> versions;  // oldest first
};

struct PruneReport {
  std::vector<std::string> removed_versions;  // version keys
  uint64_t removed_objects = 0;
};

// The name of a placeholder or manifest, not data: ".keep", "README", "*.md", "manifest.json".
bool IsIgnoredFileName(const std::string& key);

class VersionedDatasets {
 public:
  // `name_depth`: path segments in a dataset name (1 for raw/ and backups/, 2 for exports/).
  VersionedDatasets(ObjectStore& store, std::string prefix, int name_depth = 1);

  // The key of a new, empty version folder for `now`. Throws Error when it already exists.
  std::string NewVersion(const std::string& name, TimePoint now);
  // Points the manifest at `version_key`; `extra` keys are added to the manifest.
  void Publish(const std::string& name, const std::string& version_key, const nlohmann::json& extra = {});
  std::optional<Manifest> ReadManifest(const std::string& name);
  // Removes every object of a version (a failed ingest cleaning up after itself).
  void RemoveVersion(const std::string& version_key);

  // Dataset names found under the prefix, sorted.
  std::vector<std::string> Names();
  // One dataset with its manifest and versions; `with_files` lists each version's files.
  Dataset Describe(const std::string& name, bool with_files);

  // Without `keep`: removes versions holding no data files. With `keep` = N: keeps the newest
  // N versions. The version the manifest points to is never removed.
  PruneReport Prune(const std::string& name, std::optional<int> keep, bool dry_run);

  std::string DatasetFolder(const std::string& name) const { return prefix_ + "/" + name + "/"; }
  std::string ManifestKey(const std::string& name) const { return DatasetFolder(name) + "manifest.json"; }

 private:
  std::vector<std::string> VersionKeys(const std::string& name);

  ObjectStore& store_;
  std::string prefix_;
  int name_depth_;
};

}  // namespace dlctl
