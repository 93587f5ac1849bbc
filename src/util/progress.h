#pragma once
// Progress on stderr, drawn only when stderr is a terminal (never into a pipe or a file): one line
// redrawn in place at most ten times a second, cut to the terminal's width, erased when done.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace dlctl {

class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  ~ProgressLine();  // erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Shows `status` after the label. Thread-safe; drawn at once when `now`, else when the last
  // drawing is 100 ms old.
  void Update(const std::string& status, bool now = false);

  // Erases the line; a later Update draws it again.
  void Erase();

  bool shown() const { return enabled_; }

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex mutex_;
};

// A byte count with a bar, a percentage and a rate.
class ProgressBar {
 public:
  ProgressBar(std::string label, uint64_t total_bytes);

  // Thread-safe.
  void Advance(uint64_t bytes);

 private:
  ProgressLine line_;
  uint64_t total_;
  uint64_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

// " 25% [#####               ]"
std::string PercentBar(double fraction);

// "1.5 MiB"
std::string HumanBytes(uint64_t bytes);

}  // namespace dlctl
