#pragma once
// Fetching a Kaggle or Hugging Face dataset into the local cache, ready to upload.
#include <string>
#include <vector>

#include "config/settings.h"
#include "ingest/http_client.h"
#include "ingest/ingest.h"
#include "ingest/path_filter.h"
#include "ingest/source_url.h"

namespace dlctl {

struct FetchedDataset {
  std::vector<VersionFile> files;  // in the cache, keyed by their path in the dataset
  std::string revision;            // what was fetched: Kaggle's version number, the repo's commit
};

struct FetchOptions {
  std::string revision;  // overrides the URL's; empty: the URL's, else the latest
  PathFilter filter{{}, {}};
  int parallel_downloads = 4;
};

// Kaggle: resolves the version (GET /api/v1/datasets/view/OWNER/SLUG), downloads the archive
// (GET /api/v1/datasets/download/OWNER/SLUG?dataset_version_number=N, a redirect to storage)
// and unpacks it into <cache>/kaggle/OWNER/SLUG/N/files, once per version.
FetchedDataset FetchKaggle(const SourceRef& ref, const SourceSettings& sources, const HttpClient& http,
                           const FetchOptions& options);

// Hugging Face: resolves the revision to a commit (GET /api/datasets/REPO/revision/REV), lists
// its files (GET /api/datasets/REPO/tree/COMMIT[/PATH]?recursive=true, paged by Link headers)
// and downloads each one not yet cached (GET /datasets/REPO/resolve/COMMIT/PATH, LFS files via
// a redirect) into <cache>/huggingface/OWNER/NAME/blobs/, checked against its git blob id or
// LFS sha256. The repo's root .git* files (.gitattributes) are not data and are left out.
FetchedDataset FetchHuggingFace(const SourceRef& ref, const SourceSettings& sources, const HttpClient& http,
                                const FetchOptions& options);

}  // namespace dlctl
