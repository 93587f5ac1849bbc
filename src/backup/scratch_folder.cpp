#include "backup/scratch_folder.h"

#include "util/error.h"

namespace dlctl {

ScratchFolder::ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);
  if (ec) throw Error("cannot create folder " + path_.string() + ": " + ec.message());
}

ScratchFolder::~ScratchFolder() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string FolderStamp(TimePoint t) {
  std::string stamp = VersionFolderName(t);
  for (char& c : stamp)
    if (c == '/') c = 'T';
  return stamp;
}

}  // namespace dlctl
