#pragma once
// The storage seam: one bucket of objects addressed by '/'-separated keys. LocalStore (the
// embedded default) and S3Store behave the same; tests/storage runs one suite against both.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.h"
#include "util/process_owner.h"

namespace dlctl {

struct Settings;

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
};

struct Listing {
  std::vector<ObjectInfo> objects;           // keys directly under the prefix (or all, when recursive)
  std::vector<std::string> common_prefixes;  // "prefix/child/" for each child folder (delimited listing only)
};

// Reports bytes done out of a known total; called from the transferring thread(s).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

// An upload begun and never finished: a staging file of LocalStore, a multipart upload on S3.
struct PendingUpload {
  std::string id;           // what DiscardPendingUpload takes back
  std::string description;  // for messages: the staging file, or "multipart upload of s3://bucket/key"
  uint64_t bytes = 0;
  TimePoint last_activity;  // when it last received data
  Liveness owner = Liveness::kUnknown;
};

// Whether an upload is a leftover at `now`: its process is gone, or nobody can tell and it has
// received nothing for kAbandonedAge.
inline bool IsAbandoned(const PendingUpload& upload, TimePoint now) {
  return IsAbandonedWork(upload.owner, upload.last_activity, now);
}

// Streams an object in; nothing is visible under the key until Commit() returns.
// Destroying a writer without Commit() discards what was written.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual void Write(const void* data, size_t size) = 0;
  virtual void Commit() = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // The bucket's name (LocalStore: its folder's name).
  virtual std::string Bucket() const = 0;
  // The URI users and DuckDB see for a key: "s3://bucket/key", or an absolute path for LocalStore.
  virtual std::string Uri(std::string_view key) const = 0;
  // The key of a URI made by Uri(); nullopt when the URI is not inside this store's bucket.
  virtual std::optional<std::string> KeyOf(std::string_view uri) const = 0;

  virtual void Put(const std::string& key, std::string_view data) = 0;
  virtual void PutFile(const std::string& key, const std::filesystem::path& file,
                       const ProgressFn& progress = {}) = 0;
  virtual std::unique_ptr<ObjectWriter> OpenWriter(const std::string& key) = 0;

  // Whole object; throws NotFoundError when the key does not exist.
  virtual std::string Get(const std::string& key) = 0;
  virtual void GetToFile(const std::string& key, const std::filesystem::path& file,
                         const ProgressFn& progress = {}) = 0;
  // Reads up to `length` bytes at `offset` into `out`; returns the count (short only at the end).
  virtual size_t ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) = 0;

  virtual std::optional<ObjectInfo> Head(const std::string& key) = 0;
  // Every key starting with `prefix` (plain string prefix), sorted, all pages.
  virtual std::vector<ObjectInfo> List(const std::string& prefix) = 0;
  // Keys and sub-folders directly under `prefix`, split at '/', sorted, all pages.
  virtual Listing ListFolder(const std::string& prefix) = 0;

  // Deleting a missing key is not an error (as on S3).
  virtual void Delete(const std::string& key) = 0;
  virtual void DeleteMany(const std::vector<std::string>& keys) = 0;
  virtual void Copy(const std::string& from_key, const std::string& to_key) = 0;

  // Uploads of any process that were begun and not finished, and their removal (a failed upload
  // cleans up after itself; these are what a killed process leaves).
  virtual std::vector<PendingUpload> PendingUploads() = 0;
  virtual void DiscardPendingUpload(const PendingUpload& upload) = 0;

  // A short description for messages: "s3://bucket at http://host:port" or "local folder /path".
  virtual std::string Describe() const = 0;
};

// The store the settings describe: S3Store when S3 is configured, else LocalStore.
std::unique_ptr<ObjectStore> OpenObjectStore(const Settings& settings);

}  // namespace dlctl
