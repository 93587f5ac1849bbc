#include "ingest/ingest.h"

#include <algorithm>

#include "ingest/parallel.h"
#include "storage/versioned_datasets.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/slug.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

// Uploads with a few workers; the first failure stops the rest and is rethrown.
void UploadAll(ObjectStore& store, const std::string& version_key, const std::vector<VersionFile>& files,
               int parallel_uploads, ProgressBar& progress) {
  ForEachParallel(files.size(), parallel_uploads, [&](size_t i) {
    uint64_t reported = 0;
    store.PutFile(version_key + "/" + files[i].relative_key, files[i].path, [&](uint64_t done, uint64_t) {
      progress.Advance(done - reported);
      reported = done;
    });
    progress.Advance(files[i].size - reported);
  });
}

}  // namespace

std::vector<VersionFile> CollectFiles(const fs::path& root) {
  std::vector<VersionFile> files;
  std::error_code ec;
  if (fs::is_regular_file(root, ec)) {
    files.push_back({root, root.filename().string(), fs::file_size(root)});
    return files;
  }
  if (!fs::is_directory(root, ec)) throw UsageError(root.string() + " is neither a file nor a folder");
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  if (ec) throw Error("cannot read folder " + root.string() + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw Error("cannot read folder " + root.string() + ": " + ec.message());
    if (!it->is_regular_file()) continue;  // symlinked folders are not followed; symlinked files are read
    std::string relative = fs::relative(it->path(), root).generic_string();
    files.push_back({it->path(), relative, it->file_size()});
  }
  std::sort(files.begin(), files.end(),
            [](const VersionFile& a, const VersionFile& b) { return a.relative_key < b.relative_key; });
  return files;
}

IngestResult IngestManual(ObjectStore& store, const std::string& ingest_prefix, const std::string& name,
                          TimePoint now) {
  VersionedDatasets datasets(store, ingest_prefix);
  IngestResult result;
  result.dataset = SnakeCase(name);
  std::string version = datasets.BeginVersion(result.dataset, now);
  store.Put(version + "/.keep", "");
  datasets.Publish(result.dataset, version);
  result.version_uri = store.Uri(version);
  return result;
}

IngestResult IngestLocalPath(ObjectStore& store, const std::string& ingest_prefix, const fs::path& path,
                             const std::string& name, TimePoint now, int parallel_uploads) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw UsageError("no such file or folder: " + path.string());
  std::vector<VersionFile> files = CollectFiles(path);
  if (files.empty()) throw Error(path.string() + " holds no files to ingest");
  return IngestFiles(store, ingest_prefix, files, name, now, parallel_uploads);
}

IngestResult IngestFiles(ObjectStore& store, const std::string& ingest_prefix, const std::vector<VersionFile>& files,
                         const std::string& name, TimePoint now, int parallel_uploads,
                         const nlohmann::json& manifest_extra) {
  VersionedDatasets datasets(store, ingest_prefix);
  IngestResult result;
  result.dataset = SnakeCase(name);
  for (const auto& f : files) result.bytes += f.size;
  result.files = files.size();
  std::string version = datasets.BeginVersion(result.dataset, now);
  try {
    ProgressBar progress("uploading " + result.dataset, result.bytes);
    UploadAll(store, version, files, parallel_uploads, progress);
  } catch (...) {
    try {
      datasets.RemoveVersion(version);
    } catch (...) {
      // The upload error matters more; a leftover partial version is unpublished and prunable.
    }
    throw;
  }
  datasets.Publish(result.dataset, version, manifest_extra);
  result.version_uri = store.Uri(version);
  return result;
}

}  // namespace dlctl
