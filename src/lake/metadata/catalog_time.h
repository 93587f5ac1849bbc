#pragma once
// Times as DuckLake catalogs store them (TIMESTAMPTZ as text in SQLite) and as users type them.
#include <cstdint>
#include <optional>
#include <string>

#include "util/clock.h"

namespace dlctl::lake {

// "2026-11-25 14:21:18.293042+00": how the extension stores TIMESTAMPTZ values in SQLite.
std::string CatalogTimestamp(TimePoint time);
std::string CatalogTimestampNow();

// "2026-11-25 14:21:18.293042+00", "2026-11-25T14:21:18Z", "2026-11-25 14:21:18+02:00", or a date:
// microseconds since the epoch (UTC). nullopt when the text is no such time.
std::optional<int64_t> ParseUtcMicros(const std::string& text);

// An age such as "30s", "15m", "12h", "7d" or "2w" in microseconds; nullopt for anything else.
std::optional<int64_t> ParseAgeMicros(const std::string& text);

// The instant `text` names: a time (ParseUtcMicros) or an age before `now`. Throws UsageError.
int64_t ParseCutoffMicros(const std::string& text, TimePoint now);

}  // namespace dlctl::lake
