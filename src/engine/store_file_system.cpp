#include "engine/store_file_system.h"

#include "engine/key_glob.h"
#include "engine/store_file_handle.h"

namespace dlctl {

namespace {

// Where a glob leaves an object's size for OpenFileExtended.
constexpr const char* kFileSizeOption = "file_size";

StoreFileHandle& AsStoreFile(duckdb::FileHandle& handle) { return handle.Cast<StoreFileHandle>(); }

std::string AsFolder(const std::string& key) { return key.empty() || key.back() == '/' ? key : key + "/"; }

}  // namespace

StoreFileSystem::StoreFileSystem(std::shared_ptr<ObjectStore> store, std::string bucket)
    : store_(std::move(store)), paths_(std::move(bucket)) {}

bool StoreFileSystem::CanHandleFile(const std::string& path) { return BucketPaths::IsS3Uri(path); }

void StoreFileSystem::FinishStatement(bool succeeded) {
  std::vector<std::unique_ptr<ObjectWriter>> unfinished;
  {
    std::lock_guard<std::mutex> lock(unfinished_mutex_);
    unfinished.swap(unfinished_);
  }
  if (!succeeded) return;  // destroying the writers discards what they hold
  for (auto& writer : unfinished) writer->Commit();
}

std::string StoreFileSystem::KeyOf(const std::string& path) const {
  return CallStore([&] { return paths_.KeyOf(path); });
}

duckdb::unique_ptr<duckdb::FileHandle> StoreFileSystem::OpenFileExtended(const duckdb::OpenFileInfo& file,
                                                                         duckdb::FileOpenFlags flags,
                                                                         duckdb::optional_ptr<duckdb::FileOpener>) {
  std::string key = KeyOf(file.path);
  if (flags.OpenForWriting()) {
    if (flags.OpenForReading() || flags.OpenForAppending())
      throw duckdb::NotImplementedException("s3:// objects are written whole: cannot update " + file.path);
    auto writer = CallStore([&] { return store_->OpenWriter(key); });
    return StoreFileHandle::ForWriting(*this, file.path, flags, std::move(writer),
                                       [this](std::unique_ptr<ObjectWriter> unfinished) {
                                         std::lock_guard<std::mutex> lock(unfinished_mutex_);
                                         unfinished_.push_back(std::move(unfinished));
                                       });
  }

  std::optional<uint64_t> size;
  if (file.extended_info) {
    auto option = file.extended_info->options.find(kFileSizeOption);
    if (option != file.extended_info->options.end()) size = option->second.GetValue<uint64_t>();
  }
  if (!size) {
    auto info = key.empty() ? std::nullopt : CallStore([&] { return store_->Head(key); });
    if (!info) {
      if (flags.ReturnNullIfNotExists()) return nullptr;
      throw duckdb::IOException("no such object: " + file.path);
    }
    size = info->size;
  }
  return StoreFileHandle::ForReading(*this, file.path, flags, *store_, key, *size, bytes_read_);
}

void StoreFileSystem::Read(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes, duckdb::idx_t location) {
  size_t got = AsStoreFile(handle).ReadAt(static_cast<char*>(buffer), nr_bytes, location);
  if (got != static_cast<size_t>(nr_bytes))
    throw duckdb::IOException("cannot read " + std::to_string(nr_bytes) + " bytes at offset " +
                              std::to_string(location) + " of " + handle.path + ": the object is shorter");
}

int64_t StoreFileSystem::Read(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes) {
  auto& file = AsStoreFile(handle);
  size_t got = file.ReadAt(static_cast<char*>(buffer), nr_bytes, file.position);
  file.position += got;
  return static_cast<int64_t>(got);
}

void StoreFileSystem::Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes, duckdb::idx_t location) {
  if (location != AsStoreFile(handle).size())
    throw duckdb::NotImplementedException("s3:// objects are written front to back: cannot write at offset " +
                                          std::to_string(location) + " of " + handle.path);
  Write(handle, buffer, nr_bytes);
}

