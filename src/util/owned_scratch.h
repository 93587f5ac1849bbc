#pragma once
// Local scratch folders that name their process: "<parent>/<prefix><stamp>.<owner tag>". A command
// makes its own with OwnedScratchPath and, first, removes the ones of processes that died (what a
// kill -9 leaves behind); `dlctl tools gc` finds the rest with FindScratchFolders.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/clock.h"
#include "util/process_owner.h"

namespace dlctl {

std::filesystem::path OwnedScratchPath(const std::filesystem::path& parent, const std::string& prefix, TimePoint now);

struct ScratchFolderInfo {
  std::filesystem::path path;
  uint64_t bytes = 0;
  TimePoint last_activity;  // the newest change to anything in it
  Liveness owner = Liveness::kUnknown;  // unknown also for folders of dlctl versions before the tag
};

// Every folder in `parent` whose name starts with `prefix`.
std::vector<ScratchFolderInfo> FindScratchFolders(const std::filesystem::path& parent, const std::string& prefix);

// Removes the abandoned ones (IsAbandonedWork at `now`); best effort, failures are ignored.
void RemoveAbandonedScratch(const std::filesystem::path& parent, const std::string& prefix, TimePoint now);

}  // namespace dlctl
