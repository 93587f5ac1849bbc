#include "ingest/http_client.h"

#include <gtest/gtest.h>

#include <chrono>

#include "fake_sources.h"
#include "support/error_of.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::FakeSources;

HttpOptions Fast() {
  HttpOptions o;
  o.retry_base_delay_ms = 10;
  o.retry_max_delay_ms = 50;
  return o;
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (size_t i = 0; i < content_.size(); ++i) content_[i] = static_cast<char>('a' + (i * 7919) % 26);
    sources_.AddHubRepo("o", "d", "main", commit_, {{"big.bin", content_, {}, true}, {"small.txt", "hello", {}, false}});
  }
  DownloadRequest Big() {
    DownloadRequest r;
    r.url = sources_.api_url() + "/datasets/o/d/resolve/main/big.bin";
    r.authorization = "Bearer " + sources_.hf_token;
    r.target = dir_.path() / "big.bin";
    r.size = content_.size();
    r.digest = ExpectedDigest{DigestKind::kSha256, FakeSources::Sha256Hex(content_), false};
    r.label = "big.bin";
    return r;
  }
  std::vector<std::string> StorageRanges() {
    std::vector<std::string> ranges;
    for (const auto& r : sources_.requests())
      if (r.host == "storage") ranges.push_back(r.range);
    return ranges;
  }

  testing::TempDir dir_;
  FakeSources sources_;
  std::string commit_ = std::string(40, 'c');
  std::string content_ = std::string(3'000'000, 'x');
};

TEST_F(HttpClientTest, FollowsTheRedirectAndKeepsTheTokenFromTheStorageHost) {
  HttpClient(Fast()).Download(Big());
  EXPECT_EQ(testing::ReadFile(dir_.path() / "big.bin"), content_);
  EXPECT_FALSE(fs::exists(dir_.path() / "big.bin.part"));
  auto seen = sources_.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].host, "api");
  EXPECT_EQ(seen[0].authorization, "Bearer " + sources_.hf_token);
  EXPECT_EQ(seen[1].host, "storage");
  EXPECT_EQ(seen[1].authorization, "");
}

TEST_F(HttpClientTest, ResumesAPartialFileWithARange) {
  testing::WriteFile(dir_.path() / "big.bin.part", content_.substr(0, 1'000'000));
  HttpClient(Fast()).Download(Big());
  EXPECT_EQ(testing::ReadFile(dir_.path() / "big.bin"), content_);
  EXPECT_EQ(StorageRanges(), std::vector<std::string>{"bytes=1000000-"});
}

TEST_F(HttpClientTest, AFullPartialFileIsCheckedInPlace) {
  testing::WriteFile(dir_.path() / "big.bin.part", content_);  // the last run stopped before the rename
  HttpClient(Fast()).Download(Big());
  EXPECT_EQ(testing::ReadFile(dir_.path() / "big.bin"), content_);
  EXPECT_TRUE(sources_.requests().empty());

  std::string stale = content_;
  stale[42] ^= 1;
  testing::WriteFile(dir_.path() / "big.bin.part", stale);
  fs::remove(dir_.path() / "big.bin");
  HttpClient(Fast()).Download(Big());
  EXPECT_EQ(testing::ReadFile(dir_.path() / "big.bin"), content_);
  EXPECT_EQ(StorageRanges(), std::vector<std::string>{""});  // downloaded again from the start
}

TEST_F(HttpClientTest, ADroppedConnectionResumesWhereItBroke) {
  sources_.Inject("/blobs/", FakeSources::Fault::kDrop, 2, 1'200'000);
  HttpClient(Fast()).Download(Big());
  EXPECT_EQ(testing::ReadFile(dir_.path() / "big.bin"), content_);
  auto ranges = StorageRanges();
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[0], "");
  EXPECT_NE(ranges[1], "");  // resumed from what had arrived (curl may hold back the last bytes)
  EXPECT_EQ(ranges[2].rfind("bytes=", 0), 0u);
}

TEST_F(HttpClientTest, RetriesServerErrorsAndHonorsRetryAfter) {
  sources_.Inject("/datasets/o/d/resolve/", FakeSources::Fault::kStatus500, 2);
  sources_.Inject("/blobs/", FakeSources::Fault::kStatus429, 1);
  auto start = std::chrono::steady_clock::now();
  HttpClient(Fast()).Download(Big());
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(testing::ReadFile(dir_.path() / "big.bin"), content_);
  EXPECT_EQ(sources_.CountRequests("/datasets/o/d/resolve/"), 4);  // 500, 500, redirect to a 429, redirect
  EXPECT_GE(waited, std::chrono::milliseconds(1000));  // Retry-After: 1, far above the 50 ms backoff cap
}

TEST_F(HttpClientTest, GivesUpAfterTheLastAttemptWithOneLine) {
  HttpOptions options = Fast();
  options.max_attempts = 3;
  sources_.Inject("/api/", FakeSources::Fault::kStatus500, 3);
  std::string error = testing::ErrorOf([&] { HttpClient(options).Get(sources_.api_url() + "/api/datasets/o/d/revision/main?x=secret", ""); });
  EXPECT_EQ(error, "GET " + sources_.api_url() + "/api/datasets/o/d/revision/main failed: HTTP 500: Internal Error (after 3 attempts)");
}

TEST_F(HttpClientTest, AChecksumMismatchRemovesThePartialFile) {
  DownloadRequest r = Big();
  r.digest->hex = std::string(64, '0');
  std::string error = testing::ErrorOf([&] { HttpClient(Fast()).Download(r); });
  EXPECT_EQ(error.rfind("download of big.bin is corrupt: sha256 is ", 0), 0u) << error;
  EXPECT_FALSE(fs::exists(dir_.path() / "big.bin"));
  EXPECT_FALSE(fs::exists(dir_.path() / "big.bin.part"));
}

TEST_F(HttpClientTest, ASizeMismatchIsCorruptToo) {
  DownloadRequest r = Big();
  r.digest.reset();
  r.size = content_.size() + 1;
  EXPECT_NE(testing::ErrorOf([&] { HttpClient(Fast()).Download(r); }).find("the source lists 3000001"), std::string::npos);
}

TEST_F(HttpClientTest, ChecksGitBlobIdsOfSmallFiles) {
  DownloadRequest r;
  r.url = sources_.api_url() + "/datasets/o/d/resolve/main/small.txt";
  r.target = dir_.path() / "small.txt";
  r.size = 5;
  r.digest = ExpectedDigest{DigestKind::kSha1, FakeSources::GitBlobId("hello"), true};
  HttpClient(Fast()).Download(r);
  EXPECT_EQ(testing::ReadFile(r.target), "hello");
  EXPECT_EQ(FakeSources::GitBlobId("hello"), "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0");  // git hash-object
}

}  // namespace
}  // namespace dlctl
