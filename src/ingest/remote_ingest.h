#pragma once
// `dlctl ingest dataset URL`: a Kaggle or Hugging Face dataset into a new raw version.
#include <string>
#include <vector>

#include "config/settings.h"
#include "ingest/http_client.h"
#include "ingest/ingest.h"

namespace dlctl {

struct RemoteIngestOptions {
  std::string name;                  // the dataset's name; empty: the URL's dataset slug
  std::vector<std::string> include;  // globs on the files' paths in the dataset
  std::vector<std::string> exclude;
  std::string revision;              // Kaggle version number or Hugging Face branch/tag/commit
  int parallel_downloads = 4;
  int parallel_uploads = 8;
  HttpOptions http;
};

// Fetches the dataset a pasted URL names into the cache (settings.sources.cache_dir; a re-run
// downloads nothing new), then uploads it as a new version, manifest last, recording the
// source and the revision fetched in the manifest. Unknown URLs are a UsageError.
IngestResult IngestFromUrl(ObjectStore& store, const std::string& ingest_prefix, const SourceSettings& sources,
                           const std::string& url, const RemoteIngestOptions& options, TimePoint now);

}  // namespace dlctl
