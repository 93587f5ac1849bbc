#include "util/clock.h"

#include <fmt/format.h>

#include <cstdio>
#include <ctime>

namespace dlctl {
namespace {

struct UtcParts {
  std::tm tm{};
  int millis = 0;
};

UtcParts Split(TimePoint t) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  auto secs = ms / 1000, rem = ms % 1000;
  if (rem < 0) rem += 1000, secs -= 1;  // truncate towards the past for pre-1970 times
  UtcParts parts;
  std::time_t tt = static_cast<std::time_t>(secs);
  gmtime_r(&tt, &parts.tm);
  parts.millis = static_cast<int>(rem);
  return parts;
}

}  // namespace

std::string VersionFolderName(TimePoint t) {
  UtcParts p = Split(t);
  return fmt::format("{:04}_{:02}_{:02}/{:02}_{:02}_{:02}_{:03}", p.tm.tm_year + 1900, p.tm.tm_mon + 1,
                     p.tm.tm_mday, p.tm.tm_hour, p.tm.tm_min, p.tm.tm_sec, p.millis);
}

std::string FolderStamp(TimePoint t) {
  std::string stamp = VersionFolderName(t);
  for (char& c : stamp)
    if (c == '/') c = 'T';
  return stamp;
}

std::optional<TimePoint> ParseVersionFolderName(const std::string& name) {
  int y, mo, d, h, mi, s, ms, consumed = 0;
  if (name.size() != 23 ||
      std::sscanf(name.c_str(), "%4d_%2d_%2d/%2d_%2d_%2d_%3d%n", &y, &mo, &d, &h, &mi, &s, &ms, &consumed) != 7 ||
      consumed != 23)
    return std::nullopt;
  for (char c : name)
    if (!(c == '_' || c == '/' || (c >= '0' && c <= '9'))) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s;
  std::time_t secs = timegm(&tm);
  return std::chrono::system_clock::from_time_t(secs) + std::chrono::milliseconds(ms);
}

std::string IsoTimestamp(TimePoint t) {
  UtcParts p = Split(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", p.tm.tm_year + 1900, p.tm.tm_mon + 1,
                     p.tm.tm_mday, p.tm.tm_hour, p.tm.tm_min, p.tm.tm_sec, p.millis);
}

std::optional<TimePoint> ParseIsoTimestamp(const std::string& text) {
  int y, mo, d, h, mi, s, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 ||
      consumed != 19)
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  size_t at = 19;
  int millis = 0, digits = 0;
  if (at < text.size() && text[at] == '.') {
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits)
      if (digits < 3) millis = millis * 10 + (text[at] - '0');
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  if (at + 1 != text.size() || text[at] != 'Z') return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
}

}  // namespace dlctl
