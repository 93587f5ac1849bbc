#pragma once
// Ingestion into versioned raw datasets: data first, manifest last.
#include <filesystem>
#include <string>

#include "storage/object_store.h"
#include "util/clock.h"

namespace dlctl {

struct IngestResult {
  std::string dataset;      // snake-cased name
  std::string version_uri;  // what the manifest now points to
  uint64_t files = 0;
  uint64_t bytes = 0;
};

// A new, empty version for files uploaded by hand (a ".keep" placeholder marks it).
IngestResult IngestManual(ObjectStore& store, const std::string& ingest_prefix, const std::string& name,
                          TimePoint now);

// Uploads a file, or a folder tree with its relative paths, as a new version. On any failure
// the partial version is removed and the manifest is left as it was.
IngestResult IngestLocalPath(ObjectStore& store, const std::string& ingest_prefix, const std::filesystem::path& path,
                             const std::string& name, TimePoint now, int parallel_uploads = 8);

}  // namespace dlctl
