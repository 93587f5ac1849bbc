#include "storage/s3_multipart.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <charconv>

#include "storage/s3_transfer.h"
#include "util/hex.h"

namespace dlctl {
namespace {

// A retried Complete whose first attempt did complete (its answer was lost on the way) finds the
// upload gone: then the object is there with the ETag S3 gives a completed multipart upload.
bool IsLostCompletion(const S3Response& response) {
  if (response.attempts < 2 || response.status != 404) return false;
  std::optional<S3ErrorBody> error = ParseErrorBody(response.body);
  return error && error->code == "NoSuchUpload";
}

// The bytes of 32 hex digits (an MD5); nullopt for anything else.
std::optional<std::string> Md5OfHex(const std::string& hex) {
  if (hex.size() != 32) return std::nullopt;
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (ec != std::errc() || end != hex.data() + i + 2) return std::nullopt;
    bytes += static_cast<char>(value);
  }
  return bytes;
}

}  // namespace

std::string MultipartEtag(const std::vector<std::string>& part_etags) {
  std::string digests;
  for (std::string etag : part_etags) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
    std::optional<std::string> digest = Md5OfHex(etag);
    if (!digest) return "";  // not an MD5: the server's own scheme
    digests += *digest;
  }
  unsigned char md5[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!EVP_Digest(digests.data(), digests.size(), md5, &size, EVP_md5(), nullptr)) return "";
  return fmt::format("\"{}-{}\"", Hex(std::string_view(reinterpret_cast<const char*>(md5), size)), part_etags.size());
}

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
  S3Response response = client_.Send(request);
  if (!response.ok() && IsLostCompletion(response)) {
    std::optional<ObjectHead> head = HeadObject(client_, key_);
    std::string expected = MultipartEtag(etags_);
    if (head && !expected.empty() && head->etag == expected) {
      response.status = 200;
      response.error_in_200.reset();
    }
  }
  if (!response.ok()) client_.Fail(request, response);
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
