#pragma once
// UTC timestamps in the forms dlctl writes into keys and manifests.
#include <chrono>
#include <optional>
#include <string>

namespace dlctl {

using TimePoint = std::chrono::system_clock::time_point;

// "YYYY_MM_DD/HH_mm_SS_sss" in UTC, milliseconds truncated (never rounded).
std::string VersionFolderName(TimePoint t);

// "2025_06_03T19_56_03_123": a version folder name as one path segment, for scratch and kept-aside
// folders.
std::string FolderStamp(TimePoint t);

// Parses a version folder name back; nullopt when it is not one.
std::optional<TimePoint> ParseVersionFolderName(const std::string& name);

// "YYYY-MM-DDTHH:MM:SS.sssZ" in UTC.
std::string IsoTimestamp(TimePoint t);
// Parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (as S3 writes times), milliseconds kept; nullopt otherwise.
std::optional<TimePoint> ParseIsoTimestamp(const std::string& text);

// Seconds elapsed on the steady clock since `start`, for timings in reports.
inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace dlctl
