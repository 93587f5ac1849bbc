#pragma once
// How many terminal columns UTF-8 text takes: wide (East Asian) characters take two, combining
// marks none, as the terminal draws them (glibc's wcwidth in C.UTF-8).
#include <cstddef>
#include <string>
#include <string_view>

namespace dlctl {

size_t DisplayWidth(std::string_view text);

// `text` cut to at most `width` columns, ending with "…" when anything was cut.
std::string TruncateToWidth(std::string_view text, size_t width);

}  // namespace dlctl
