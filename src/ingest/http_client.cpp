#include "ingest/http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include "storage/s3_retry.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxBody = 256u << 20;      // API answers; a tree page is far smaller
constexpr size_t kMaxErrorBody = 64u << 10;  // the start of an error page is enough for a message
constexpr long kReceiveBufferSize = 1L << 20;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  size_t start = s.find_first_not_of(" \t");
  return start == std::string::npos ? "" : s.substr(start);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

// A checksum being computed and the value it must reach.
struct PendingDigest {
  std::unique_ptr<Digest> digest;
  std::string expected_hex;
  std::string what;  // "sha256", "git blob sha1", "md5 (X-Goog-Hash)"
};

// One request of a retry loop: what libcurl reported and where the body went.
struct Attempt {
  CURL* curl = nullptr;
  // Downloads only: the partial file, the bytes it held when the attempt began.
  const DownloadRequest* download = nullptr;
  fs::path part;
  uint64_t offset = 0;
  std::vector<PendingDigest>* digests = nullptr;
  ProgressBar* progress = nullptr;
  std::unique_ptr<ProgressBar>* own_progress = nullptr;
  uint64_t* reported = nullptr;  // bytes of this file already shown on the bar

  HttpResponse response;  // headers of the current answer, the body for API requests and errors
  bool body_started = false;
  std::unique_ptr<FILE, FileCloser> out;
  uint64_t total = 0;       // the complete file's size, when the answer tells it
  uint64_t received = 0;    // body bytes written to the file by this attempt
  bool resume_mismatch = false;
  std::string disk_error;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    attempt->response.headers.clear();  // a new answer in a redirect chain
  } else if (size_t colon = line.find(':'); colon != std::string::npos) {
    attempt->response.headers[Lower(Trim(line.substr(0, colon)))] = Trim(line.substr(colon + 1));
  }
  return size * count;
}

// "bytes 100-199/1000" -> {100, 1000}; "bytes */1000" -> {0, 1000} with start unknown.
bool ParseContentRange(const std::string& value, uint64_t* start, uint64_t* total) {
  unsigned long long a = 0, b = 0, t = 0;
  if (std::sscanf(value.c_str(), "bytes %llu-%llu/%llu", &a, &b, &t) == 3) {
    *start = a, *total = t;
    return true;
  }
  if (std::sscanf(value.c_str(), "bytes */%llu", &t) == 1) {
    *start = 0, *total = t;
    return true;
  }
  return false;
}

// X-Goog-Hash: "crc32c=n03x6A==,md5=Ojk9c3dhfxgoKVVHYwFbHQ==" -> the md5 as hex.
std::string GoogMd5Hex(const std::string& header) {
  size_t at = header.find("md5=");
  if (at == std::string::npos) return "";
  std::string value = header.substr(at + 4);
  value = value.substr(0, value.find(','));
  return Base64ToHex(Trim(value));
}

// A checksum of a file of `total` bytes, with git's blob header first when asked.
std::unique_ptr<Digest> NewDigest(DigestKind kind, bool git_blob, uint64_t total) {
  auto digest = std::make_unique<Digest>(kind);
  if (git_blob) {
    std::string prefix = fmt::format("blob {}", total);
    digest->Update(prefix.data(), prefix.size() + 1);  // with its '\0'
  }
  return digest;
}

void StartDigests(Attempt& a) {
  a.digests->clear();
  auto add = [&](DigestKind kind, const std::string& hex, const std::string& what, bool git_blob) {
    PendingDigest d{NewDigest(kind, git_blob, a.total), Lower(hex), what};
    if (a.offset > 0) d.digest->UpdateFromFile(a.part, a.offset);
    a.digests->push_back(std::move(d));
  };
  if (const auto& expected = a.download->digest) {
    const char* what = expected->git_blob ? "git blob sha1" : expected->kind == DigestKind::kSha256 ? "sha256"
                       : expected->kind == DigestKind::kSha1                     ? "sha1"
                                                                                  : "md5";
    add(expected->kind, expected->hex, what, expected->git_blob);
  }
  std::string md5 = GoogMd5Hex(a.response.Header("x-goog-hash"));
  if (!md5.empty()) add(DigestKind::kMd5, md5, "md5 (X-Goog-Hash)", false);
}

// A partial file as long as the whole: a run that stopped between the last byte and the rename.
bool CompleteAndIntact(const DownloadRequest& request, const fs::path& part) {
  if (!request.digest) return true;
  auto digest = NewDigest(request.digest->kind, request.digest->git_blob, *request.size);
  digest->UpdateFromFile(part, *request.size);
  return digest->HexFinal() == Lower(request.digest->hex);
}

