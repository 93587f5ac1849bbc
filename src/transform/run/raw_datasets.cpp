#include "transform/run/raw_datasets.h"

#include <algorithm>
#include <cctype>

#include "storage/versioned_datasets.h"
#include "util/error.h"
#include "util/slug.h"

namespace dlctl::transform {

RawDatasets::RawDatasets(ObjectStore& store, std::string bucket, std::string ingest_prefix)
    : store_(store), bucket_(std::move(bucket)), ingest_prefix_(std::move(ingest_prefix)) {}

std::string RawDatasets::LatestVersionKey(const std::string& dataset) {
  auto found = latest_.find(dataset);
  if (found == latest_.end()) {
    VersionedDatasets datasets(store_, ingest_prefix_);
    std::optional<Manifest> manifest = datasets.ReadManifest(dataset);
    found = latest_.emplace(dataset, manifest ? std::optional(manifest->latest_key) : std::nullopt).first;
  }
  if (!found->second)
    throw Error("raw dataset '" + dataset + "' has no manifest under " + ingest_prefix_ +
                "/ (ingest it first: dlctl ingest dataset <folder> " + dataset + ")");
  return *found->second;
}

std::string RawDatasets::FileUri(const std::string& dataset, const std::string& path) {
  std::lock_guard lock(mutex_);
  return "s3://" + bucket_ + "/" + LatestVersionKey(dataset) + "/" + path;
}

std::optional<TimePoint> RawDatasets::LatestVersionTime(const std::string& dataset) {
  std::lock_guard lock(mutex_);
  std::string key;
  try {
    key = LatestVersionKey(dataset);
  } catch (const Error&) {
    return std::nullopt;
  }
  // .../<YYYY_MM_DD>/<HH_mm_SS_sss>
  size_t time_slash = key.rfind('/');
  size_t date_slash = time_slash == std::string::npos ? std::string::npos : key.rfind('/', time_slash - 1);
  if (date_slash == std::string::npos) return std::nullopt;
  return ParseVersionFolderName(key.substr(date_slash + 1));
}

std::optional<std::string> RawDatasets::CompatibilityVariable(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (!variables_) {
    variables_.emplace();
    VersionedDatasets datasets(store_, ingest_prefix_);
    for (const std::string& dataset : datasets.Names()) {
      std::optional<Manifest> manifest = datasets.ReadManifest(dataset);
      if (!manifest) continue;
      latest_[dataset] = manifest->latest_key;
      std::string folder = manifest->latest_key + "/";
      for (const ObjectInfo& object : store_.List(folder)) {
        if (IsIgnoredFileName(object.key)) continue;
        std::string path = object.key.substr(folder.size());
        (*variables_)[CompatibilityVariableName(ingest_prefix_, dataset, path)] = "s3://" + bucket_ + "/" + object.key;
      }
    }
  }
  auto found = variables_->find(name);
  if (found == variables_->end()) return std::nullopt;
  return found->second;
}

std::string CompatibilityVariableName(const std::string& ingest_prefix, const std::string& dataset,
                                      const std::string& path) {
  std::string name = ingest_prefix + "__" + dataset;
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t end = path.find('/', begin);
    bool last = end == std::string::npos;
    std::string part = path.substr(begin, last ? std::string::npos : end - begin);
    if (last) {
      size_t dot = part.rfind('.');
      if (dot != std::string::npos && dot > 0) part.resize(dot);
    }
    if (!part.empty()) name += "__" + SnakeCase(part);
    if (last) break;
    begin = end + 1;
  }
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name;
}

}  // namespace dlctl::transform
