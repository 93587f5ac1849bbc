#pragma once
// Naming a backup. A backup's id is its UTC time, "2025-06-03T19:56:03.123Z", the same moment
// its folder backups/catalog/2025_06_03/19_56_03_123 names. `restore --source` takes either form.
#include <string>

#include "util/clock.h"

namespace dlctl {

// The moments a --source text names, [from, to):
//   "2025_06_03/19_56_03_123" (or a key or URI ending with it): that millisecond;
//   "2025-06-03T19:56:03.123" (1 to 6 fraction digits, truncated to milliseconds): that millisecond;
//   "2025-06-03T19:56:03": that whole second.
// 'T' or a space between date and time; a trailing 'Z' or +HH:MM / -HH:MM offset is allowed (no
// suffix means UTC). Anything else is a UsageError.
struct BackupTimeRange {
  TimePoint from;
  TimePoint to;
  bool Contains(TimePoint t) const { return from <= t && t < to; }
};
BackupTimeRange ParseBackupSource(const std::string& text);

}  // namespace dlctl
