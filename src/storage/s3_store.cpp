#include "storage/s3_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <fmt/format.h>
#include <mutex>

#include "storage/s3_client.h"
#include "storage/s3_task_group.h"
#include "storage/s3_transfer.h"
#include "storage/s3_writer.h"
#include "util/error.h"

namespace dlctl {
namespace fs = std::filesystem;
namespace {

constexpr size_t kDeleteBatch = 1000;  // S3's limit per DeleteObjects request
constexpr size_t kFailuresNamed = 3;   // keys named in a DeleteMany error; the rest are counted

void CheckKey(const std::string& key) {
  if (key.empty()) throw UsageError("empty object key");
}

// Base64 of the body's MD5, which DeleteObjects requires.
std::string ContentMd5(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (!EVP_Digest(body.data(), body.size(), digest, &digest_size, EVP_md5(), nullptr))
    throw Error("cannot compute MD5 (OpenSSL)");
  unsigned char base64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(base64, digest, static_cast<int>(digest_size));
  return std::string(reinterpret_cast<char*>(base64), static_cast<size_t>(n));
}

std::string DescribeFailures(const std::vector<DeleteFailure>& failures, size_t total) {
  std::string text = fmt::format("{} of {} keys not deleted:", failures.size(), total);
  for (size_t i = 0; i < failures.size() && i < kFailuresNamed; ++i) {
    const DeleteFailure& f = failures[i];
    text += fmt::format("{} {} ({}{}{})", i ? "," : "", f.key, f.error.code, f.error.message.empty() ? "" : ": ",
                        f.error.message);
  }
  if (failures.size() > kFailuresNamed) text += fmt::format(" and {} more", failures.size() - kFailuresNamed);
  return text;
}

}  // namespace

class S3Store::Impl {
 public:
  Impl(S3Settings settings, std::string bucket, S3Tuning tuning)
      : client(std::make_shared<S3Client>(std::move(settings), std::move(bucket), tuning)) {}

  // Every page of ListObjectsV2 under `prefix`, split at `delimiter` unless it is empty.
  Listing ListAll(const std::string& prefix, const std::string& delimiter) {
    Listing listing;
    std::string token;
    do {
      S3Request request{.operation = "ListObjectsV2",
                        .query = {{"list-type", "2"}, {"prefix", prefix}, {"encoding-type", "url"}},
                        .subject = client->Uri(prefix)};
      if (!delimiter.empty()) request.query.emplace_back("delimiter", delimiter);
      if (!token.empty()) request.query.emplace_back("continuation-token", token);
      S3Response response = client->SendOk(request);
      std::optional<ListPage> page = ParseListPage(response.body);
      if (!page || (page->truncated && page->next_token.empty())) client->FailUnreadable(request);
      std::move(page->objects.begin(), page->objects.end(), std::back_inserter(listing.objects));
      std::move(page->common_prefixes.begin(), page->common_prefixes.end(),
                std::back_inserter(listing.common_prefixes));
      token = page->truncated ? page->next_token : "";
    } while (!token.empty());
    // S3 already sorts by UTF-8 bytes; sorting again keeps the promise for servers that do not.
    std::sort(listing.objects.begin(), listing.objects.end(),
              [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    std::sort(listing.common_prefixes.begin(), listing.common_prefixes.end());
    return listing;
  }

  // One DeleteObjects request; adds the keys it could not delete to `failures`.
  void DeleteBatch(const std::vector<std::string>& keys, std::vector<DeleteFailure>& failures) {
    std::string xml = DeleteObjectsBody(keys);
    std::string md5 = ContentMd5(xml);
    MemoryBody body(std::move(xml));
    S3Request request{.operation = "DeleteObjects",
                      .method = "POST",
                      .query = {{"delete", ""}},
                      .headers = {"Content-MD5: " + md5, "Content-Type: application/xml"},
                      .body = &body};
    S3Response response = client->SendOk(request);
    std::optional<std::vector<DeleteFailure>> failed = ParseDeleteFailures(response.body);
    if (!failed) client->FailUnreadable(request);
    std::lock_guard lock(failures_mutex);
    failures.insert(failures.end(), failed->begin(), failed->end());
  }

  std::shared_ptr<S3Client> client;  // shared with writers, which may outlive a call
  std::mutex failures_mutex;
};

S3Store::S3Store(S3Settings settings, std::string bucket, S3Tuning tuning)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(bucket), tuning)) {}

S3Store::~S3Store() = default;

std::string S3Store::Bucket() const { return impl_->client->bucket(); }

std::string S3Store::Uri(std::string_view key) const { return impl_->client->Uri(key); }

std::optional<std::string> S3Store::KeyOf(std::string_view uri) const {
  std::string root = "s3://" + impl_->client->bucket() + "/";
  if (uri.size() <= root.size() || uri.substr(0, root.size()) != root) return std::nullopt;
  return std::string(uri.substr(root.size()));
}

void S3Store::Put(const std::string& key, std::string_view data) {
  CheckKey(key);
  UploadObject(
      *impl_->client, key, data.size(),
      [data](uint64_t offset, uint64_t length) { return std::make_unique<MemoryBody>(data.substr(offset, length)); },
      nullptr);
}

void S3Store::PutFile(const std::string& key, const fs::path& file, const ProgressFn& progress) {
  CheckKey(key);
  FileDescriptor fd(file, O_RDONLY);
  struct stat info;
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) throw Error("cannot read " + file.string());
  uint64_t size = static_cast<uint64_t>(info.st_size);
  TransferProgress counter(progress, size);
  UploadObject(
      *impl_->client, key, size,
      [&](uint64_t offset, uint64_t length) { return std::make_unique<FileRangeBody>(fd.get(), file, offset, length); },
      &counter);
}

