#pragma once
// SHA-256 of files, as lower-case hex: what backup manifests record and restore verifies.
#include <filesystem>
#include <string>

namespace dlctl {

std::string Sha256OfFile(const std::filesystem::path& path);

}  // namespace dlctl
