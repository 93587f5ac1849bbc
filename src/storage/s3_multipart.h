#pragma once
// One multipart upload: created by the constructor, parts sent in parallel, then completed.
// Destroyed before Complete() succeeds, it aborts, so a failed upload leaves no parts behind.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/s3_client.h"
#include "storage/s3_task_group.h"

namespace dlctl {

// The ETag S3 gives an object completed from parts with these ETags: the MD5 of their MD5s, then
// "-<parts>", quoted. "" when a part's ETag is not an MD5.
std::string MultipartEtag(const std::vector<std::string>& part_etags);

class MultipartUpload {
 public:
  MultipartUpload(S3Client& client, std::string key, TransferProgress* progress);
  ~MultipartUpload();
  MultipartUpload(const MultipartUpload&) = delete;
  MultipartUpload& operator=(const MultipartUpload&) = delete;

  // Sends the next part (numbered 1, 2, ...) in the background; waits while all of
  // tuning.parallel_parts are busy. Throws the failure of an earlier part.
  void AddPart(std::unique_ptr<RequestBody> body);
  int part_count();
  void Complete();

 private:
  void UploadPart(int number, RequestBody& body);
  void Abort() noexcept;

  S3Client& client_;
  std::string key_;
  std::string upload_id_;
  TransferProgress* progress_;
  std::mutex mutex_;
  std::vector<std::string> etags_;  // etags_[i] belongs to part i + 1
  bool completed_ = false;
  TaskGroup tasks_;  // last, so its threads stop before the members they use go away
};

}  // namespace dlctl
