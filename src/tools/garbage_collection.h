#pragma once
// `dlctl tools gc`: removes what processes that died (a kill -9, a lost machine) left behind:
//   - uploads never finished: LocalStore's staging files, S3 multipart uploads;
//   - scratch folders: a backup's copies (LOCAL_DIR/.backup-*), a restore's downloads
//     (.<LOCAL_DIR's name>.restore-* beside it);
//   - incomplete raw, export and backup versions (versioned_datasets.h), and .writing marks left
//     beside finished versions;
//   - orphan data files of every catalog (what `lake cleanup` removes as orphans), nothing expiry
//     scheduled.
// Anything whose process is alive on this host is left alone; anything whose owner cannot be
// checked is taken once it has shown no sign of life for an hour (kAbandonedAge), the age `lake
// cleanup` gives orphans by default.
#include <cstdint>
#include <string>
#include <vector>

#include "config/settings.h"
#include "storage/object_store.h"
#include "util/clock.h"

namespace dlctl {

struct GarbageItem {
  std::string kind;  // "upload", "scratch", "version", "mark", "orphan"
  std::string what;  // a path or URI
  std::string note;  // why, or whose, where it helps: "incomplete", "catalog stage"
  uint64_t bytes = 0;
};

struct GarbageReport {
  std::vector<GarbageItem> removed;   // or, with dry_run, what would be
  std::vector<std::string> failures;  // what could not be looked at (a damaged catalog), one line each
};

// Every part runs even when another fails; their failures are in the report.
GarbageReport CollectGarbage(const Settings& settings, ObjectStore& store, bool dry_run, TimePoint now);

}  // namespace dlctl
