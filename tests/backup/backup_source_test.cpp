// The --source forms of `dlctl backup restore`.
#include <gtest/gtest.h>

#include "backup/backup_source.h"
#include "util/error.h"

namespace dlctl {
namespace {

std::string Range(const std::string& text) {
  BackupTimeRange range = ParseBackupSource(text);
  auto width = std::chrono::duration_cast<std::chrono::milliseconds>(range.to - range.from).count();
  return IsoTimestamp(range.from) + " +" + std::to_string(width) + "ms";
}

TEST(BackupSource, IsoFormsNameAMillisecondOrAWholeSecond) {
  EXPECT_EQ(Range("2025-06-03T19:56:03.123"), "2025-06-03T19:56:03.123Z +1ms");
  EXPECT_EQ(Range("2025-06-03T19:56:03.123Z"), "2025-06-03T19:56:03.123Z +1ms");
  EXPECT_EQ(Range("2025-06-03 19:56:03.5"), "2025-06-03T19:56:03.500Z +1ms");
  EXPECT_EQ(Range("2025-06-03T19:56:03.000999"), "2025-06-03T19:56:03.000Z +1ms");  // truncated, never rounded
  EXPECT_EQ(Range("2025-06-03T19:56:03"), "2025-06-03T19:56:03.000Z +1000ms");
  EXPECT_EQ(Range("2025-06-03T19:56:03z"), "2025-06-03T19:56:03.000Z +1000ms");
  EXPECT_EQ(Range("2025-06-03T21:56:03.042+02:00"), "2025-06-03T19:56:03.042Z +1ms");
  EXPECT_EQ(Range("2025-06-03T00:30:00-01:30"), "2025-06-03T02:00:00.000Z +1000ms");
}

TEST(BackupSource, FolderFormsNameAMillisecond) {
  EXPECT_EQ(Range("2025_06_03/19_56_03_123"), "2025-06-03T19:56:03.123Z +1ms");
  EXPECT_EQ(Range("backups/catalog/2025_06_03/19_56_03_123/"), "2025-06-03T19:56:03.123Z +1ms");
  EXPECT_EQ(Range("s3://lakehouse/backups/catalog/2025_06_03/19_56_03_123"), "2025-06-03T19:56:03.123Z +1ms");
}

TEST(BackupSource, AnythingElseIsAUsageError) {
  for (const char* text : {"", "latest", "2025-06-03", "2025-06-03T19:56", "2025-06-03T19:56:03.", "2025-06-03T19:56:03.1234567",
                           "2025-13-03T19:56:03", "2025-06-03T19:56:03+2", "2025-06-03T19:56:03.123 ", "2025_06_03",
                           "2025_06_03/19_56_03", "19_56_03_123"}) {
    EXPECT_THROW(ParseBackupSource(text), UsageError) << text;
  }
}

}  // namespace
}  // namespace dlctl
