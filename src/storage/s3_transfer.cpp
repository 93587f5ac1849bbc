#include "storage/s3_transfer.h"

#include <fcntl.h>
#include <unistd.h>

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
std::vector<std::string> PinnedTo(const ObjectHead& head) {
  if (head.etag.empty()) return {};
  return {"If-Match: " + head.etag};
}

// GETs [offset, offset + length) into `file` at the same offset.
void DownloadRange(S3Client& client, const std::string& key, const ObjectHead& head, int fd, const fs::path& file,
                   uint64_t offset, uint64_t length, TransferProgress& progress) {
  FileSink sink(fd, file, offset);
  S3Request request{.operation = "GetObject", .key = key, .sink = &sink, .progress = &progress};
  request.headers = PinnedTo(head);
  request.headers.push_back(fmt::format("Range: bytes={}-{}", offset, offset + length - 1));
  S3Response response = client.SendOk(request);
  if (response.status != 206 || sink.written() != length)
    throw Error(client.ErrorMessage(request, fmt::format("asked for {} bytes at {}, got HTTP {} with {} bytes", length,
                                                         offset, response.status, sink.written())));
}

void DownloadWhole(S3Client& client, const std::string& key, const ObjectHead& head, int fd, const fs::path& file,
                   TransferProgress& progress) {
  FileSink sink(fd, file, 0);
  S3Request request{.operation = "GetObject", .key = key, .headers = PinnedTo(head), .sink = &sink, .progress = &progress};
  client.SendOk(request);
  if (sink.written() != head.size)
    throw Error(client.ErrorMessage(request, fmt::format("expected {} bytes, got {}", head.size, sink.written())));
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
  return std::max(tuning.part_size, (size + kMaxParts - 1) / kMaxParts);
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

void DownloadObject(S3Client& client, const std::string& key, const fs::path& file, const ProgressFn& report) {
  std::optional<ObjectHead> head = HeadObject(client, key);
  if (!head) throw NotFoundError("no such object: " + client.Uri(key));
  fs::path temp = file;
  temp += ".dlctl-part";
  try {
    FileDescriptor fd(temp, O_WRONLY | O_CREAT | O_TRUNC);
    TransferProgress progress(report, head->size);
    if (head->size < client.tuning().multipart_threshold) {
      DownloadWhole(client, key, *head, fd.get(), temp, progress);
    } else {
      if (::ftruncate(fd.get(), static_cast<off_t>(head->size)) != 0)
        throw Error("cannot make " + temp.string() + " " + std::to_string(head->size) + " bytes long");
      uint64_t part_size = PartSizeFor(head->size, client.tuning());
      TaskGroup tasks(client.tuning().parallel_parts);
      for (uint64_t offset = 0; offset < head->size; offset += part_size) {
        uint64_t length = std::min(part_size, head->size - offset);
        tasks.Submit([&, offset, length] { DownloadRange(client, key, *head, fd.get(), temp, offset, length, progress); });
      }
      tasks.Wait();
    }
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
