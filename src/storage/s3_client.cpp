#include "storage/s3_client.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <thread>

#include "storage/s3_retry.h"
#include "util/error.h"
#include "util/secret_mask.h"

namespace dlctl {
namespace {

// Longest Retry-After we obey; a server asking for more gets our own backoff instead.
constexpr std::chrono::milliseconds kMaxRetryAfter{60'000};

// Bodies smaller than this are sent without waiting for "100 Continue".
constexpr uint64_t kExpectContinueMinBody = 1 << 20;

// curl's receive buffer, allocated per request: big enough for few callbacks per part, small
// enough to stay cheap (curl's 10 MiB maximum cost more CPU on a 1 GiB download, not less).
constexpr long kReceiveBufferSize = 1 << 20;

// The state of one attempt, shared with curl's callbacks.
struct Attempt {
  const S3Request& request;
  S3Response& response;
  PooledCurl& handle;
  CURL* curl;
  uint64_t body_offset = 0;
  int64_t progress_counted = 0;
  std::optional<bool> body_to_sink{};  // decided at the first body byte, when the status is known
  std::exception_ptr failure{};        // thrown by a body or sink; curl only sees an abort

  void Count(size_t bytes) {
    if (!request.progress) return;
    request.progress->Add(static_cast<int64_t>(bytes));
    progress_counted += static_cast<int64_t>(bytes);
  }
};

size_t ReadBody(char* buffer, size_t size, size_t count, void* data) {
  auto& attempt = *static_cast<Attempt*>(data);
  try {
    size_t n = attempt.request.body->ReadAt(attempt.body_offset, buffer, size * count);
    attempt.body_offset += n;
    attempt.Count(n);
    return n;
  } catch (...) {
    attempt.failure = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

int SeekBody(void* data, curl_off_t offset, int origin) {
  auto& attempt = *static_cast<Attempt*>(data);
  if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
  attempt.body_offset = static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

size_t WriteBody(char* data, size_t size, size_t count, void* state) {
  auto& attempt = *static_cast<Attempt*>(state);
  size_t n = size * count;
  if (!attempt.body_to_sink) {
    long status = 0;
    curl_easy_getinfo(attempt.curl, CURLINFO_RESPONSE_CODE, &status);
    bool success = status >= 200 && status <= 299;
    attempt.body_to_sink = success && attempt.request.sink && !attempt.request.error_in_200;
    curl_off_t length = -1;
    curl_easy_getinfo(attempt.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (success && !*attempt.body_to_sink && length > 0) attempt.response.body.reserve(static_cast<size_t>(length));
  }
  if (!*attempt.body_to_sink) {
    attempt.response.body.append(data, n);
    return n;
  }
  try {
    attempt.request.sink->Write(data, n);
    attempt.Count(n);
    return n;
  } catch (...) {
    attempt.failure = std::current_exception();
    return 0;
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* state) {
  auto& attempt = *static_cast<Attempt*>(state);
  auto& response = attempt.response;
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    attempt.handle.AckNow();
    response.headers.clear();  // a new response begins (after "100 Continue")
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(Trim(line.substr(0, colon)));
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    response.headers.emplace_back(std::move(name), std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

std::string Hint(long status, const std::string& code) {
  if (code == "SignatureDoesNotMatch") return " (check S3_SECRET_ACCESS_KEY and S3_REGION)";
  if (code == "InvalidAccessKeyId") return " (check S3_ACCESS_KEY_ID)";
  if (code == "NoSuchBucket") return " (check S3_BUCKET, or create the bucket: dlctl tools create-bucket)";
  if (code == "PreconditionFailed") return " (the object changed while it was being read)";
  if (status == 403 && code.empty()) return " (access denied, or wrong S3 credentials)";
  return "";
}

}  // namespace

std::string S3Response::Header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_case_name) return value;
  return "";
}

S3Client::S3Client(S3Settings settings, std::string bucket, S3Tuning tuning)
    : settings_(std::move(settings)), bucket_(std::move(bucket)), tuning_(tuning) {
  if (settings_.retry_budget_ms) tuning_.retry_budget_ms = *settings_.retry_budget_ms;
  region_ = settings_.region.empty() ? "us-east-1" : settings_.region;
  sigv4_ = "aws:amz:" + region_ + ":s3";
}

std::string S3Client::Url(const S3Request& request) const {
  std::string url = settings_.Scheme() + "://";
  if (settings_.path_style) {
    url += settings_.endpoint;
    url += '/';
    url += bucket_;
    if (request.key) url += '/';
  } else {
    url += bucket_;
    url += '.';
    url += settings_.endpoint;
    url += '/';
  }
  if (request.key) url += EncodeKeyPath(*request.key);
  if (!request.query.empty()) {
    url += '?';
    url += CanonicalQuery(request.query);
  }
  return url;
}

int S3Client::Perform(const S3Request& request, PooledCurl& handle, S3Response& response, std::string& curl_error,
                      long connect_timeout_ms) {
  CURL* curl = handle.get();
  static MemoryBody empty_body{std::string_view()};
  Attempt attempt{request, response, handle, curl};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
  auto add_header = [&](const std::string& header) {
    curl_slist* list = curl_slist_append(headers.get(), header.c_str());
    if (!list) throw Error("out of memory building an S3 request");
    headers.release();
    headers.reset(list);
  };
  // curl 7.88 neither sends nor computes this header; without it the signature is refused.
  add_header("x-amz-content-sha256: UNSIGNED-PAYLOAD");
  for (const auto& header : request.headers) add_header(header);

  std::string url = Url(request);
  char error_buffer[CURL_ERROR_SIZE] = "";
  handle.Reset();  // keeps the open connection
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // keys may hold "/./" or "/../"
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4_.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.access_key_id.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.secret_access_key.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(tuning_.stall_timeout_s));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &attempt);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &attempt);
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, kReceiveBufferSize);

  std::string_view method = request.method;
  RequestBody* body = request.body;
  if (!body && (method == "PUT" || method == "POST")) body = &empty_body;  // sends Content-Length: 0
  if (body) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body->size()));
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &attempt);
    curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, SeekBody);
    curl_easy_setopt(curl, CURLOPT_SEEKDATA, &attempt);
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, 1L << 20);
    // curl asks "Expect: 100-continue" for every upload, and radosgw answers it only when it
    // starts reading the body (never for DeleteObjects): small bodies go without waiting.
    if (body->size() < kExpectContinueMinBody) curl_easy_setopt(curl, CURLOPT_EXPECT_100_TIMEOUT_MS, 0L);
    if (method != "PUT") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method);
  } else if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);  // a custom "HEAD" would wait for a body
  } else if (method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method);
  }

  CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);  // the buffer dies with this frame
  if (attempt.failure) std::rethrow_exception(attempt.failure);
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    if (request.error_in_200 && response.status == 200) response.error_in_200 = ParseErrorBody(response.body);
    if (body && body->size() > 0 && (response.status < 200 || response.status > 299)) handle.DropConnection();
  } else {
    curl_error = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
  }
  if (request.progress && (code != CURLE_OK || !response.ok())) request.progress->Add(-attempt.progress_counted);
  return code;
}

