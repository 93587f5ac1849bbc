#pragma once
// Who is doing a piece of work that leaves something behind if it dies (a staging folder, a
// backup's scratch copies, a version being written), recorded so that a later process can tell
// whether that work is still going on. A pid alone is not enough: pids are reused, and two
// containers sharing one LOCAL_DIR have pid namespaces of their own, so the owner is the pid,
// the process's start time (clock ticks since boot, /proc/<pid>/stat) and the host name.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.h"

namespace dlctl {

struct ProcessOwner {
  int64_t pid = 0;
  uint64_t start_ticks = 0;
  std::string host;
};

// This process.
const ProcessOwner& CurrentProcess();

// "<pid>-<start_ticks>-<host>": a tag to put in a file or folder name.
std::string OwnerTag(const ProcessOwner& owner);
// The owner a tag names; nullopt for anything else.
std::optional<ProcessOwner> ParseOwnerTag(std::string_view tag);

// Work whose owner nobody can check (another host, or no owner recorded) is taken as abandoned
// once it has shown no sign of life for this long.
inline constexpr std::chrono::hours kAbandonedAge{1};

enum class Liveness {
  kAlive,
  kDead,
  kUnknown,  // another host: nothing here can tell
};
Liveness CheckLiveness(const ProcessOwner& owner);

// Whether work is a leftover at `now`: its process is gone, or nobody can tell and it has shown no
// sign of life since `last_activity` for kAbandonedAge.
bool IsAbandonedWork(Liveness owner, TimePoint last_activity, TimePoint now);

}  // namespace dlctl
