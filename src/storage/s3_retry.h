#pragma once
// When a failed S3 request is worth another attempt, and how long to wait before it. The
// status, curl-code and delay rules are plain HTTP: ingest's downloads use them too.
#include <atomic>
#include <limits>
#include <chrono>
#include <optional>
#include <string_view>

namespace dlctl {

struct S3Tuning;

// 5xx and 429 (SlowDown): the server may do better in a moment. Other 4xx never change.
bool IsRetryableStatus(long status);

// Codes S3 may put in the <Error> of a 200 answer (CompleteMultipartUpload, CopyObject).
bool IsRetryableErrorCode(std::string_view code);

// Timeouts and broken or refused connections; not our own callbacks' failures.
bool IsRetryableCurlCode(int curl_code);

// Exponential backoff with jitter before attempt `attempt + 1`: a random delay between half and
// all of base * 2^(attempt - 1), capped at tuning.retry_max_delay_ms.
std::chrono::milliseconds BackoffDelay(int attempt, const S3Tuning& tuning);
// The same with the base and cap given directly.
std::chrono::milliseconds BackoffDelay(int attempt, int base_delay_ms, int max_delay_ms);

// How long a store has been failing: from the first failed request after an answer to the
// latest, whichever threads sent them. The retry budget is spent on this, not per request, so
// when the server is gone every request (parts in flight, clean-up after the failure) gives up
// together instead of each waiting out a budget of its own.
class OutageClock {
 public:
  using Clock = std::chrono::steady_clock;
  // Records a failed attempt; returns how long the store has been failing (zero at the first).
  Clock::duration Failed();
  // The server answered: the outage, if any, is over.
  void Ended() { since_.store(kNone, std::memory_order_relaxed); }
  // How long the store has been failing; zero when it is not.
  Clock::duration Duration() const;

 private:
  static constexpr Clock::rep kNone = std::numeric_limits<Clock::rep>::min();
  std::atomic<Clock::rep> since_{kNone};  // ticks of Clock at the first failure
};

// A Retry-After header: delay-seconds or an HTTP date. nullopt when unreadable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value);

}  // namespace dlctl
