#pragma once
// Whole-object transfers: one request for small objects, parallel parts for big ones.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "storage/s3_client.h"

namespace dlctl {

// What HEAD tells about an object.
struct ObjectHead {
  uint64_t size = 0;
  std::string etag;
};
// nullopt on 404 (HEAD answers carry no body, so a missing bucket looks the same).
std::optional<ObjectHead> HeadObject(S3Client& client, const std::string& key);

// S3 refuses parts below 5 MiB (all but the last one).
constexpr uint64_t kMinPartSize = 5ull << 20;

// tuning.part_size, but at least kMinPartSize, and bigger when an object of `size` bytes would
// need more than S3's 10000 parts.
uint64_t PartSizeFor(uint64_t size, const S3Tuning& tuning);

// The bytes [offset, offset + length) of what is being uploaded.
using PartBodyFn = std::function<std::unique_ptr<RequestBody>(uint64_t offset, uint64_t length)>;

// One PUT below tuning.multipart_threshold, else a multipart upload of parallel parts.
void UploadObject(S3Client& client, const std::string& key, uint64_t size, const PartBodyFn& body_of,
                  TransferProgress* progress);

// Fetches the object into a temp file beside `file` and renames it into place, in ranged GETs of
// tuning.part_size: the first alone (it tells the size), the others in parallel and pinned to the
// first one's ETag. Only 2xx bodies reach the file. Throws NotFoundError for a missing key.
void DownloadObject(S3Client& client, const std::string& key, const std::filesystem::path& file,
                    const ProgressFn& progress);

}  // namespace dlctl
