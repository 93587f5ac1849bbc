// S3Store's HTTP behaviour, seen through our fault proxy (tests/support/fault_proxy.h) in front of
// the real radosgw: each scripted fault meets one request; everything else is the real server's
// answer.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "storage/s3_client.h"
#include "storage/s3_multipart.h"
#include "storage/s3_store.h"
#include "support/error_of.h"
#include "support/fault_proxy.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::ErrorOf;
using testing::FaultProxy;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kMiB = 1 << 20;

int ServerPort(const S3Settings& settings) { return std::stoi(settings.endpoint.substr(settings.endpoint.rfind(':') + 1)); }

std::string RandomBytes(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string data(size, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  return data;
}

// A fresh bucket on the real server, and a store that reaches it through a FaultProxy.
class S3TransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    direct_ = testing::MakeTestBucket("transport");
    bucket_ = BucketOf(*direct_);
    proxy_ = std::make_unique<FaultProxy>(ServerPort(testing::TestS3Settings()));
  }

  static std::string BucketOf(const S3Store& store) {
    std::string uri = store.Uri("");
    return uri.substr(5, uri.size() - 6);  // "s3://<bucket>/"
  }

  std::unique_ptr<S3Store> ThroughProxy(S3Tuning tuning = QuickRetries(), bool path_style = true,
                                        const std::string& host = "127.0.0.1") {
    S3Settings settings = testing::TestS3Settings();
    settings.endpoint = host + ":" + std::to_string(proxy_->port());
    settings.path_style = path_style;
    return std::make_unique<S3Store>(settings, bucket_, tuning);
  }

  static S3Tuning QuickRetries() {
    S3Tuning tuning;
    tuning.retry_base_delay_ms = 1;
    tuning.retry_max_delay_ms = 20;
    return tuning;
  }


  std::unique_ptr<S3Store> direct_;
  std::string bucket_;
  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(S3TransportTest, ServerErrorIsRetriedAndItsBodyDiscarded) {
  direct_->Put("k", "real content");
  proxy_->Add({"GET", "", FaultProxy::Action::kRespond, FaultProxy::ErrorResponse(503, "Slow Down", "SlowDown")});
  auto store = ThroughProxy();
  EXPECT_EQ(store->Get("k"), "real content");
  EXPECT_EQ(proxy_->Requests("GET"), 2);
}

TEST_F(S3TransportTest, GivesUpAfterMaxAttempts) {
  direct_->Put("k", "v");
  for (int i = 0; i < 3; ++i)
    proxy_->Add({"GET", "", FaultProxy::Action::kRespond, FaultProxy::ErrorResponse(500, "Oops", "InternalError")});
  S3Tuning tuning = QuickRetries();
  tuning.max_attempts = 3;
  auto store = ThroughProxy(tuning);
  std::string message = ErrorOf([&] { store->Get("k"); });
  EXPECT_THAT(message, HasSubstr("HTTP 500 InternalError"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
  EXPECT_THAT(message, HasSubstr("GetObject s3://" + bucket_ + "/k"));
  EXPECT_EQ(proxy_->Requests("GET"), 3);
}

TEST_F(S3TransportTest, HonoursRetryAfterOn429) {
  direct_->Put("k", "v");
  proxy_->Add({"GET", "", FaultProxy::Action::kRespond,
               FaultProxy::ErrorResponse(429, "Too Many Requests", "SlowDown", "Retry-After: 1\r\n")});
  auto store = ThroughProxy();  // its own backoff would wait at most 20 ms
  auto start = Clock::now();
  EXPECT_EQ(store->Get("k"), "v");
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(950));
  EXPECT_EQ(proxy_->Requests("GET"), 2);
}

TEST_F(S3TransportTest, ClientErrorsAreNotRetried) {
  direct_->Put("k", "v");
  proxy_->Add({"GET", "", FaultProxy::Action::kRespond, FaultProxy::ErrorResponse(403, "Forbidden", "AccessDenied")});
  proxy_->Add({"PUT", "", FaultProxy::Action::kRespond, FaultProxy::ErrorResponse(400, "Bad Request", "InvalidArgument")});
  auto store = ThroughProxy();
  EXPECT_THAT(ErrorOf([&] { store->Get("k"); }), HasSubstr("HTTP 403 AccessDenied"));
  EXPECT_THAT(ErrorOf([&] { store->Put("k", "new"); }), HasSubstr("HTTP 400 InvalidArgument"));
  EXPECT_EQ(proxy_->Requests("GET"), 1);
  EXPECT_EQ(proxy_->Requests("PUT"), 1);
  EXPECT_EQ(direct_->Get("k"), "v");
}

TEST_F(S3TransportTest, DroppedConnectionDuringAPartUploadIsRetried) {
  S3Tuning tuning = QuickRetries();
  tuning.part_size = 5 * kMiB;
  tuning.multipart_threshold = 5 * kMiB;
  proxy_->Add({"PUT", "partNumber=2", FaultProxy::Action::kDrop, ""});
  auto store = ThroughProxy(tuning);
  std::string data = RandomBytes(12 * kMiB, 7);
  store->Put("big", data);
  EXPECT_EQ(proxy_->Requests("PUT"), 4) << "three parts, one sent twice";
  EXPECT_TRUE(direct_->Get("big") == data) << "content differs";
}

TEST_F(S3TransportTest, StalledResponseTimesOutAndIsRetried) {
  direct_->Put("k", "v");
  proxy_->Add({"GET", "", FaultProxy::Action::kStall, ""});
  S3Tuning tuning = QuickRetries();
  tuning.stall_timeout_s = 1;
  auto store = ThroughProxy(tuning);
  auto start = Clock::now();
  EXPECT_EQ(store->Get("k"), "v");
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(900));
  EXPECT_EQ(proxy_->Requests("GET"), 2);
}