// The first body bytes of a download: decides whether they go to the file, and where.
bool StartDownloadBody(Attempt& a) {
  long status = 0;
  curl_easy_getinfo(a.curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 && status != 206) return true;  // an error page: kept in memory for the message
  uint64_t start = 0;
  if (status == 206) {
    if (!ParseContentRange(a.response.Header("content-range"), &start, &a.total) || start != a.offset) {
      a.resume_mismatch = true;
      return false;
    }
  } else {
    a.offset = 0;  // the whole file again
    curl_off_t length = -1;
    curl_easy_getinfo(a.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    a.total = length >= 0 ? static_cast<uint64_t>(length) : 0;
  }
  if (a.download->size && a.total == 0) a.total = *a.download->size;
  a.out.reset(std::fopen(a.part.c_str(), a.offset > 0 ? "ab" : "wb"));
  if (!a.out) {
    a.disk_error = "cannot write " + a.part.string();
    return false;
  }
  std::setvbuf(a.out.get(), nullptr, _IOFBF, 1 << 20);
  StartDigests(a);
  if (!a.progress && !*a.own_progress && a.total > 0)
    *a.own_progress = std::make_unique<ProgressBar>("downloading " + a.download->label, a.total);
  ProgressBar* bar = a.progress ? a.progress : a.own_progress->get();
  if (bar && *a.reported < a.offset) bar->Advance(a.offset - *a.reported), *a.reported = a.offset;
  return true;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* a = static_cast<Attempt*>(user);
  size_t n = size * count;
  if (a->download && !a->body_started) {
    a->body_started = true;
    if (!StartDownloadBody(*a)) return 0;  // aborts the transfer
  }
  a->body_started = true;
  if (!a->out) {
    size_t limit = a->download ? kMaxErrorBody : kMaxBody;
    if (a->response.body.size() + n > limit) {
      if (!a->download) return 0;
      return n;  // the rest of an error page does not matter
    }
    a->response.body.append(data, n);
    return n;
  }
  if (std::fwrite(data, 1, n, a->out.get()) != n) {
    a->disk_error = "cannot write " + a->part.string();
    return 0;
  }
  for (auto& d : *a->digests) d.digest->Update(data, n);
  a->received += n;
  ProgressBar* bar = a->progress ? a->progress : a->own_progress->get();
  if (bar) bar->Advance(n), *a->reported += n;
  return n;
}

// Runs one request; returns curl's code and fills `error` with its message.
CURLcode Perform(Attempt& a, const std::string& url, const std::string& authorization, const HttpOptions& options,
                 std::string& error) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw Error("cannot start libcurl");
  a.curl = curl.get();
  char error_buffer[CURL_ERROR_SIZE] = "";
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  if (!authorization.empty())
    headers.reset(curl_slist_append(headers.release(), ("Authorization: " + authorization).c_str()));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "dlctl/" DLCTL_VERSION);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stall_timeout_s));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, kReceiveBufferSize);
  if (a.download) {
    if (a.offset > 0) curl_easy_setopt(c, CURLOPT_RANGE, fmt::format("{}-", a.offset).c_str());
  } else {
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // API JSON compresses well
  }
  CURLcode code = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.response.status);
  if (code != CURLE_OK) error = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
  a.curl = nullptr;
  return code;
}

// The server's own words about an error: Hugging Face's X-Error-Message, a JSON "message" or
// "error", else nothing (HTML pages say nothing useful in one line).
std::string ServerMessage(const HttpResponse& r) {
  std::string message = r.Header("x-error-message");
  if (message.empty()) {
    auto json = nlohmann::json::parse(r.body, nullptr, false);
    if (json.is_object()) {
      for (const char* key : {"message", "error"})
        if (json.contains(key) && json[key].is_string()) {
          message = json[key].get<std::string>();
          break;
        }
    }
  }
  for (char& c : message)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (message.size() > 300) message = message.substr(0, 300) + "...";
  return message;
}

std::string Attempts(int attempt) { return attempt > 1 ? fmt::format(" (after {} attempts)", attempt) : ""; }

std::chrono::milliseconds RetryWait(int attempt, const HttpResponse& response, const HttpOptions& options) {
  std::chrono::milliseconds wait = BackoffDelay(attempt, options.retry_base_delay_ms, options.retry_max_delay_ms);
  if (auto after = ParseRetryAfter(response.Header("retry-after")))
    if (after->count() <= options.max_retry_after_ms) wait = std::max(wait, *after);
  return wait;
}

[[noreturn]] void FailStatus(const std::string& url, const HttpResponse& response, int attempt) {
  std::string what = fmt::format("HTTP {}", response.status);
  if (std::string code = response.Header("x-error-code"); !code.empty()) what += " " + code;
  if (std::string message = ServerMessage(response); !message.empty()) what += ": " + message;
  throw HttpStatusError("GET " + UrlForMessages(url) + " failed: " + what + Attempts(attempt), response);
}

uint64_t FileSize(const fs::path& path) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

