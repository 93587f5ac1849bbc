#pragma once
// What tests share: scratch folders, the test S3 server's settings, fresh buckets.
#include <filesystem>
#include <memory>
#include <string>

#include "config/settings.h"
#include "storage/s3_store.h"

namespace dlctl::testing {

// A fresh folder under the build's temp area, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The test S3 server started by CTest (scripts/s3/rgw-up.sh); DLCTL_TEST_S3_* override it.
// With no server there, S3 tests fail: they never skip silently.
S3Settings TestS3Settings();

// A bucket name no other test uses: "<stem>-<pid>-<counter>-<random>".
std::string UniqueBucketName(const std::string& stem);

// A new, empty bucket on the test server.
std::unique_ptr<S3Store> MakeTestBucket(const std::string& stem, S3Tuning tuning = {});

// Writes a file, creating its folders.
void WriteFile(const std::filesystem::path& path, const std::string& content);
std::string ReadFile(const std::filesystem::path& path);

// An environment variable, else the build's default for it (tests/CMakeLists.txt); fails the
// test when there is neither.
std::string RequiredEnv(const char* name);

}  // namespace dlctl::testing
