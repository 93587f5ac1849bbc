#include "support/test_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace dlctl::testing {
namespace fs = std::filesystem;

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("dlctl-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

// The build's defaults for the settings tests read (see tests/CMakeLists.txt).
const char* CompiledDefault(const std::string& name) {
  static const std::pair<const char*, const char*> kDefaults[] = {
      {"DLCTL_TEST_S3_ENDPOINT", DLCTL_TEST_S3_ENDPOINT_DEFAULT},
      {"DLCTL_TEST_S3_ACCESS_KEY", DLCTL_TEST_S3_ACCESS_KEY_DEFAULT},
      {"DLCTL_TEST_S3_SECRET_KEY", DLCTL_TEST_S3_SECRET_KEY_DEFAULT},
      {"DLCTL_TEST_PG_HOST", DLCTL_TEST_PG_HOST_DEFAULT},
      {"DLCTL_TEST_PG_PORT", DLCTL_TEST_PG_PORT_DEFAULT},
      {"DLCTL_TEST_PG_RESTART_PORT", DLCTL_TEST_PG_RESTART_PORT_DEFAULT},
      {"DLCTL_TEST_PG_DATABASE", DLCTL_TEST_PG_DATABASE_DEFAULT},
      {"DLCTL_BINARY", DLCTL_BINARY_DEFAULT},
      {"DLCTL_SOURCE_DIR", DLCTL_SOURCE_DIR_DEFAULT},
      {"DLCTL_SHARED_DIR", DLCTL_SHARED_DIR_DEFAULT},
      {"DLCTL_TEST_ARTIFACTS_DIR", DLCTL_TEST_ARTIFACTS_DIR_DEFAULT},
      {"DLCTL_CMAKE_COMMAND", DLCTL_CMAKE_COMMAND_DEFAULT},
      {"DLCTL_BUILD_DIR", DLCTL_BUILD_DIR_DEFAULT},
  };
  for (const auto& [key, value] : kDefaults)
    if (name == key) return value;
  return nullptr;
}

}  // namespace

std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) value = CompiledDefault(name);
  if (!value || !*value) {
    ADD_FAILURE() << name << " is not set and has no default from the build";
    throw std::runtime_error(std::string(name) + " is not set");
  }
  return value;
}

S3Settings TestS3Settings() {
  S3Settings s3;
  s3.endpoint = RequiredEnv("DLCTL_TEST_S3_ENDPOINT");
  s3.access_key_id = RequiredEnv("DLCTL_TEST_S3_ACCESS_KEY");
  s3.secret_access_key = RequiredEnv("DLCTL_TEST_S3_SECRET_KEY");
  s3.use_ssl = false;
  s3.path_style = true;
  s3.region = "us-east-1";
  return s3;
}

std::string UniqueBucketName(const std::string& stem) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string name = stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                     std::to_string(rd() % 100000);
  for (char& c : name)
    if (c == '_') c = '-';
  return name.substr(0, 63);
}

std::unique_ptr<S3Store> MakeTestBucket(const std::string& stem, S3Tuning tuning) {
  auto store = std::make_unique<S3Store>(TestS3Settings(), UniqueBucketName(stem), tuning);
  store->CreateBucket();
  return store;
}

void WriteFile(const fs::path& path, const std::string& content) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace dlctl::testing
