#pragma once
// Ingestion into versioned raw datasets: data first, manifest last.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "storage/object_store.h"
#include "util/clock.h"

namespace dlctl {

struct IngestResult {
  std::string dataset;      // snake-cased name
  std::string version_uri;  // what the manifest now points to
  uint64_t files = 0;
  uint64_t bytes = 0;
};

// One file of a new version: where it is on disk, and its key inside the version folder.
struct VersionFile {
  std::filesystem::path path;
  std::string relative_key;  // '/'-separated
  uint64_t size = 0;
};

// Every regular file of a folder tree (or the file itself), sorted by key.
std::vector<VersionFile> CollectFiles(const std::filesystem::path& root);

// A new, empty version for files uploaded by hand (a ".keep" placeholder marks it).
IngestResult IngestManual(ObjectStore& store, const std::string& ingest_prefix, const std::string& name,
                          TimePoint now);

// Uploads a file, or a folder tree with its relative paths, as a new version. On any failure
// the partial version is removed and the manifest is left as it was.
IngestResult IngestLocalPath(ObjectStore& store, const std::string& ingest_prefix, const std::filesystem::path& path,
                             const std::string& name, TimePoint now, int parallel_uploads = 8);

// Uploads `files` as a new version of `name`, then publishes it with `manifest_extra` added to
// the manifest. On any failure the partial version is removed and the manifest left as it was.
IngestResult IngestFiles(ObjectStore& store, const std::string& ingest_prefix, const std::vector<VersionFile>& files,
                         const std::string& name, TimePoint now, int parallel_uploads = 8,
                         const nlohmann::json& manifest_extra = {});

}  // namespace dlctl
