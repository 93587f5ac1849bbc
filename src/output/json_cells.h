#pragma once
// Rows as JSON: each value with its real type, under names unique as DuckDB makes them.
#include <string>
#include <vector>

#include "output/query_result.h"

namespace dlctl {

// The JSON of row `r`'s value in column `c`: what the producer gave in result.json, else derived
// from the text and the column type (numbers and booleans bare, NaN and infinities null, the
// JSON type as it is, everything else a string).
std::string JsonOfCell(const QueryResult& result, size_t r, size_t c);

// The names with repeats renamed as DuckDB does: the second `a` (ignoring case) becomes `a_1`,
// the third `a_2`, skipping names already taken.
std::vector<std::string> UniqueColumnNames(const std::vector<std::string>& names);

}  // namespace dlctl
