#pragma once
// The s3://<bucket>/<key> URIs the engine serves: one bucket, whatever store holds it.
#include <string>
#include <string_view>

namespace dlctl {

class BucketPaths {
 public:
  explicit BucketPaths(std::string bucket);

  // True for every s3:// URI, so other buckets reach KeyOf and get a clear error.
  static bool IsS3Uri(std::string_view uri);

  // The key of "s3://<bucket>/<key>" ("" for the bucket itself); throws Error for other buckets.
  std::string KeyOf(std::string_view uri) const;
  std::string UriOf(std::string_view key) const;

  const std::string& bucket() const { return bucket_; }

 private:
  std::string bucket_;
};

}  // namespace dlctl
