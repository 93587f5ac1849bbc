#pragma once
// DuckDB values as dlctl prints them: as text (what the table and CSV show) and as JSON with
// their real types. Engine-internal: includes DuckDB.
#include <string>

#include "duckdb.hpp"

namespace dlctl {

// The value as DuckDB's CLI shows it; TIMESTAMPTZ in the session's time zone (the TZ of the
// process, as DuckDB's ICU sets it), not in UTC.
std::string ValueText(const duckdb::Value& value, duckdb::ClientContext& context);

// The value as JSON: numbers and booleans bare (every digit kept), NaN and infinities null,
// lists and arrays arrays, structs objects, maps objects when their keys are strings (else arrays
// of {"key", "value"}), unions their member's value, JSON as it is, blobs base64, everything
// else (dates, times, intervals, UUIDs, ...) its text as a string.
std::string ValueJson(const duckdb::Value& value, duckdb::ClientContext& context);

}  // namespace dlctl
