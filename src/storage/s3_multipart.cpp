#include "storage/s3_multipart.h"

#include <fmt/format.h>

namespace dlctl {

MultipartUpload::MultipartUpload(S3Client& client, std::string key, TransferProgress* progress)
    : client_(client), key_(std::move(key)), progress_(progress), tasks_(client.tuning().parallel_parts) {
  S3Request create{.operation = "CreateMultipartUpload", .method = "POST", .key = key_, .query = {{"uploads", ""}}};
  S3Response response = client_.SendOk(create);
  std::optional<std::string> id = ParseUploadId(response.body);
  if (!id) client_.FailUnreadable(create);
  upload_id_ = *id;
}

MultipartUpload::~MultipartUpload() {
  if (!completed_) Abort();
}

void MultipartUpload::AddPart(std::unique_ptr<RequestBody> body) {
  int number;
  {
    std::lock_guard lock(mutex_);
    etags_.emplace_back();
    number = static_cast<int>(etags_.size());
  }
  // std::function must be copyable, so the body travels in a shared_ptr.
  std::shared_ptr<RequestBody> part(std::move(body));
  tasks_.Submit([this, number, part] { UploadPart(number, *part); });
}

int MultipartUpload::part_count() {
  std::lock_guard lock(mutex_);
  return static_cast<int>(etags_.size());
}

void MultipartUpload::UploadPart(int number, RequestBody& body) {
  S3Request request{.operation = "UploadPart",
                    .method = "PUT",
                    .key = key_,
                    .query = {{"partNumber", std::to_string(number)}, {"uploadId", upload_id_}},
                    .body = &body,
                    .progress = progress_,
                    .subject = fmt::format("{} (part {})", client_.Uri(key_), number)};
  S3Response response = client_.SendOk(request);
  std::string etag = response.Header("etag");
  if (etag.empty()) client_.FailUnreadable(request);
  std::lock_guard lock(mutex_);
  etags_[static_cast<size_t>(number - 1)] = std::move(etag);
}

void MultipartUpload::Complete() {
  tasks_.Wait();
  MemoryBody body(CompleteMultipartBody(etags_));
  S3Request request{.operation = "CompleteMultipartUpload",
                    .method = "POST",
                    .key = key_,
                    .query = {{"uploadId", upload_id_}},
                    .headers = {"Content-Type: application/xml"},
                    .body = &body,
                    .error_in_200 = true};
  client_.SendOk(request);
  completed_ = true;
}

void MultipartUpload::Abort() noexcept {
  tasks_.Cancel();  // parts still in flight would otherwise outlive the abort
  try {
    S3Request request{.operation = "AbortMultipartUpload", .method = "DELETE", .key = key_,
                      .query = {{"uploadId", upload_id_}}};
    client_.Send(request);
  } catch (const std::exception&) {
    // Best effort on a failure path; the server's lifecycle rules reclaim what is left.
  }
}

}  // namespace dlctl
