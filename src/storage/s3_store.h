#pragma once
// ObjectStore on an S3-compatible server (AWS, MinIO, Ceph radosgw) over libcurl.
#include <memory>

#include "config/settings.h"
#include "storage/object_store.h"

namespace dlctl {

struct S3Tuning {
  uint64_t part_size = 16ull << 20;            // multipart part size, and ranged-GET size for downloads
  uint64_t multipart_threshold = 32ull << 20;  // objects at least this big are uploaded in parts
  int parallel_parts = 8;                      // parts in flight at once
  int max_attempts = 10;                       // per request, on 5xx / 429 / timeouts / connection errors
  int retry_base_delay_ms = 100;               // the first retry waits 50-100 ms, then doubling
  int retry_max_delay_ms = 5000;               // cap on one backoff (a Retry-After may ask for longer)
  // How long the store may keep failing (requests failing one after another, whichever request)
  // before requests stop retrying and fail: S3_RETRY_BUDGET. An attempt starting near the end
  // also connects within what is left of it.
  int retry_budget_ms = 15000;
  int connect_timeout_ms = 10000;
  int stall_timeout_s = 60;                    // a request moving no bytes for this long times out
};

class S3Store : public ObjectStore {
 public:
  S3Store(S3Settings settings, std::string bucket, S3Tuning tuning = {});
  ~S3Store() override;

  std::string Bucket() const override;
  std::string Uri(std::string_view key) const override;
  std::optional<std::string> KeyOf(std::string_view uri) const override;
  void Put(const std::string& key, std::string_view data) override;
  void PutFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress = {}) override;
  std::unique_ptr<ObjectWriter> OpenWriter(const std::string& key) override;
  std::string Get(const std::string& key) override;
  void GetToFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress = {}) override;
  size_t ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) override;
  std::optional<ObjectInfo> Head(const std::string& key) override;
  std::vector<ObjectInfo> List(const std::string& prefix) override;
  Listing ListFolder(const std::string& prefix) override;
  void Delete(const std::string& key) override;
  void DeleteMany(const std::vector<std::string>& keys) override;
  void Copy(const std::string& from_key, const std::string& to_key) override;
  // Every multipart upload of the bucket not completed nor aborted. Who began it is unknown, so
  // its last activity is when its newest part arrived (or when it was begun, without parts).
  std::vector<PendingUpload> PendingUploads() override;
  void DiscardPendingUpload(const PendingUpload& upload) override;
  std::string Describe() const override;

  // Creates the bucket (tests and first-time set-up); succeeds when it already exists.
  void CreateBucket();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dlctl