void CheckComplete(const DownloadRequest& request, const fs::path& part, uint64_t total,
                   std::vector<PendingDigest>& digests) {
  uint64_t size = FileSize(part);
  std::string subject = request.label.empty() ? UrlForMessages(request.url) : request.label;
  auto fail = [&](const std::string& why) {
    std::error_code ec;
    fs::remove(part, ec);  // a corrupt file must not be resumed
    throw Error("download of " + subject + " is corrupt: " + why);
  };
  if (total > 0 && size != total) fail(fmt::format("{} bytes arrived, the server announced {}", size, total));
  if (request.size && size != *request.size)
    fail(fmt::format("{} bytes arrived, the source lists {}", size, *request.size));
  for (auto& d : digests) {
    std::string actual = d.digest->HexFinal();
    if (actual != d.expected_hex) fail(d.what + " is " + actual + ", the source lists " + d.expected_hex);
  }
}

}  // namespace

std::string HttpResponse::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

std::string UrlForMessages(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

std::string UrlEncode(const std::string& s, bool keep_slashes) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slashes && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

HttpResponse HttpClient::Get(const std::string& url, const std::string& authorization) const {
  for (int attempt = 1;; ++attempt) {
    Attempt a;
    std::string error;
    CURLcode code = Perform(a, url, authorization, options_, error);
    bool last = attempt >= options_.max_attempts;
    if (code != CURLE_OK) {
      if (last || !IsRetryableCurlCode(code))
        throw Error("GET " + UrlForMessages(url) + " failed: " + error + Attempts(attempt));
      std::this_thread::sleep_for(BackoffDelay(attempt, options_.retry_base_delay_ms, options_.retry_max_delay_ms));
      continue;
    }
    if (a.response.status >= 200 && a.response.status <= 299) return std::move(a.response);
    if (last || !IsRetryableStatus(a.response.status)) FailStatus(url, a.response, attempt);
    std::this_thread::sleep_for(RetryWait(attempt, a.response, options_));
  }
}

void HttpClient::Download(const DownloadRequest& request) const {
  std::error_code ec;
  fs::create_directories(request.target.parent_path(), ec);
  fs::path part = request.target;
  part += ".part";
  std::vector<PendingDigest> digests;
  std::unique_ptr<ProgressBar> own_progress;
  uint64_t reported = 0;
  for (int attempt = 1, counted = 1;; ++attempt, ++counted) {
    Attempt a;
    a.download = &request;
    a.part = part;
    a.offset = FileSize(part);
    a.digests = &digests;
    a.progress = request.progress;
    a.own_progress = &own_progress;
    a.reported = &reported;
    if (request.size && a.offset > *request.size) fs::remove(part, ec), a.offset = 0;
    if (request.size && a.offset > 0 && a.offset == *request.size) {
      if (CompleteAndIntact(request, part)) {
        fs::rename(part, request.target, ec);
        if (!ec) return;
      }
      fs::remove(part, ec), a.offset = 0;
    }
    std::string error;
    CURLcode code = Perform(a, request.url, request.authorization, options_, error);
    if (a.out && std::fclose(a.out.release()) != 0) a.disk_error = "cannot write " + part.string();
    if (!a.disk_error.empty()) throw Error("download of " + request.label + " failed: " + a.disk_error);
    if (a.received > 0) counted = 1;  // progress: the next failure starts a fresh count
    bool last = counted >= options_.max_attempts;
    std::chrono::milliseconds wait = BackoffDelay(counted, options_.retry_base_delay_ms, options_.retry_max_delay_ms);
    if (a.resume_mismatch) {
      fs::remove(part, ec);  // the server resumed elsewhere than asked: start over
      if (last) throw Error("GET " + UrlForMessages(request.url) + " failed: the server cannot resume it");
      continue;
    }
    if (code != CURLE_OK) {
      if (last || !IsRetryableCurlCode(code))
        throw Error("GET " + UrlForMessages(request.url) + " failed: " + error + Attempts(attempt));
      std::this_thread::sleep_for(wait);
      continue;
    }
    long status = a.response.status;
    if (status == 200 || status == 206) {
      if (!a.body_started) {  // an empty file: no body callback ever ran
        a.offset = 0;
        a.total = 0;
        std::unique_ptr<FILE, FileCloser>(std::fopen(part.c_str(), "wb"));
        StartDigests(a);
      }
      CheckComplete(request, part, a.total, digests);
      fs::rename(part, request.target, ec);
      if (ec) throw Error("cannot move " + part.string() + " into place: " + ec.message());
      return;
    }
    if (status == 416 && a.offset > 0) {  // the partial file is complete or stale
      uint64_t start = 0, total = 0;
      if (ParseContentRange(a.response.Header("content-range"), &start, &total) && total == a.offset &&
          !request.digest) {
        std::vector<PendingDigest> none;
        CheckComplete(request, part, total, none);
        fs::rename(part, request.target, ec);
        if (!ec) return;
      }
      fs::remove(part, ec);
      if (!last) continue;
    }
    if (last || !IsRetryableStatus(status)) FailStatus(request.url, a.response, attempt);
    std::this_thread::sleep_for(RetryWait(counted, a.response, options_));
  }
}

}  // namespace dlctl
