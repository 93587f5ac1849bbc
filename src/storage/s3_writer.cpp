#include "storage/s3_writer.h"

#include <algorithm>

#include "storage/s3_transfer.h"
#include "util/error.h"

namespace dlctl {

S3ObjectWriter::S3ObjectWriter(std::shared_ptr<S3Client> client, std::string key)
    : client_(std::move(client)), key_(std::move(key)), part_size_(std::max(client_->tuning().part_size, kMinPartSize)) {}

void S3ObjectWriter::Write(const void* data, size_t size) {
  if (committed_) throw Error("cannot write to " + client_->Uri(key_) + " after it was committed");
  const char* bytes = static_cast<const char*>(data);
  if (!upload_) {
    buffer_.append(bytes, size);
    if (buffer_.size() >= client_->tuning().multipart_threshold) StartMultipart();
    return;
  }
  while (size > 0) {
    size_t n = std::min<uint64_t>(size, part_size_ - buffer_.size());
    buffer_.append(bytes, n);
    bytes += n, size -= n;
    if (buffer_.size() == part_size_) SendPart(std::move(buffer_));
  }
}

void S3ObjectWriter::StartMultipart() {
  upload_ = std::make_unique<MultipartUpload>(*client_, key_, nullptr);
  std::string held = std::move(buffer_);
  size_t offset = 0;
  for (; held.size() - offset >= part_size_; offset += part_size_) SendPart(held.substr(offset, part_size_));
  buffer_ = held.substr(offset);
}

void S3ObjectWriter::SendPart(std::string&& data) {
  upload_->AddPart(std::make_unique<MemoryBody>(std::move(data)));
  buffer_.clear();
  buffer_.reserve(part_size_);
}

void S3ObjectWriter::Commit() {
  if (committed_) throw Error(client_->Uri(key_) + " was already committed");
  if (upload_) {
    if (!buffer_.empty() || upload_->part_count() == 0) SendPart(std::move(buffer_));
    upload_->Complete();
  } else {
    MemoryBody body{std::string_view(buffer_)};  // borrowed: a failed Commit can be called again
    client_->SendOk({.operation = "PutObject", .method = "PUT", .key = key_, .body = &body});
  }
  committed_ = true;
}

}  // namespace dlctl
