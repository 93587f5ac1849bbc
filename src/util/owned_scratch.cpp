#include "util/owned_scratch.h"

#include <algorithm>

namespace dlctl {
namespace fs = std::filesystem;

namespace {

TimePoint ModifiedAt(const fs::directory_entry& entry) {
  std::error_code ec;
  auto time = entry.last_write_time(ec);
  return ec ? TimePoint{} : std::chrono::file_clock::to_sys(time);
}

}  // namespace

fs::path OwnedScratchPath(const fs::path& parent, const std::string& prefix, TimePoint now) {
  return parent / (prefix + FolderStamp(now) + "." + OwnerTag(CurrentProcess()));
}

std::vector<ScratchFolderInfo> FindScratchFolders(const fs::path& parent, const std::string& prefix) {
  std::vector<ScratchFolderInfo> found;
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::error_code entry_ec;
    if (name.rfind(prefix, 0) != 0 || !it->is_directory(entry_ec)) continue;
    ScratchFolderInfo info{it->path(), 0, ModifiedAt(*it), Liveness::kUnknown};
    std::error_code walk_ec;
    for (fs::recursive_directory_iterator file(it->path(), walk_ec), last; !walk_ec && file != last;
         file.increment(walk_ec)) {
      info.last_activity = std::max(info.last_activity, ModifiedAt(*file));
      std::error_code size_ec;
      if (file->is_regular_file(size_ec)) info.bytes += file->file_size(size_ec);
    }
    size_t dot = name.find('.', prefix.size());
    if (dot != std::string::npos)
      if (auto owner = ParseOwnerTag(name.substr(dot + 1))) info.owner = CheckLiveness(*owner);
    found.push_back(std::move(info));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return found;
}

void RemoveAbandonedScratch(const fs::path& parent, const std::string& prefix, TimePoint now) {
  for (const ScratchFolderInfo& folder : FindScratchFolders(parent, prefix)) {
    if (!IsAbandonedWork(folder.owner, folder.last_activity, now)) continue;
    std::error_code ec;
    fs::remove_all(folder.path, ec);
  }
}

}  // namespace dlctl