S3Response S3Client::Send(const S3Request& request) {
  CurlHandlePool::Lease curl = pool_.Acquire();
  Clock::time_point start = Clock::now();
  for (int attempt = 1;; ++attempt) {
    if (request.sink) request.sink->Restart();
    S3Response response;
    response.attempts = attempt;
    std::string curl_error;
    int code = Perform(request, *curl, response, curl_error, ConnectTimeout());
    std::chrono::milliseconds wait = BackoffDelay(attempt, tuning_);
    if (code != CURLE_OK) {
      if (!IsRetryableCurlCode(code)) throw Error(ErrorMessage(request, curl_error + Retries(attempt, start)));
    } else {
      bool retryable = IsRetryableStatus(response.status) ||
                       (response.error_in_200 && IsRetryableErrorCode(response.error_in_200->code));
      if (!retryable) {
        outage_.Ended();
        return response;
      }
      if (auto after = ParseRetryAfter(response.Header("retry-after")))
        wait = std::max(wait, std::min(*after, kMaxRetryAfter));
    }
    Clock::duration failing = outage_.Failed();
    bool retry = attempt < tuning_.max_attempts && failing + wait <= std::chrono::milliseconds(tuning_.retry_budget_ms);
    if (!retry) {
      if (code != CURLE_OK) throw Error(ErrorMessage(request, curl_error + Retries(attempt, start)));
      response.retry_note = Retries(attempt, start);
      return response;
    }
    std::this_thread::sleep_for(wait);
  }
}

std::string S3Client::Retries(int attempts, Clock::time_point start) const {
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (attempts > 1) return fmt::format(" (after {} attempts in {:.1f} s)", attempts, seconds);
  double failing = std::chrono::duration<double>(outage_.Duration()).count();
  if (failing * 1000 > tuning_.retry_budget_ms)
    return fmt::format(" (not retried: requests have failed for {:.1f} s, beyond the {:.0f} s retry budget)", failing,
                       tuning_.retry_budget_ms / 1000.0);
  return "";
}

long S3Client::ConnectTimeout() const {
  // Near the end of the budget an attempt may not wait for a connection longer than what is left.
  auto left = std::chrono::milliseconds(tuning_.retry_budget_ms) - outage_.Duration();
  long left_ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(left).count());
  return std::clamp<long>(left_ms, 1000, tuning_.connect_timeout_ms);
}

S3Response S3Client::SendOk(const S3Request& request) {
  S3Response response = Send(request);
  if (!response.ok()) Fail(request, response);
  return response;
}

void S3Client::Fail(const S3Request& request, const S3Response& response) const {
  std::optional<S3ErrorBody> error = response.error_in_200 ? response.error_in_200 : ParseErrorBody(response.body);
  std::string code = error ? error->code : "";
  std::string what = fmt::format("HTTP {}", response.status);
  if (!code.empty()) what += " " + code;
  if (error && !error->message.empty()) what += ": " + error->message;
  what += Hint(response.status, code);
  what += response.retry_note;
  std::string message = ErrorMessage(request, what);
  if (response.status == 404 && (code.empty() || code == "NoSuchKey")) throw NotFoundError(message);
  throw Error(message);
}

void S3Client::FailUnreadable(const S3Request& request) const {
  throw Error(ErrorMessage(request, "the server's answer is not the XML this request returns"));
}

std::string S3Client::Subject(const S3Request& request) const {
  if (!request.subject.empty()) return request.subject;
  return request.key ? Uri(*request.key) : "s3://" + bucket_;
}

std::string S3Client::ErrorMessage(const S3Request& request, const std::string& what) const {
  std::string message =
      fmt::format("S3 {} {} at {} failed: {}", request.operation, Subject(request), EndpointUrl(), what);
  for (char& c : message)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  // Nothing above includes the secret; this keeps it so should a server ever echo it.
  return MaskSecrets(std::move(message), {settings_.secret_access_key});
}

}  // namespace dlctl