TEST_F(S3TransportTest, CompleteAnsweringInternalErrorWith200IsRetried) {
  S3Tuning tuning = QuickRetries();
  tuning.part_size = 5 * kMiB;
  tuning.multipart_threshold = 5 * kMiB;
  proxy_->Add({"POST", "uploadId=", FaultProxy::Action::kRespond,
               "HTTP/1.1 200 OK\r\nContent-Length: 85\r\n\r\n<Error><Code>InternalError</Code><Message>try again</Message>"
               "</Error>              "});
  auto store = ThroughProxy(tuning);
  std::string data = RandomBytes(6 * kMiB, 8);
  store->Put("big", data);
  EXPECT_TRUE(direct_->Get("big") == data) << "content differs";
}

TEST_F(S3TransportTest, CompleteAnsweringAnotherErrorWith200FailsAndAborts) {
  S3Tuning tuning = QuickRetries();
  tuning.part_size = 5 * kMiB;
  tuning.multipart_threshold = 5 * kMiB;
  std::string body = "<Error><Code>InvalidPart</Code><Message>One or more parts could not be found</Message></Error>";
  proxy_->Add({"POST", "uploadId=", FaultProxy::Action::kRespond,
               "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body});
  auto store = ThroughProxy(tuning);
  std::string message = ErrorOf([&] { store->Put("big", RandomBytes(6 * kMiB, 9)); });
  EXPECT_THAT(message, HasSubstr("CompleteMultipartUpload"));
  EXPECT_THAT(message, HasSubstr("InvalidPart"));
  EXPECT_FALSE(direct_->Head("big"));
  EXPECT_EQ(proxy_->Requests("DELETE"), 1) << "the upload is aborted";
  S3Client client(testing::TestS3Settings(), bucket_, {});
  S3Response uploads = client.SendOk({.operation = "ListMultipartUploads", .query = {{"uploads", ""}}});
  EXPECT_THAT(uploads.body, Not(HasSubstr("<Upload>")));
}

TEST_F(S3TransportTest, GetToFileKeepsErrorBodiesOutOfTheFile) {
  S3Tuning tuning = QuickRetries();
  tuning.part_size = 5 * kMiB;
  std::string data = RandomBytes(11 * kMiB, 10);
  direct_->Put("big", data);
  direct_->Put("small", "small content");
  auto store = ThroughProxy(tuning);
  testing::TempDir dir;

  proxy_->Add({"GET", "", FaultProxy::Action::kRespond, FaultProxy::ErrorResponse(503, "Slow Down", "SlowDown")});
  store->GetToFile("small", dir.path() / "small");
  EXPECT_EQ(testing::ReadFile(dir.path() / "small"), "small content");
  EXPECT_EQ(proxy_->Requests("GET"), 2);

  // The second of three ranges fails once, after the first range has been written.
  proxy_->Add({"GET", "Range: bytes=5242880-", FaultProxy::Action::kRespond,
               FaultProxy::ErrorResponse(500, "Oops", "InternalError")});
  store->GetToFile("big", dir.path() / "big");
  EXPECT_TRUE(testing::ReadFile(dir.path() / "big") == data) << "content differs";
  EXPECT_EQ(proxy_->Requests("GET"), 2 + 4);
}

TEST_F(S3TransportTest, ConnectionsAreReused) {
  direct_->Put("k", "v");
  auto store = ThroughProxy();
  for (int i = 0; i < 20; ++i) {
    store->Put(fmt::format("k{}", i), "value");
    EXPECT_EQ(store->Get("k"), "v");
    EXPECT_TRUE(store->Head("k"));
  }
  EXPECT_EQ(proxy_->Connections(), 1);
}

TEST_F(S3TransportTest, RefusedConnectionFailsAfterRetriesWithoutTheSecret) {
  S3Settings settings = testing::TestS3Settings();
  proxy_.reset();  // frees its port: nothing listens there now
  settings.endpoint = "127.0.0.1:1";
  S3Tuning tuning = QuickRetries();
  tuning.max_attempts = 3;
  S3Store store(settings, bucket_, tuning);
  std::string message = ErrorOf([&] { store.Get("k"); });
  EXPECT_THAT(message, HasSubstr("GetObject s3://" + bucket_ + "/k at http://127.0.0.1:1 failed"));
  EXPECT_THAT(message, HasSubstr("after 3 attempts"));
  EXPECT_THAT(message, Not(HasSubstr(settings.secret_access_key)));
}

TEST_F(S3TransportTest, TransfersCompleteWhenOneRequestInTenMeetsAFault) {
  S3Tuning tuning = QuickRetries();
  tuning.part_size = 5 * kMiB;
  tuning.multipart_threshold = 5 * kMiB;
  auto store = ThroughProxy(tuning);
  proxy_->SetMix({.drop_percent = 4, .reset_percent = 3, .error_percent = 3, .seed = 15});
  std::string big = RandomBytes(16 * kMiB, 11);
  store->Put("big", big);                                     // multipart: four parts
  for (int i = 0; i < 30; ++i) store->Put(fmt::format("small/{:02}", i), fmt::format("value {}", i));
  testing::TempDir dir;
  store->GetToFile("big", dir.path() / "big");                // ranged GETs in parallel
  EXPECT_TRUE(testing::ReadFile(dir.path() / "big") == big) << "content differs";
  std::string range(1000, '\0');
  EXPECT_EQ(store->ReadRange("big", 7 * kMiB, range.size(), range.data()), range.size());
  EXPECT_TRUE(range == big.substr(7 * kMiB, range.size()));
  for (int i = 0; i < 30; ++i) EXPECT_EQ(store->Get(fmt::format("small/{:02}", i)), fmt::format("value {}", i));
  EXPECT_EQ(store->List("small/").size(), 30u);
  store->Copy("big", "copy");
  std::vector<std::string> keys;
  for (int i = 0; i < 30; ++i) keys.push_back(fmt::format("small/{:02}", i));
  store->DeleteMany(keys);
  EXPECT_TRUE(store->List("small/").empty());
  EXPECT_EQ(direct_->Head("copy")->size, big.size());

  int faults = proxy_->Faults(FaultProxy::Action::kDrop) + proxy_->Faults(FaultProxy::Action::kReset) +
               proxy_->Faults(FaultProxy::Action::kRespond);
  EXPECT_GE(faults, 5) << "of " << proxy_->TotalRequests() << " requests";
  S3Client client(testing::TestS3Settings(), bucket_, {});
  S3Response uploads = client.SendOk({.operation = "ListMultipartUploads", .query = {{"uploads", ""}}});
  EXPECT_THAT(uploads.body, Not(HasSubstr("<UploadId>")) ) << "no part left behind but by a lost Create";
}

TEST_F(S3TransportTest, ACompletionWhoseAnswerIsLostIsRecognisedWhenRetried) {
  S3Tuning tuning = QuickRetries();
  tuning.part_size = 5 * kMiB;
  tuning.multipart_threshold = 5 * kMiB;
  proxy_->Add({"POST", "uploadId=", FaultProxy::Action::kReset});  // done by the server, answer cut
  auto store = ThroughProxy(tuning);
  std::string data = RandomBytes(11 * kMiB, 12);
  store->Put("big", data);
  EXPECT_EQ(proxy_->Requests("POST"), 1 + 2) << "create, then complete twice";
  EXPECT_TRUE(direct_->Get("big") == data) << "content differs";
}

TEST(MultipartEtag, IsTheMd5OfThePartsMd5sAndTheirCount) {
  // The parts "a" and "b": md5(md5("a") || md5("b")) = 96e024ba..., as S3 computes it.
  EXPECT_EQ(MultipartEtag({"\"0cc175b9c0f1b6a831c399e269772661\"", "\"92eb5ffee6ae2fec3ad71c777531578f\""}),
            "\"96e024ba2074fe77e8e965ba43a704be-2\"");
  EXPECT_EQ(MultipartEtag({"\"not-an-md5\""}), "");
}

TEST_F(S3TransportTest, AGoneServerFailsWithinTheBudgetInOneLine) {
  direct_->Put("k", "v");
  S3Tuning tuning;  // real backoff: 50-100 ms, doubling up to 5 s
  tuning.retry_budget_ms = 3000;
  auto store = ThroughProxy(tuning);
  EXPECT_EQ(store->Get("k"), "v");
  proxy_->GoAway();
  auto start = Clock::now();
  std::string message = ErrorOf([&] { store->Put("k", "new"); });
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GE(seconds, 1.0);
  EXPECT_LE(seconds, 3.5) << "within the 3 s budget";
  EXPECT_THAT(message, ::testing::MatchesRegex("S3 PutObject s3://[^ ]+/k at http://127.0.0.1:[0-9]+ failed: Failed to "
                                               "connect to .*\\(after [0-9]+ attempts in [0-9.]+ s\\)"));
  EXPECT_EQ(message.find('\n'), std::string::npos);

  // The budget is the store's: a request after it (the clean-up after a failure) retries only
  // for what is left of it, and once it is spent, not at all.
  EXPECT_THAT(ErrorOf([&] { store->Delete("k"); }), HasSubstr("failed: Failed to connect"));
  EXPECT_LE(std::chrono::duration<double>(Clock::now() - start).count(), 3.5);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500) - (Clock::now() - start));
  auto late = Clock::now();
  EXPECT_THAT(ErrorOf([&] { store->Head("k"); }),
              ::testing::MatchesRegex(".*failed: .* \\(not retried: requests have failed for [0-9.]+ s, beyond the 3 "
                                      "s retry budget\\)"));
  EXPECT_LE(std::chrono::duration<double>(Clock::now() - late).count(), 0.2);
  EXPECT_EQ(direct_->Get("k"), "v");
}

