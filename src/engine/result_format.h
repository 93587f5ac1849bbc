#pragma once
// Printing a QueryResult for `dlctl query --format table|csv|json`.
#include <string>
#include <string_view>

#include "engine/engine.h"

namespace dlctl {

enum class ResultFormat {
  kTable,  // box-drawn like DuckDB's CLI: names and types on top, numbers right-aligned, NULL shown
  kCsv,    // header line, RFC 4180 quoting, NULL as an empty field ("" for the empty string)
  kJson,   // an array of objects; numbers, booleans and NULL as JSON values
};

// "table", "csv" or "json"; anything else is a UsageError.
ResultFormat ParseResultFormat(std::string_view name);

// The whole output, ending with a newline (empty when the statement returns no columns).
std::string FormatResult(const QueryResult& result, ResultFormat format);

}  // namespace dlctl
