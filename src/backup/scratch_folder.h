#pragma once
// Local folders a backup or restore works in: created up front, removed however it ends.
#include <filesystem>
#include <string>

#include "util/clock.h"

namespace dlctl {

class ScratchFolder {
 public:
  explicit ScratchFolder(std::filesystem::path path);
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// "2025_06_03T19_56_03_123": a time as one path segment, for scratch and kept-aside folders.
std::string FolderStamp(TimePoint t);

}  // namespace dlctl
