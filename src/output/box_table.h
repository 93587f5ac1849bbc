#pragma once
// The table format: a box drawn the way DuckDB's CLI draws results (names and types on top,
// numbers right-aligned, NULL shown), fitted to a width and a number of rows: long values are cut
// with "…", columns that do not fit are left out from the middle, long results show their first
// and last rows, and a footer says what was left out. EXPLAIN plans print as the plans they are.
// Our own rather than DuckDB's BoxRenderer: listing commands draw tables without loading DuckDB,
// and graph (Kùzu) results go through the same code.
#include <cstddef>
#include <string>

#include "output/query_result.h"

namespace dlctl {

struct TableLimits {
  size_t max_rows = 40;   // rows drawn (the first and the last half); 0: every row
  size_t max_width = 0;   // columns of text a line may take; 0: no limit
};

std::string RenderBoxTable(const QueryResult& result, const TableLimits& limits);

// A type as the table's header shows it: "int64" for BIGINT, "varchar[]" for VARCHAR[], ...
std::string TableTypeName(const std::string& type);

// Whether values of this type are numbers (drawn right-aligned, printed bare in JSON).
bool IsNumericType(const std::string& type);

}  // namespace dlctl
