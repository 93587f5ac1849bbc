#pragma once
// Raw datasets for sources with `database: raw`: a file of a dataset's latest version as the
// s3:// URI the engine reads. Only manifests are read (raw/<dataset>/manifest.json); the bucket
// is never listed, except each dataset's latest version folder when the original's
// RAW__<DATASET>__<PATH> compatibility names are asked for.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "storage/object_store.h"
#include "util/clock.h"

namespace dlctl::transform {

class RawDatasets {
 public:
  RawDatasets(ObjectStore& store, std::string bucket, std::string ingest_prefix);

  // s3://<bucket>/<latest version>/<path> of `dataset` (a snake-cased dataset name). Throws
  // Error when the dataset has no manifest (it was never ingested).
  std::string FileUri(const std::string& dataset, const std::string& path);

  // When the dataset's latest version was ingested (its version folder's time); nullopt when
  // the dataset has no manifest.
  std::optional<TimePoint> LatestVersionTime(const std::string& dataset);

  // The URI the original exported as environment variable `name` (RAW__DEEZER_SOCIAL_NETWORKS__
  // HR__HR_EDGES), or nullopt. Computed once, from every dataset's manifest.
  std::optional<std::string> CompatibilityVariable(const std::string& name);

 private:
  std::string LatestVersionKey(const std::string& dataset);  // with mutex_ held

  ObjectStore& store_;
  std::string bucket_, ingest_prefix_;
  std::mutex mutex_;
  std::map<std::string, std::optional<std::string>> latest_;  // dataset -> latest version key
  std::optional<std::map<std::string, std::string>> variables_;
};

// The original's variable name for a file of a dataset: RAW__<DATASET>__<PARTS...> where the
// parts are the file's path components, the last without its extension, each snake-cased, all
// upper case. "deezer_social_networks", "HR/HR_edges.csv" -> RAW__DEEZER_SOCIAL_NETWORKS__HR__HR_EDGES.
std::string CompatibilityVariableName(const std::string& ingest_prefix, const std::string& dataset,
                                      const std::string& path);

}  // namespace dlctl::transform
