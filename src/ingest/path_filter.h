#pragma once
// --include / --exclude globs on a dataset's file paths.
#include <string>
#include <vector>

namespace dlctl {

// Globs as huggingface_hub's allow/ignore patterns: fnmatch(3) on the '/'-separated path, where
// '*' also crosses '/', and a pattern ending in '/' means everything under that folder.
class PathFilter {
 public:
  PathFilter(std::vector<std::string> include, std::vector<std::string> exclude);

  // True when the path matches an include (or there are none) and no exclude.
  bool Selects(const std::string& path) const;
  bool empty() const { return include_.empty() && exclude_.empty(); }

 private:
  std::vector<std::string> include_, exclude_;
};

}  // namespace dlctl
