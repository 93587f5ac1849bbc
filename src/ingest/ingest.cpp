#include "ingest/ingest.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/versioned_datasets.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/slug.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

struct LocalFile {
  fs::path path;
  std::string relative_key;  // '/'-separated
  uint64_t size;
};

std::vector<LocalFile> CollectFiles(const fs::path& root) {
  std::vector<LocalFile> files;
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
  std::sort(files.begin(), files.end(), [](const LocalFile& a, const LocalFile& b) { return a.relative_key < b.relative_key; });
  return files;
}

// Uploads with a few workers; the first failure stops the rest and is rethrown.
void UploadAll(ObjectStore& store, const std::string& version_key, const std::vector<LocalFile>& files,
               int parallel_uploads, ProgressBar& progress) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (size_t i = next++; i < files.size() && !failed; i = next++) {
      try {
        uint64_t reported = 0;
        store.PutFile(version_key + "/" + files[i].relative_key, files[i].path, [&](uint64_t done, uint64_t) {
          progress.Advance(done - reported);
          reported = done;
        });
        progress.Advance(files[i].size - reported);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  int workers = std::max(1, std::min<int>(parallel_uploads, static_cast<int>(files.size())));
  std::vector<std::thread> threads;
  for (int i = 1; i < workers; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace

IngestResult IngestManual(ObjectStore& store, const std::string& ingest_prefix, const std::string& name,
                          TimePoint now) {
  VersionedDatasets datasets(store, ingest_prefix);
  IngestResult result;
  result.dataset = SnakeCase(name);
  std::string version = datasets.NewVersion(result.dataset, now);
  store.Put(version + "/.keep", "");
  datasets.Publish(result.dataset, version);
  result.version_uri = store.Uri(version);
  return result;
}

IngestResult IngestLocalPath(ObjectStore& store, const std::string& ingest_prefix, const fs::path& path,
                             const std::string& name, TimePoint now, int parallel_uploads) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw UsageError("no such file or folder: " + path.string());
  std::vector<LocalFile> files = CollectFiles(path);
  if (files.empty()) throw Error(path.string() + " holds no files to ingest");

  VersionedDatasets datasets(store, ingest_prefix);
  IngestResult result;
  result.dataset = SnakeCase(name);
  std::string version = datasets.NewVersion(result.dataset, now);
  for (const auto& f : files) result.bytes += f.size;
  result.files = files.size();
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
  datasets.Publish(result.dataset, version);
  result.version_uri = store.Uri(version);
  return result;
}

}  // namespace dlctl
