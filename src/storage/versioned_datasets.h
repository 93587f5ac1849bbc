#pragma once
// Versioned datasets, the one layout shared by raw/, exports/ and backups/:
//   <prefix>/<name>/YYYY_MM_DD/HH_mm_SS_sss/<files>   one folder per version (UTC)
//   <prefix>/<name>/YYYY_MM_DD/HH_mm_SS_sss.writing   put first: the process writing it (owner tag)
//   <prefix>/<name>/YYYY_MM_DD/HH_mm_SS_sss.complete  put last, once every file is in: the
//                                                     version's completion mark
//   <prefix>/<name>/manifest.json                     {"dataset": name, "latest": "s3://<bucket>/<key>", ...}
// A version is complete or it is invisible: the manifest names only complete versions, `prune
// --keep N` counts only complete ones, and an incomplete version is removed once it is older than
// an hour (unless the process writing it is alive on this host). The marks sit beside the version's
// folder, not in it, so no glob over a version's files ever sees them.
//
// Versions written before the marks existed carry neither: they count as complete. Old and new are
// told apart by the .writing mark, which a version gets before its first file: a version with files
// and no mark at all can only come from an older dlctl, which published every version it finished.
// (One such version left half-written by a killed older dlctl is indistinguishable, and counts as
// complete; a kind of dataset can ask for a file every complete version holds, as backups ask for
// their manifest.json.)
//
// Every prefix filter ends at a '/' so "raw/foo" never sees "raw/foo_bar".
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/object_store.h"
#include "util/clock.h"
#include "util/process_owner.h"

namespace dlctl {

struct Manifest {
  std::string dataset;
  std::string latest_uri;  // latest_key as this store names it (Uri)
  std::string latest_key;
  nlohmann::json json;     // everything the file holds
};

struct DatasetVersion {
  std::string key;  // "raw/ds/2025_06_03/19_56_03_000", no trailing '/'
  TimePoint time;   // the time its folder names: when it was begun
  bool complete = false;
  bool writing_mark = false;   // its .writing mark exists
  bool complete_mark = false;  // its .complete mark exists
  std::vector<ObjectInfo> files;  // data files only (placeholders and manifests left out)
};

struct Dataset {
  std::string name;  // "ds", or "catalog/schema" for exports
  std::optional<Manifest> manifest;
  std::vector<DatasetVersion> versions;  // oldest first
};

struct RemovedVersion {
  std::string key;     // the version's key (or a mark's)
  std::string reason;  // "incomplete", "empty", "older than the newest N", "damaged"
  uint64_t objects = 0;
  uint64_t bytes = 0;
};

struct PruneReport {
  std::vector<RemovedVersion> removed;
};

// The name of a placeholder or manifest, not data: ".keep", "README", "*.md", "manifest.json".
bool IsIgnoredFileName(const std::string& key);

class VersionedDatasets {
 public:
  // `name_depth`: path segments in a dataset name (1 for raw/ and backups/, 2 for exports/).
  // `required_file`: a file (relative to the version folder) that every complete version written
  // before the completion marks holds; empty when there is none.
  VersionedDatasets(ObjectStore& store, std::string prefix, int name_depth = 1, std::string required_file = "");

  // Begins a new version for `now`: puts its .writing mark, naming this process, and returns its
  // key. Throws Error when a version of that time already exists.
  std::string BeginVersion(const std::string& name, TimePoint now);
  // Completes a version once all its files are in: puts its .complete mark (holding `extra` and the
  // time), points the manifest at it (adding `extra`), then drops its .writing mark.
  void Publish(const std::string& name, const std::string& version_key, const nlohmann::json& extra = {});
  std::optional<Manifest> ReadManifest(const std::string& name);
  // Removes every object of a version and its marks (a failed write cleaning up after itself).
  void RemoveVersion(const std::string& version_key);

  // Dataset names found under the prefix, sorted.
  std::vector<std::string> Names();
  // One dataset with its manifest and versions; `with_files` lists each version's files.
  Dataset Describe(const std::string& name, bool with_files);

  // Removes incomplete versions abandoned at `now` (older than kAbandonedAge, their writer
  // not alive on this host). Then, without `keep`: complete versions holding no data files; with
  // `keep` = N: complete versions older than the newest N complete ones not in `not_counted`
  // (damaged ones). The version the manifest points to is never removed.
  PruneReport Prune(const std::string& name, std::optional<int> keep, bool dry_run, TimePoint now,
                    const std::vector<std::string>& not_counted = {});
  // Only what dead writers left: abandoned incomplete versions, and the .writing marks of complete
  // versions whose writer died before dropping them (`dlctl tools gc`).
  PruneReport RemoveAbandoned(const std::string& name, bool dry_run, TimePoint now);
  // Whether an incomplete version counts as abandoned at `now`.
  bool IsAbandoned(const DatasetVersion& version, TimePoint now);

  std::string DatasetFolder(const std::string& name) const { return prefix_ + "/" + name + "/"; }
  std::string ManifestKey(const std::string& name) const { return DatasetFolder(name) + "manifest.json"; }
  static std::string WritingMarkKey(const std::string& version_key) { return version_key + ".writing"; }
  static std::string CompleteMarkKey(const std::string& version_key) { return version_key + ".complete"; }

 private:
  RemovedVersion Remove(const DatasetVersion& version, std::string reason, bool dry_run);
  std::optional<std::string> ResolveLatest(const std::string& name, std::string latest) const;

  ObjectStore& store_;
  std::string prefix_;
  int name_depth_;
  std::string required_file_;
};

}  // namespace dlctl