std::unique_ptr<ObjectWriter> S3Store::OpenWriter(const std::string& key) {
  CheckKey(key);
  return std::make_unique<S3ObjectWriter>(impl_->client, key);
}

std::string S3Store::Get(const std::string& key) {
  CheckKey(key);
  return impl_->client->SendOk({.operation = "GetObject", .key = key}).body;
}

void S3Store::GetToFile(const std::string& key, const fs::path& file, const ProgressFn& progress) {
  CheckKey(key);
  DownloadObject(*impl_->client, key, file, progress);
}

size_t S3Store::ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) {
  CheckKey(key);
  if (length == 0) {
    if (!Head(key)) throw NotFoundError("no such object: " + Uri(key));
    return 0;
  }
  BufferSink sink(out, length);
  S3Request request{.operation = "GetObject",
                    .key = key,
                    .headers = {fmt::format("Range: bytes={}-{}", offset, offset + length - 1)},
                    .sink = &sink};
  S3Response response = impl_->client->Send(request);
  if (response.status == 416) return 0;  // the range starts at or after the end
  if (!response.ok()) impl_->client->Fail(request, response);
  if (response.status != 206 && offset > 0)
    throw Error(impl_->client->ErrorMessage(request, "the server ignored the Range header"));
  return sink.filled();
}

std::optional<ObjectInfo> S3Store::Head(const std::string& key) {
  CheckKey(key);
  std::optional<ObjectHead> head = HeadObject(*impl_->client, key);
  if (!head) return std::nullopt;
  return ObjectInfo{key, head->size};
}

std::vector<ObjectInfo> S3Store::List(const std::string& prefix) { return impl_->ListAll(prefix, "").objects; }

Listing S3Store::ListFolder(const std::string& prefix) { return impl_->ListAll(prefix, "/"); }

void S3Store::Delete(const std::string& key) {
  CheckKey(key);
  S3Request request{.operation = "DeleteObject", .method = "DELETE", .key = key};
  S3Response response = impl_->client->Send(request);
  if (response.ok()) return;
  std::optional<S3ErrorBody> error = ParseErrorBody(response.body);
  if (response.status == 404 && (!error || error->code == "NoSuchKey")) return;
  impl_->client->Fail(request, response);
}

void S3Store::DeleteMany(const std::vector<std::string>& keys) {
  for (const auto& key : keys) CheckKey(key);
  std::vector<DeleteFailure> failures;
  {
    TaskGroup tasks(impl_->client->tuning().parallel_parts);
    for (size_t begin = 0; begin < keys.size(); begin += kDeleteBatch) {
      std::vector<std::string> batch(keys.begin() + static_cast<ptrdiff_t>(begin),
                                     keys.begin() + static_cast<ptrdiff_t>(std::min(keys.size(), begin + kDeleteBatch)));
      tasks.Submit([this, batch = std::move(batch), &failures] { impl_->DeleteBatch(batch, failures); });
    }
    tasks.Wait();
  }
  if (!failures.empty()) {
    S3Request request{.operation = "DeleteObjects"};
    throw Error(impl_->client->ErrorMessage(request, DescribeFailures(failures, keys.size())));
  }
}

