#include "util/clock.h"

#include <gtest/gtest.h>

namespace dlctl {
namespace {

using namespace std::chrono;

TimePoint At(int64_t epoch_ms) { return TimePoint(milliseconds(epoch_ms)); }

TEST(VersionFolderName, IsUtcWithZeroPadding) {
  // 2025-06-03T19:56:03.042Z
  EXPECT_EQ(VersionFolderName(At(1748980563042)), "2025_06_03/19_56_03_042");
  EXPECT_EQ(VersionFolderName(At(0)), "1970_01_01/00_00_00_000");
}

TEST(VersionFolderName, TruncatesMicrosecondsInsteadOfRounding) {
  TimePoint t = At(1748980563042) + microseconds(999);
  EXPECT_EQ(VersionFolderName(t), "2025_06_03/19_56_03_042");
}

TEST(VersionFolderName, RoundTripsThroughParse) {
  auto parsed = ParseVersionFolderName("2025_06_03/19_56_03_042");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, At(1748980563042));
}

TEST(ParseVersionFolderName, RejectsOtherNames) {
  for (const char* bad : {"2025_06_03", "2025_06_03/19_56_03", "2025_13_03/19_56_03_042", "2025-06-03/19_56_03_042",
                          "2025_06_03/19_56_03_04x", "manifest.json", "2025_06_03/19_56_03_0421"})
    EXPECT_FALSE(ParseVersionFolderName(bad)) << bad;
}

TEST(IsoTimestamp, HasMillisecondsAndZ) { EXPECT_EQ(IsoTimestamp(At(1748980563042)), "2025-06-03T19:56:03.042Z"); }

TEST(ParseIsoTimestamp, ReadsWhatS3WritesAndWhatIsoTimestampWrites) {
  EXPECT_EQ(ParseIsoTimestamp("2025-06-03T19:56:03.042Z"), At(1748980563042));
  EXPECT_EQ(ParseIsoTimestamp("2025-06-03T19:56:03Z"), At(1748980563000));
  EXPECT_EQ(ParseIsoTimestamp("2025-06-03T19:56:03.042917Z"), At(1748980563042));
  EXPECT_EQ(ParseIsoTimestamp(IsoTimestamp(At(1748980563042))), At(1748980563042));
  for (const char* bad : {"", "2025-06-03", "2025-06-03T19:56:03", "2025-06-03T19:56:03.Z", "2025-13-03T19:56:03Z",
                          "2025-06-03T19:56:03.042Zx"})
    EXPECT_FALSE(ParseIsoTimestamp(bad)) << bad;
}

}  // namespace
}  // namespace dlctl
