// S3Store's HTTP behaviour, seen through a small TCP proxy in front of the real radosgw: the
// proxy reads each request head and either forwards the request or, when a scripted fault
// matches, answers it itself. Everything not scripted is the real server's answer.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "storage/s3_client.h"
#include "storage/s3_store.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::ErrorOf;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kMiB = 1 << 20;

class FaultProxy {
 public:
  enum class Action { kRespond, kDrop, kStall };
  struct Fault {
    std::string method;       // "GET", "PUT", ...
    std::string head_part;    // "" or a part of the request head, e.g. "uploadId="
    Action action;
    std::string response;     // for kRespond: the raw HTTP response
  };

  explicit FaultProxy(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
      throw std::runtime_error("proxy cannot listen");
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }

  ~FaultProxy() {
    stop_ = true;
    acceptor_.join();
    for (auto& thread : connections_) thread.join();
    ::close(listener_);
  }

  int port() const { return port_; }
  // The next request matching `fault` (and only that one) meets the fault.
  void Add(Fault fault) {
    std::lock_guard lock(mutex_);
    faults_.push_back(std::move(fault));
  }
  int Requests(const std::string& method) {
    std::lock_guard lock(mutex_);
    return requests_[method];
  }
  int Connections() {
    std::lock_guard lock(mutex_);
    return static_cast<int>(connections_.size());
  }
  std::vector<std::string> RequestHeads() {
    std::lock_guard lock(mutex_);
    return heads_;
  }

  // A complete response with an S3 <Error> body.
  static std::string ErrorResponse(int status, const std::string& reason, const std::string& code,
                                   const std::string& extra_headers = "") {
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code +
                       "</Code><Message>scripted by the test proxy</Message></Error>";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: application/xml\r\n" +
           extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  }

 private:
  void Accept() {
    while (!stop_) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      std::lock_guard lock(mutex_);
      connections_.emplace_back([this, client] { Serve(client); });
    }
  }

  int ConnectUpstream() {
    int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(upstream_port_));
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(upstream);
      return -1;
    }
    return upstream;
  }

  static bool WriteAll(int fd, const char* data, size_t size) {
    while (size > 0) {
      ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
      if (n <= 0) return false;
      data += n, size -= static_cast<size_t>(n);
    }
    return true;
  }

  static uint64_t ContentLength(const std::string& head) {
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t at = lower.find("\r\ncontent-length:");
    return at == std::string::npos ? 0 : std::stoull(head.substr(at + 17));
  }

  std::optional<Fault> TakeFault(const std::string& method, const std::string& head) {
    std::lock_guard lock(mutex_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (it->method == method && head.find(it->head_part) != std::string::npos) {
        Fault fault = *it;
        faults_.erase(it);
        return fault;
      }
    }
    return std::nullopt;
  }

  // Answers a request itself, after taking in its body like a server would.
  void Inject(int client, const Fault& fault, const std::string& head, std::string& pending, uint64_t body_left) {
    if (fault.action == Action::kStall) {  // until the client gives up
      for (auto start = Clock::now(); !stop_ && Clock::now() - start < std::chrono::seconds(20);) {
        pollfd ready{client, POLLIN, 0};
        char buffer[65536];
        if (::poll(&ready, 1, 50) > 0 && ::read(client, buffer, sizeof buffer) <= 0) return;
      }
      return;
    }
    if (head.find("100-continue") != std::string::npos) WriteAll(client, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    uint64_t drained = std::min<uint64_t>(body_left, pending.size());
    for (body_left -= drained; body_left > 0;) {
      char buffer[65536];
      ssize_t n = ::read(client, buffer, std::min<uint64_t>(sizeof buffer, body_left));
      if (n <= 0) return;
      body_left -= static_cast<uint64_t>(n);
    }
    if (fault.action == Action::kRespond) WriteAll(client, fault.response.data(), fault.response.size());
  }

  // Forwards requests and responses until either side closes or a fault ends the connection.
  void Serve(int client) {
    int upstream = -1;
    std::string pending;  // bytes from the client not forwarded yet
    uint64_t body_left = 0;
    char buffer[1 << 16];
    bool open = true;
    while (open && !stop_) {
      pollfd ready[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
      if (::poll(ready, upstream < 0 ? 1 : 2, 50) <= 0) continue;
      if (upstream >= 0 && (ready[1].revents & (POLLIN | POLLHUP))) {
        ssize_t n = ::read(upstream, buffer, sizeof buffer);
        if (n <= 0 || !WriteAll(client, buffer, static_cast<size_t>(n))) break;
      }
      if (!(ready[0].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = ::read(client, buffer, sizeof buffer);
      if (n <= 0) break;
      pending.append(buffer, static_cast<size_t>(n));
      while (open && !pending.empty()) {
        if (body_left > 0) {
          size_t k = std::min<uint64_t>(body_left, pending.size());
          open = WriteAll(upstream, pending.data(), k);
          pending.erase(0, k);
          body_left -= k;
          continue;
        }
        size_t end = pending.find("\r\n\r\n");
        if (end == std::string::npos) break;
        std::string head = pending.substr(0, end + 4);
        pending.erase(0, end + 4);
        std::string method = head.substr(0, head.find(' '));
        body_left = ContentLength(head);
        {
          std::lock_guard lock(mutex_);
          heads_.push_back(head);
          ++requests_[method];
        }
        if (std::optional<Fault> fault = TakeFault(method, head)) {
          Inject(client, *fault, head, pending, body_left);
          open = false;
          break;
        }
        if (upstream < 0 && (upstream = ConnectUpstream()) < 0) open = false;
        open = open && WriteAll(upstream, head.data(), head.size());
      }
    }
    if (upstream >= 0) ::close(upstream);
    ::close(client);
  }

  int upstream_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::deque<Fault> faults_;
  std::map<std::string, int> requests_;
  std::vector<std::string> heads_;
};

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