void S3Store::Copy(const std::string& from_key, const std::string& to_key) {
  CheckKey(from_key);
  CheckKey(to_key);
  S3Request request{.operation = "CopyObject",
                    .method = "PUT",
                    .key = to_key,
                    .headers = {"x-amz-copy-source: " + impl_->client->bucket() + "/" + EncodeKeyPath(from_key)},
                    .error_in_200 = true,
                    .subject = Uri(from_key) + " to " + Uri(to_key)};
  impl_->client->SendOk(request);
}

std::vector<PendingUpload> S3Store::PendingUploads() {
  S3Client& client = *impl_->client;
  std::vector<MultipartUploadInfo> found;
  std::string key_marker, id_marker;
  do {
    S3Request request{.operation = "ListMultipartUploads", .query = {{"uploads", ""}, {"encoding-type", "url"}}};
    if (!key_marker.empty()) request.query.emplace_back("key-marker", key_marker);
    if (!id_marker.empty()) request.query.emplace_back("upload-id-marker", id_marker);
    std::optional<MultipartUploadsPage> page = ParseMultipartUploadsPage(client.SendOk(request).body);
    if (!page || (page->truncated && page->next_key_marker.empty())) client.FailUnreadable(request);
    std::move(page->uploads.begin(), page->uploads.end(), std::back_inserter(found));
    key_marker = page->truncated ? page->next_key_marker : "";
    id_marker = page->truncated ? page->next_upload_id_marker : "";
  } while (!key_marker.empty());

  std::vector<PendingUpload> uploads;
  for (const MultipartUploadInfo& info : found) {
    PendingUpload upload;
    upload.id = info.upload_id + " " + info.key;
    upload.description = "multipart upload of " + Uri(info.key);
    upload.last_activity = ParseIsoTimestamp(info.initiated).value_or(TimePoint{});
    std::string part_marker;
    do {
      S3Request request{.operation = "ListParts", .key = info.key, .query = {{"uploadId", info.upload_id}}};
      if (!part_marker.empty()) request.query.emplace_back("part-number-marker", part_marker);
      S3Response response = client.Send(request);
      if (response.status == 404) break;  // completed or aborted since the listing
      if (!response.ok()) client.Fail(request, response);
      std::optional<PartsPage> page = ParsePartsPage(response.body);
      if (!page || (page->truncated && page->next_part_number_marker.empty())) client.FailUnreadable(request);
      for (const PartInfo& part : page->parts) {
        upload.bytes += part.size;
        upload.last_activity = std::max(upload.last_activity, ParseIsoTimestamp(part.last_modified).value_or(TimePoint{}));
      }
      part_marker = page->truncated ? page->next_part_number_marker : "";
    } while (!part_marker.empty());
    uploads.push_back(std::move(upload));
  }
  return uploads;
}

void S3Store::DiscardPendingUpload(const PendingUpload& upload) {
  size_t space = upload.id.find(' ');
  if (space == std::string::npos) throw Error("not a multipart upload of " + Describe() + ": " + upload.id);
  std::string key = upload.id.substr(space + 1);
  S3Request request{.operation = "AbortMultipartUpload", .method = "DELETE", .key = key,
                    .query = {{"uploadId", upload.id.substr(0, space)}}};
  S3Response response = impl_->client->Send(request);
  if (response.ok() || response.status == 404) return;  // 404: NoSuchUpload, already gone
  impl_->client->Fail(request, response);
}

std::string S3Store::Describe() const { return impl_->client->Describe(); }

void S3Store::CreateBucket() {
  std::string body_xml;
  const std::string& region = impl_->client->region();
  if (region != "us-east-1")  // AWS wants the region spelled out everywhere else
    body_xml = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
               region + "</LocationConstraint></CreateBucketConfiguration>";
  MemoryBody body(std::move(body_xml));
  S3Request request{.operation = "CreateBucket", .method = "PUT", .body = &body};
  S3Response response = impl_->client->Send(request);
  if (response.ok()) return;
  std::optional<S3ErrorBody> error = ParseErrorBody(response.body);
  if (response.status == 409 && error && error->code == "BucketAlreadyOwnedByYou") return;
  impl_->client->Fail(request, response);
}

}  // namespace dlctl
