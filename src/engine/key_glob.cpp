#include "engine/key_glob.h"

#include <vector>

#include "duckdb/function/scalar/string_common.hpp"

namespace dlctl {

namespace {

constexpr std::string_view kGlobCharacters = "*?[";

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) return segments;
    start = slash + 1;
  }
}

bool MatchSegments(const std::vector<std::string_view>& key, size_t k, const std::vector<std::string_view>& pattern,
                   size_t p) {
  if (p == pattern.size()) return k == key.size();
  if (pattern[p] == "**") {
    for (size_t next = k; next <= key.size(); ++next)
      if (MatchSegments(key, next, pattern, p + 1)) return true;
    return false;
  }
  if (k == key.size()) return false;
  // DuckDB's own matcher (the one behind the GLOB operator) for one segment.
  return duckdb::Glob(key[k].data(), key[k].size(), pattern[p].data(), pattern[p].size()) &&
         MatchSegments(key, k + 1, pattern, p + 1);
}

}  // namespace

bool HasGlob(std::string_view pattern) { return pattern.find_first_of(kGlobCharacters) != std::string_view::npos; }

std::string_view LiteralPrefix(std::string_view pattern) {
  return pattern.substr(0, pattern.find_first_of(kGlobCharacters));
}

bool KeyMatchesGlob(std::string_view key, std::string_view pattern) {
  return MatchSegments(Segments(key), 0, Segments(pattern), 0);
}

}  // namespace dlctl
