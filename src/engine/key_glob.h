#pragma once
// Glob patterns over object keys, meaning what DuckDB's globs mean on local folders:
// '*', '?' and '[...]' match within one '/'-separated segment; a "**" segment spans any number
// of segments (including none). So "raw/foo/*" never matches "raw/foo_bar/x".
#include <string>
#include <string_view>

namespace dlctl {

bool HasGlob(std::string_view pattern);

// The part before the first glob character: every matching key starts with it.
std::string_view LiteralPrefix(std::string_view pattern);

bool KeyMatchesGlob(std::string_view key, std::string_view pattern);

}  // namespace dlctl
