#pragma once
// Waiting for a file another process holds locked (the engine database while another dlctl
// process writes to it, a SQLite catalog while another commits): bounded, and saying so once
// on stderr when the wait has lasted a second, so a person sees why nothing happens.
#include <chrono>
#include <string>

#include "util/error.h"

namespace dlctl {

// Another process held a file for longer than the wait allowed.
class LockTimeoutError : public Error {
 public:
  explicit LockTimeoutError(const std::string& message) : Error(message) {}
};

class LockWait {
 public:
  // `file`: what is waited for, as the message names it; `limit`: the longest wait; `holder`:
  // who holds it, as far as is known.
  LockWait(std::string file, std::chrono::milliseconds limit, std::string holder = "another process");

  // Starts a new wait (the clock of `limit` restarts; the message is still said only once).
  void Restart();

  // After a failed attempt: sleeps a moment (growing to 100 ms) and returns true, or returns
  // false once the wait has lasted `limit`. `detail` tells more of the holder when known
  // ("dlctl, PID 1234").
  bool Retry(const std::string& detail = "");

  // "<file> is still held by another process (dlctl, PID 1234) after 120 s (LOCK_WAIT_SECONDS)"
  std::string TimeoutMessage(const std::string& detail = "") const;

 private:
  std::string Holder(const std::string& detail) const;

  std::string file_;
  std::chrono::milliseconds limit_;
  std::string holder_;
  std::chrono::steady_clock::time_point start_;
  int attempts_ = 0;
  bool said_ = false;
};

// Who holds a POSIX lock on `path` that a write lock would conflict with: "dlctl, PID 1234"
// (the program's name from /proc), or "" when nobody does or it cannot be told. Must not be
// called while this process holds a lock on `path` (closing the probe would drop it).
std::string LockHolder(const std::string& path);

}  // namespace dlctl
