#include "ingest/remote_ingest.h"

#include "ingest/source_fetch.h"
#include "util/error.h"
#include "util/slug.h"

namespace dlctl {

IngestResult IngestFromUrl(ObjectStore& store, const std::string& ingest_prefix, const SourceSettings& sources,
                           const std::string& url, const RemoteIngestOptions& options, TimePoint now) {
  SourceRef ref = ParseSourceUrl(url);
  if (!options.revision.empty() && !ref.revision.empty() && options.revision != ref.revision)
    throw UsageError("--revision " + options.revision + " contradicts the URL's revision " + ref.revision);
  if (ref.path_is_file && (!options.include.empty() || !options.exclude.empty()))
    throw UsageError("--include and --exclude do not apply to a URL of one file");
  std::string name = options.name.empty() ? ref.dataset : options.name;
  SnakeCase(name);  // a name that cannot be used fails before any download
  HttpClient http(options.http);
  FetchOptions fetch{options.revision, PathFilter(options.include, options.exclude), options.parallel_downloads};
  FetchedDataset fetched = ref.kind == SourceKind::kKaggle ? FetchKaggle(ref, sources, http, fetch)
                                                           : FetchHuggingFace(ref, sources, http, fetch);
  if (fetched.files.empty())
    throw Error(Describe(ref) + (fetch.filter.empty() ? " holds no files" : " has no files --include/--exclude select"));
  nlohmann::json provenance = {{"source", "https://" + Describe(ref)}, {"revision", fetched.revision}};
  if (!ref.path.empty()) provenance["path"] = ref.path;
  return IngestFiles(store, ingest_prefix, fetched.files, name, now,
                     options.parallel_uploads, provenance);
}

}  // namespace dlctl
