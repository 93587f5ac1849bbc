#pragma once
// HTTP GETs and resumable downloads for the ingest sources (libcurl). Redirects are followed
// (the APIs answer downloads with a redirect to a storage host, which never sees the
// Authorization header: curl sends a custom one to the first host only). Proxies come from the
// usual environment variables (http_proxy, https_proxy, no_proxy), as libcurl reads them.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "ingest/digest.h"
#include "util/error.h"
#include "util/progress.h"

namespace dlctl {

struct HttpOptions {
  int max_attempts = 6;               // per request; a download that made progress starts counting again
  int retry_base_delay_ms = 500;      // backoff with jitter, doubling up to the cap
  int retry_max_delay_ms = 30000;
  int max_retry_after_ms = 120000;    // the longest Retry-After obeyed; longer asks get the backoff
  int connect_timeout_ms = 15000;
  int stall_timeout_s = 60;           // a transfer moving no bytes for this long is dropped (and retried)
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // of the last answer of a redirect chain; lower-case names
  std::string body;
  std::string Header(const std::string& lower_case_name) const;
};

// An answer other than 2xx that retrying did not (or could not) change. Sources turn it into
// messages of their own (a gated repo, missing credentials).
class HttpStatusError : public Error {
 public:
  HttpStatusError(const std::string& message, HttpResponse response)
      : Error(message), response_(std::move(response)) {}
  const HttpResponse& response() const { return response_; }

 private:
  HttpResponse response_;
};

struct DownloadRequest {
  std::string url;
  std::string authorization;               // the Authorization header's value; empty: none
  std::filesystem::path target;            // the complete file; "<target>.part" while it downloads
  std::optional<uint64_t> size;            // when the API tells it
  std::optional<ExpectedDigest> digest;    // when the API tells it
  ProgressBar* progress = nullptr;         // a shared bar; null: a bar of its own once the size is known
  std::string label;                       // names the file in its bar and in messages
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {}) : options_(options) {}

  // A small answer (API JSON) held in memory. 5xx, 429 and dropped connections are retried;
  // any other non-2xx answer throws HttpStatusError.
  HttpResponse Get(const std::string& url, const std::string& authorization) const;

  // Streams the URL to disk: resumes a ".part" file left by an earlier attempt or run with a
  // Range request, retries as Get does, checks the size and every checksum known (the request's,
  // and the MD5 in Google Cloud Storage's X-Goog-Hash header), then renames it to the target.
  // A mismatch removes the partial file and throws.
  void Download(const DownloadRequest& request) const;

 private:
  HttpOptions options_;
};

// The URL without its query: signed storage URLs carry credentials there, so messages use this.
std::string UrlForMessages(const std::string& url);

// "a b/c" -> "a%20b/c" (keep_slashes) or "a%20b%2Fc".
std::string UrlEncode(const std::string& s, bool keep_slashes);

}  // namespace dlctl