int64_t StoreFileSystem::Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes) {
  AsStoreFile(handle).Append(static_cast<const char*>(buffer), nr_bytes);
  return nr_bytes;
}

// COPY TO syncs a finished file (CSV) or closes it (Parquet); see FinishStatement for the rest.
void StoreFileSystem::FileSync(duckdb::FileHandle& handle) { AsStoreFile(handle).Commit(); }

int64_t StoreFileSystem::GetFileSize(duckdb::FileHandle& handle) {
  return static_cast<int64_t>(AsStoreFile(handle).size());
}

duckdb::timestamp_t StoreFileSystem::GetLastModifiedTime(duckdb::FileHandle& handle) {
  return AsStoreFile(handle).opened_at;
}

duckdb::FileType StoreFileSystem::GetFileType(duckdb::FileHandle&) { return duckdb::FileType::FILE_TYPE_REGULAR; }

void StoreFileSystem::Seek(duckdb::FileHandle& handle, duckdb::idx_t location) {
  AsStoreFile(handle).position = location;
}

void StoreFileSystem::Reset(duckdb::FileHandle& handle) { AsStoreFile(handle).position = 0; }

duckdb::idx_t StoreFileSystem::SeekPosition(duckdb::FileHandle& handle) { return AsStoreFile(handle).position; }

bool StoreFileSystem::FileExists(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener>) {
  std::string key = KeyOf(path);
  return !key.empty() && CallStore([&] { return store_->Head(key).has_value(); });
}

bool StoreFileSystem::DirectoryExists(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener>) {
  std::string folder = AsFolder(KeyOf(path));
  if (folder.empty()) return true;  // the bucket itself
  Listing listing = CallStore([&] { return store_->ListFolder(folder); });
  return !listing.objects.empty() || !listing.common_prefixes.empty();
}

void StoreFileSystem::RemoveFile(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener>) {
  std::string key = KeyOf(path);
  CallStore([&] { store_->Delete(key); });
}

bool StoreFileSystem::TryRemoveFile(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener> opener) {
  if (!FileExists(path, opener)) return false;
  RemoveFile(path, opener);
  return true;
}

bool StoreFileSystem::ListFiles(const std::string& directory,
                                const std::function<void(const std::string&, bool)>& callback, duckdb::FileOpener*) {
  std::string folder = AsFolder(KeyOf(directory));
  Listing listing = CallStore([&] { return store_->ListFolder(folder); });
  for (const auto& object : listing.objects) callback(object.key.substr(folder.size()), false);
  for (const auto& prefix : listing.common_prefixes)
    callback(prefix.substr(folder.size(), prefix.size() - folder.size() - 1), true);
  return !listing.objects.empty() || !listing.common_prefixes.empty();
}

duckdb::vector<duckdb::OpenFileInfo> StoreFileSystem::Glob(const std::string& pattern, duckdb::FileOpener*) {
  std::string key_pattern = KeyOf(pattern);
  duckdb::vector<duckdb::OpenFileInfo> files;
  if (!HasGlob(key_pattern)) {
    // No HEAD per literal path: a lake table lists thousands of known files, and a missing one
    // still fails when it is opened.
    files.emplace_back(pattern);
    return files;
  }
  // List the literal prefix once, then match: "raw/2024-*/x.csv" lists "raw/2024-".
  std::string prefix(LiteralPrefix(key_pattern));
  for (const auto& object : CallStore([&] { return store_->List(prefix); })) {
    if (!KeyMatchesGlob(object.key, key_pattern)) continue;
    duckdb::OpenFileInfo file(paths_.UriOf(object.key));
    file.extended_info = duckdb::make_shared_ptr<duckdb::ExtendedOpenFileInfo>();
    file.extended_info->options[kFileSizeOption] = duckdb::Value::UBIGINT(object.size);
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace dlctl
