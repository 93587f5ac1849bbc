#include "storage/s3_transfer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

#include "storage/s3_multipart.h"
#include "storage/s3_task_group.h"
#include "util/error.h"

namespace dlctl {
namespace fs = std::filesystem;
namespace {

constexpr uint64_t kMaxParts = 10000;  // S3's limit per multipart upload

// Makes a GET fail (412) rather than mix two versions of an object that changes meanwhile.
std::vector<std::string> PinnedTo(const std::string& etag) {
  if (etag.empty()) return {};
  return {"If-Match: " + etag};
}

std::string RangeHeader(uint64_t offset, uint64_t length) {
  return fmt::format("Range: bytes={}-{}", offset, offset + length - 1);
}

// The total size in "Content-Range: bytes 0-99/1234"; nullopt when unreadable.
std::optional<uint64_t> TotalSize(const std::string& content_range) {
  size_t slash = content_range.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  uint64_t total = 0;
  const char* end = content_range.data() + content_range.size();
  auto [stop, ec] = std::from_chars(content_range.data() + slash + 1, end, total);
  if (ec != std::errc() || stop != end) return std::nullopt;
  return total;
}

// GETs [offset, offset + length) into `file` at the same offset.
void DownloadRange(S3Client& client, const std::string& key, const std::string& etag, int fd, const fs::path& file,
                   uint64_t offset, uint64_t length, TransferProgress& progress) {
  FileSink sink(fd, file, offset);
  S3Request request{.operation = "GetObject", .key = key, .headers = PinnedTo(etag), .sink = &sink, .progress = &progress};
  request.headers.push_back(RangeHeader(offset, length));
  S3Response response = client.SendOk(request);
  if (response.status != 206 || sink.written() != length)
    throw Error(client.ErrorMessage(request, fmt::format("asked for {} bytes at {}, got HTTP {} with {} bytes", length,
                                                         offset, response.status, sink.written())));
}

// Fetches the object into `fd`: its first part with one GET, which also tells the size and
// ETag, then the other parts in parallel.
void Download(S3Client& client, const std::string& key, int fd, const fs::path& file, const ProgressFn& report) {
  uint64_t part_size = client.tuning().part_size;
  FileSink first(fd, file, 0);
  S3Request request{.operation = "GetObject", .key = key, .headers = {RangeHeader(0, part_size)}, .sink = &first};
  S3Response response = client.Send(request);
  if (response.status == 416) return;  // no byte 0: the object is empty
  if (!response.ok()) client.Fail(request, response);
  uint64_t size = first.written();  // a 200 carries the whole object
  if (response.status == 206) {
    std::optional<uint64_t> total = TotalSize(response.Header("content-range"));
    if (!total || first.written() != std::min(*total, part_size)) client.FailUnreadable(request);
    size = *total;
  }
  TransferProgress progress(report, size);
  progress.Add(static_cast<int64_t>(first.written()));
  if (size <= first.written()) return;

  part_size = PartSizeFor(size, client.tuning());
  std::string etag = response.Header("etag");
  TaskGroup tasks(client.tuning().parallel_parts);
  for (uint64_t offset = first.written(); offset < size; offset += part_size) {
    uint64_t length = std::min(part_size, size - offset);
    tasks.Submit([&, offset, length] { DownloadRange(client, key, etag, fd, file, offset, length, progress); });
  }
  tasks.Wait();
}

}  // namespace

std::optional<ObjectHead> HeadObject(S3Client& client, const std::string& key) {
  S3Request request{.operation = "HeadObject", .method = "HEAD", .key = key};
  S3Response response = client.Send(request);
  if (response.status == 404) return std::nullopt;
  if (!response.ok()) client.Fail(request, response);
  ObjectHead head;
  std::string length = response.Header("content-length");
  auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), head.size);
  if (ec != std::errc() || end != length.data() + length.size()) client.FailUnreadable(request);
  head.etag = response.Header("etag");
  return head;
}

uint64_t PartSizeFor(uint64_t size, const S3Tuning& tuning) {
  return std::max({tuning.part_size, kMinPartSize, (size + kMaxParts - 1) / kMaxParts});
}

void UploadObject(S3Client& client, const std::string& key, uint64_t size, const PartBodyFn& body_of,
                  TransferProgress* progress) {
  if (size < client.tuning().multipart_threshold) {
    std::unique_ptr<RequestBody> body = body_of(0, size);
    client.SendOk({.operation = "PutObject", .method = "PUT", .key = key, .body = body.get(), .progress = progress});
    return;
  }
  uint64_t part_size = PartSizeFor(size, client.tuning());
  MultipartUpload upload(client, key, progress);
  for (uint64_t offset = 0; offset < size; offset += part_size)
    upload.AddPart(body_of(offset, std::min(part_size, size - offset)));
  upload.Complete();
}

void DownloadObject(S3Client& client, const std::string& key, const fs::path& file, const ProgressFn& progress) {
  fs::path temp = file;
  temp += ".dlctl-part";
  try {
    FileDescriptor fd(temp, O_WRONLY | O_CREAT | O_TRUNC);
    Download(client, key, fd.get(), temp, progress);
    fd.Close();
    std::error_code ec;
    fs::rename(temp, file, ec);
    if (ec) throw Error("cannot write " + file.string() + ": " + ec.message());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
}

}  // namespace dlctl
