#include "storage/s3_retry.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>
#include <string>

#include "storage/s3_store.h"

namespace dlctl {

bool IsRetryableStatus(long status) { return status == 429 || (status >= 500 && status <= 599); }

bool IsRetryableErrorCode(std::string_view code) {
  return code == "InternalError" || code == "SlowDown" || code == "ServiceUnavailable";
}

bool IsRetryableCurlCode(int curl_code) {
  switch (curl_code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds BackoffDelay(int attempt, const S3Tuning& tuning) {
  return BackoffDelay(attempt, tuning.retry_base_delay_ms, tuning.retry_max_delay_ms);
}

std::chrono::milliseconds BackoffDelay(int attempt, int base_delay_ms, int max_delay_ms) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  int64_t ceiling = base_delay_ms;
  for (int i = 1; i < attempt && ceiling < max_delay_ms; ++i) ceiling *= 2;
  ceiling = std::min<int64_t>(ceiling, max_delay_ms);
  std::uniform_int_distribution<int64_t> jitter(ceiling / 2, ceiling);
  return std::chrono::milliseconds(jitter(rng));
}

OutageClock::Clock::duration OutageClock::Failed() {
  Clock::rep now = Clock::now().time_since_epoch().count();
  Clock::rep since = kNone;
  if (since_.compare_exchange_strong(since, now, std::memory_order_relaxed)) return Clock::duration::zero();
  return Clock::duration(std::max<Clock::rep>(now - since, 0));
}

OutageClock::Clock::duration OutageClock::Duration() const {
  Clock::rep since = since_.load(std::memory_order_relaxed);
  if (since == kNone) return Clock::duration::zero();
  return Clock::duration(std::max<Clock::rep>(Clock::now().time_since_epoch().count() - since, 0));
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0)
    return std::chrono::milliseconds(seconds * 1000);
  time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when < 0) return std::nullopt;
  int64_t delay = static_cast<int64_t>(when) - static_cast<int64_t>(std::time(nullptr));
  return std::chrono::milliseconds(std::max<int64_t>(delay, 0) * 1000);
}

}  // namespace dlctl
