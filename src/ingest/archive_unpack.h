#pragma once
// Unpacks downloaded archives safely.
#include <cstdint>
#include <filesystem>

namespace dlctl {

// Unpacks an archive (zip, tar, tar.gz, ... whatever libarchive reads) into `target`, streaming
// entry by entry, with the archive's folder structure. Entries that would land outside `target`
// are refused with an Error naming them: absolute paths, ".." parts, symlinks and hard links
// whose target leaves it, devices and other special files. Returns the number of files.
uint64_t UnpackArchive(const std::filesystem::path& archive, const std::filesystem::path& target);

}  // namespace dlctl
