#pragma once
// The column_statistics of `COPY ... TO ... (RETURN_STATS)` as the engine hands them over:
// DuckDB's text rendering of a MAP(VARCHAR, MAP(VARCHAR, VARCHAR)), e.g.
//   {'"id"'={column_size_bytes=37, max=3, min=1, null_count=0}, '"l"."element"'={...}}
// where a text is quoted ('...', with \' and \\ escapes) only when it needs to be.
#include <map>
#include <string>
#include <string_view>

namespace dlctl::lake {

// Column path ("id", "l"."element") -> statistic name -> value. Throws Error on other text.
using CopyStatistics = std::map<std::string, std::map<std::string, std::string>>;
CopyStatistics ParseCopyStatistics(std::string_view rendered);

}  // namespace dlctl::lake
