#include "backup/backup_source.h"

#include <cctype>
#include <ctime>
#include <optional>

#include "util/error.h"

namespace dlctl {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Reads exactly `count` digits at `at`.
std::optional<int> Digits(const std::string& s, size_t& at, size_t count) {
  if (at + count > s.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = s[at + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  at += count;
  return value;
}

bool Expect(const std::string& s, size_t& at, const std::string& choices) {
  if (at >= s.size() || choices.find(s[at]) == std::string::npos) return false;
  ++at;
  return true;
}

std::optional<BackupTimeRange> ParseIso(const std::string& s) {
  size_t at = 0;
  auto year = Digits(s, at, 4);
  if (!year || !Expect(s, at, "-")) return std::nullopt;
  auto month = Digits(s, at, 2);
  if (!month || !Expect(s, at, "-")) return std::nullopt;
  auto day = Digits(s, at, 2);
  if (!day || !Expect(s, at, "T ")) return std::nullopt;
  auto hour = Digits(s, at, 2);
  if (!hour || !Expect(s, at, ":")) return std::nullopt;
  auto minute = Digits(s, at, 2);
  if (!minute || !Expect(s, at, ":")) return std::nullopt;
  auto second = Digits(s, at, 2);
  if (!second) return std::nullopt;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60)
    return std::nullopt;

  std::optional<int> millis;  // nullopt: the whole second
  if (at < s.size() && s[at] == '.') {
    ++at;
    size_t start = at;
    int value = 0;
    while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at]))) {
      if (at - start < 3) value = value * 10 + (s[at] - '0');
      ++at;
    }
    size_t count = at - start;
    if (count < 1 || count > 6) return std::nullopt;
    for (size_t i = count; i < 3; ++i) value *= 10;
    millis = value;
  }

  seconds offset{0};
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int sign = s[at++] == '-' ? -1 : 1;
    auto offset_hours = Digits(s, at, 2);
    if (!offset_hours || !Expect(s, at, ":")) return std::nullopt;
    auto offset_minutes = Digits(s, at, 2);
    if (!offset_minutes || *offset_hours > 23 || *offset_minutes > 59) return std::nullopt;
    offset = seconds(sign * (*offset_hours * 3600 + *offset_minutes * 60));
  }
  if (at != s.size()) return std::nullopt;

  std::tm tm{};
  tm.tm_year = *year - 1900, tm.tm_mon = *month - 1, tm.tm_mday = *day;
  tm.tm_hour = *hour, tm.tm_min = *minute, tm.tm_sec = *second;
  TimePoint start = std::chrono::system_clock::from_time_t(timegm(&tm)) - offset;
  if (!millis) return BackupTimeRange{start, start + seconds(1)};
  start += milliseconds(*millis);
  return BackupTimeRange{start, start + milliseconds(1)};
}

// The last two segments of "backups/catalog/2025_06_03/19_56_03_123/" or of the bare folder.
std::optional<BackupTimeRange> ParseFolder(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  size_t last = s.rfind('/');
  if (last == std::string::npos || last == 0) return std::nullopt;
  size_t before = s.rfind('/', last - 1);
  auto t = ParseVersionFolderName(before == std::string::npos ? s : s.substr(before + 1));
  if (!t) return std::nullopt;
  return BackupTimeRange{*t, *t + milliseconds(1)};
}

}  // namespace

BackupTimeRange ParseBackupSource(const std::string& text) {
  if (auto range = ParseIso(text)) return *range;
  if (auto range = ParseFolder(text)) return *range;
  throw UsageError("--source wants a backup id like 2025-06-03T19:56:03.123 (milliseconds and a Z optional) or "
                   "a backup folder like 2025_06_03/19_56_03_123 (got '" + text + "')");
}

}  // namespace dlctl
