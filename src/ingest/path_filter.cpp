#include "ingest/path_filter.h"

#include <fnmatch.h>

namespace dlctl {
namespace {

std::vector<std::string> Normalized(std::vector<std::string> patterns) {
  for (auto& p : patterns)
    if (!p.empty() && p.back() == '/') p += '*';
  return patterns;
}

bool MatchesAny(const std::vector<std::string>& patterns, const std::string& path) {
  for (const auto& p : patterns)
    if (fnmatch(p.c_str(), path.c_str(), 0) == 0) return true;
  return false;
}

}  // namespace

PathFilter::PathFilter(std::vector<std::string> include, std::vector<std::string> exclude)
    : include_(Normalized(std::move(include))), exclude_(Normalized(std::move(exclude))) {}

bool PathFilter::Selects(const std::string& path) const {
  return (include_.empty() || MatchesAny(include_, path)) && !MatchesAny(exclude_, path);
}

}  // namespace dlctl
