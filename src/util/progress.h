#pragma once
// A byte-count progress bar on stderr, drawn only when stderr is a terminal.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace dlctl {

class ProgressBar {
 public:
  ProgressBar(std::string label, uint64_t total_bytes);
  ~ProgressBar();  // finishes the line if anything was drawn

  // Thread-safe; redraws at most ten times a second.
  void Advance(uint64_t bytes);

 private:
  void Draw(bool final);

  std::string label_;
  uint64_t total_;
  uint64_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex mutex_;
};

// "1.5 MiB"
std::string HumanBytes(uint64_t bytes);

}  // namespace dlctl
