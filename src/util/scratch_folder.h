#pragma once
// A local folder to work in: created up front, removed however the work ends. Header-only, so the
// Kùzu module (which links none of dlctl's libraries) can use it too.
#include <filesystem>
#include <system_error>

#include "util/error.h"

namespace dlctl {

class ScratchFolder {
 public:
  explicit ScratchFolder(std::filesystem::path path) : path_(std::move(path)) {
    std::error_code ec;
    std::filesystem::create_directories(path_, ec);
    if (ec) throw Error("cannot create folder " + path_.string() + ": " + ec.message());
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace dlctl