TEST_F(S3TransportTest, PathStyleAndVirtualHostStyleRequests) {
  direct_->Put("dir/a b.txt", "v");
  auto path_style = ThroughProxy();
  EXPECT_EQ(path_style->Head("dir/a b.txt")->size, 1u);
  std::string path_head = proxy_->RequestHeads().back();
  EXPECT_THAT(path_head, HasSubstr("HEAD /" + bucket_ + "/dir/a%20b.txt HTTP/1.1\r\n"));
  EXPECT_THAT(path_head, HasSubstr("Host: 127.0.0.1:" + std::to_string(proxy_->port()) + "\r\n"));
  EXPECT_THAT(path_head, HasSubstr("x-amz-content-sha256: UNSIGNED-PAYLOAD"));
  EXPECT_THAT(path_head, HasSubstr("SignedHeaders=host;x-amz-content-sha256;x-amz-date"));

  // radosgw here has no rgw_dns_name, so it cannot serve virtual-host requests: the proxy
  // answers this one, and the test checks what curl sent (*.localhost resolves to 127.0.0.1).
  proxy_->Add({"HEAD", "", FaultProxy::Action::kRespond, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"});
  auto virtual_host = ThroughProxy(QuickRetries(), false, "localhost");
  EXPECT_FALSE(virtual_host->Head("dir/a b.txt"));
  std::string vhost_head = proxy_->RequestHeads().back();
  EXPECT_THAT(vhost_head, HasSubstr("HEAD /dir/a%20b.txt HTTP/1.1\r\n"));
  EXPECT_THAT(vhost_head, HasSubstr("Host: " + bucket_ + ".localhost:" + std::to_string(proxy_->port()) + "\r\n"));
}

}  // namespace
}  // namespace dlctl
