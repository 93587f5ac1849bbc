#pragma once
// JSON text pieces, header-only so the graph module (libdlctl_kuzu.so) writes the same JSON.
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace dlctl {

// A JSON string; invalid UTF-8 (binary data) becomes U+FFFD instead of failing the output.
inline std::string JsonString(std::string_view text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A JSON number with the shortest text that reads back as `value`; NaN and infinities, which
// JSON cannot hold, are null.
inline std::string JsonNumber(double value) { return std::isfinite(value) ? fmt::format("{}", value) : "null"; }
inline std::string JsonNumber(float value) { return std::isfinite(value) ? fmt::format("{}", value) : "null"; }

}  // namespace dlctl
