#include "engine/bucket_paths.h"

#include "util/error.h"

namespace dlctl {

namespace {
constexpr std::string_view kScheme = "s3://";
}

BucketPaths::BucketPaths(std::string bucket) : bucket_(std::move(bucket)) {}

bool BucketPaths::IsS3Uri(std::string_view uri) { return uri.substr(0, kScheme.size()) == kScheme; }

std::string BucketPaths::KeyOf(std::string_view uri) const {
  if (!IsS3Uri(uri)) throw Error("not an s3:// URI: " + std::string(uri));
  std::string_view rest = uri.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view bucket = rest.substr(0, slash);
  if (bucket != bucket_)
    throw Error("bucket '" + std::string(bucket) + "' is not available: queries can read and write only s3://" +
                bucket_ + "/...");
  return slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash + 1));
}

std::string BucketPaths::UriOf(std::string_view key) const {
  return std::string(kScheme) + bucket_ + "/" + std::string(key);
}

}  // namespace dlctl
