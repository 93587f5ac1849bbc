#pragma once
// One S3 request over libcurl: URL (path or virtual-host style), SigV4 signing by curl, retries
// with backoff, and one-line error messages that name the request but never the secret key.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/settings.h"
#include "storage/s3_body.h"
#include "storage/s3_connection_pool.h"
#include "storage/s3_encoding.h"
#include "storage/s3_progress.h"
#include "storage/s3_retry.h"
#include "storage/s3_store.h"
#include "storage/s3_xml.h"

namespace dlctl {

struct S3Request {
  const char* operation = "";              // "GetObject": names the request in messages
  const char* method = "GET";
  std::optional<std::string> key{};        // nullopt: a request on the bucket itself
  QueryParams query{};
  std::vector<std::string> headers{};      // "name: value"; all are signed
  RequestBody* body = nullptr;             // nullptr: no body
  ResponseSink* sink = nullptr;            // where a 2xx body goes; nullptr: S3Response::body
  TransferProgress* progress = nullptr;
  bool error_in_200 = false;               // the answer may be 200 with an <Error> body
  std::string subject{};                   // what messages name instead of the key's URI
};

struct S3Response {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;                        // error bodies, and 2xx bodies of requests without a sink
  std::optional<S3ErrorBody> error_in_200;
  int attempts = 1;
  std::string retry_note;                  // " (after 3 attempts in 1.2 s)" when retries gave up

  bool ok() const { return status >= 200 && status <= 299 && !error_in_200; }
  std::string Header(std::string_view lower_case_name) const;  // "" when absent
};

class S3Client {
 public:
  S3Client(S3Settings settings, std::string bucket, S3Tuning tuning);

  // Sends `request`, retrying what may succeed later (up to tuning.max_attempts, and while the
  // store has failed for less than tuning.retry_budget_ms); returns the final answer whatever its
  // status. Throws Error when no answer arrives (after retries) or a body/sink fails.
  S3Response Send(const S3Request& request);
  // Send, then Fail() unless the answer is a 2xx.
  S3Response SendOk(const S3Request& request);

  // Throws the error for an unwanted answer: NotFoundError for NoSuchKey, else Error.
  [[noreturn]] void Fail(const S3Request& request, const S3Response& response) const;
  // Throws Error for a 2xx answer whose body is not what the operation returns.
  [[noreturn]] void FailUnreadable(const S3Request& request) const;
  // "S3 <operation> <subject> at <endpoint> failed: <what>", on one line, without the secret.
  std::string ErrorMessage(const S3Request& request, const std::string& what) const;

  std::string Uri(std::string_view key) const { return "s3://" + bucket_ + "/" + std::string(key); }
  std::string Describe() const { return "s3://" + bucket_ + " at " + EndpointUrl(); }
  const std::string& bucket() const { return bucket_; }
  const S3Tuning& tuning() const { return tuning_; }
  const std::string& region() const { return region_; }

 private:
  using Clock = OutageClock::Clock;
  int Perform(const S3Request& request, PooledCurl& handle, S3Response& response, std::string& curl_error,
              long connect_timeout_ms);
  std::string Retries(int attempts, Clock::time_point start) const;  // for messages: " (after 3 attempts in 1.2 s)"
  long ConnectTimeout() const;
  std::string EndpointUrl() const { return settings_.Scheme() + "://" + settings_.endpoint; }
  std::string Url(const S3Request& request) const;
  std::string Subject(const S3Request& request) const;

  S3Settings settings_;
  std::string bucket_;
  S3Tuning tuning_;
  std::string region_;
  std::string sigv4_;
  CurlHandlePool pool_;
  OutageClock outage_;  // shared by every request: one request's failures shorten the others' retries
};

}  // namespace dlctl
