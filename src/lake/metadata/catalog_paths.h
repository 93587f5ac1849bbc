#pragma once
// How DuckLake catalogs store paths (spec notes §4): each relative to its parent (data path →
// schema → table → file) when path_is_relative, else absolute. Folders end with '/'.
#include <string>

namespace dlctl::lake {

inline std::string WithSlash(std::string path) {
  if (!path.empty() && path.back() != '/') path += '/';
  return path;
}

// A path stored relative to its parent (path_is_relative) or absolute.
inline std::string ResolvePath(const std::string& parent, const std::string& path, bool relative) {
  if (!relative) return path;
  std::string resolved;
  resolved.reserve(parent.size() + path.size());
  return resolved.append(parent).append(path);
}

}  // namespace dlctl::lake
