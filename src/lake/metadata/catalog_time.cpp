#include "lake/metadata/catalog_time.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "util/error.h"

namespace dlctl::lake {

std::string CatalogTimestamp(TimePoint time) {
  using namespace std::chrono;
  auto us = duration_cast<microseconds>(time.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, us % 1000000);
}

std::string CatalogTimestampNow() { return CatalogTimestamp(std::chrono::system_clock::now()); }

std::optional<int64_t> ParseUtcMicros(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &used) != 3) return std::nullopt;
  size_t pos = static_cast<size_t>(used);
  if (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) {
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d:%2d%n", &hour, &minute, &second, &used) != 3) return std::nullopt;
    pos += 1 + static_cast<size_t>(used);
  }
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    int digits = 0;
    for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos, ++digits)
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
    for (; digits < 6; ++digits) micros *= 10;
  }
  int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    int offset_hours = 0, offset_mins = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d%n", &offset_hours, &used) != 1) return std::nullopt;
    pos += 1 + static_cast<size_t>(used);
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (pos < text.size() && std::sscanf(text.c_str() + pos, "%2d%n", &offset_mins, &used) == 1)
      pos += static_cast<size_t>(used);
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  }
  if (pos != text.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  // Days from civil (H. Hinnant's algorithm).
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int year_of_era = y - era * 400;
  int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  int64_t days = static_cast<int64_t>(era) * 146097 + day_of_era - 719468;
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000000 + micros;
}

std::optional<int64_t> ParseAgeMicros(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  int64_t count = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])) || count > 1000000000) return std::nullopt;
    count = count * 10 + (text[i] - '0');
  }
  int64_t unit_seconds = 0;
  switch (text.back()) {
    case 's': unit_seconds = 1; break;
    case 'm': unit_seconds = 60; break;
    case 'h': unit_seconds = 3600; break;
    case 'd': unit_seconds = 86400; break;
    case 'w': unit_seconds = 7 * 86400; break;
    default: return std::nullopt;
  }
  return count * unit_seconds * 1000000;
}

int64_t ParseCutoffMicros(const std::string& text, TimePoint now) {
  if (auto age = ParseAgeMicros(text)) {
    auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
    return now_us - *age;
  }
  if (auto time = ParseUtcMicros(text)) return *time;
  throw UsageError("cannot read '" + text + "' as an age (30s, 15m, 12h, 7d, 2w) or a UTC time (YYYY-MM-DD HH:MM:SS)");
}

}  // namespace dlctl::lake
