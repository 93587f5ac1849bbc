#pragma once
// ObjectWriter for S3: keeps up to tuning.multipart_threshold bytes in memory and sends them with
// one PUT on Commit(); past the threshold it turns into a multipart upload that sends each full
// part in the background while the caller keeps writing.
#include <memory>
#include <string>

#include "storage/object_store.h"
#include "storage/s3_client.h"
#include "storage/s3_multipart.h"

namespace dlctl {

class S3ObjectWriter : public ObjectWriter {
 public:
  S3ObjectWriter(std::shared_ptr<S3Client> client, std::string key);
  // Without Commit(), the multipart upload (if any) is aborted and nothing becomes visible.
  ~S3ObjectWriter() override = default;

  void Write(const void* data, size_t size) override;
  void Commit() override;

 private:
  void StartMultipart();
  void SendPart(std::string&& data);

  std::shared_ptr<S3Client> client_;
  std::string key_;
  uint64_t part_size_;
  std::string buffer_;
  std::unique_ptr<MultipartUpload> upload_;
  bool committed_ = false;
};

}  // namespace dlctl
