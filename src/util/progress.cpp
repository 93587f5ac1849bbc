#include "util/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "util/display_width.h"
#include "util/terminal.h"

namespace dlctl {
namespace {

constexpr const char* kEraseLine = "\r\x1b[K";

}  // namespace

std::string HumanBytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) value /= 1024, ++unit;
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, units[unit]);
}

ProgressLine::ProgressLine(std::string label) : label_(std::move(label)), enabled_(IsTerminal(STDERR_FILENO)) {}

ProgressLine::~ProgressLine() { Erase(); }

void ProgressLine::Erase() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!drawn_) return;
  std::fputs(kEraseLine, stderr);
  std::fflush(stderr);
  drawn_ = false;
}

void ProgressLine::Update(const std::string& status, bool now) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto time = std::chrono::steady_clock::now();
  if (drawn_ && !now && time - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = time;
  // One column short of the width: a full line would make the terminal wrap. The status matters
  // more than the label: the label is cut first.
  size_t columns = TerminalColumns(STDERR_FILENO);
  size_t room = columns > 1 ? columns - 1 : 1;
  size_t status_width = DisplayWidth(status);
  size_t label_room = std::max<size_t>(status_width + 1 < room ? room - status_width - 1 : 0, 8);
  std::string line = TruncateToWidth(TruncateToWidth(label_, label_room) + " " + status, room);
  std::fputs((kEraseLine + line).c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

std::string PercentBar(double fraction) {
  constexpr int kWidth = 20;
  fraction = std::clamp(fraction, 0.0, 1.0);
  int filled = static_cast<int>(fraction * kWidth);
  return fmt::format("{:3.0f}% [{}{}]", fraction * 100, std::string(filled, '#'), std::string(kWidth - filled, ' '));
}

ProgressBar::ProgressBar(std::string label, uint64_t total_bytes)
    : line_(std::move(label)), total_(total_bytes), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::Advance(uint64_t bytes) {
  if (!line_.shown()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += bytes;
  double fraction = total_ ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  line_.Update(fmt::format("{} {} / {} {}/s", PercentBar(fraction), HumanBytes(done_), HumanBytes(total_),
                           HumanBytes(static_cast<uint64_t>(rate))),
               done_ >= total_);
}

}  // namespace dlctl
