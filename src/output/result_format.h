#pragma once
// Printing rows in the format a person or a program asked for: `--format table|csv|json|jsonl|
// markdown` on every command that prints rows.
#include <string>
#include <string_view>

#include "output/box_table.h"
#include "output/query_result.h"

namespace dlctl {

enum class ResultFormat {
  kTable,     // box-drawn like DuckDB's CLI, fitted to TableLimits
  kCsv,       // header line, RFC 4180 quoting, NULL as an empty field ("" for the empty string)
  kJson,      // an array of objects, one row per line; values with their types (json_cells.h)
  kJsonLines, // one object per line, nothing else
  kMarkdown,  // a GitHub-flavoured Markdown table
};

inline constexpr const char* kResultFormatNames = "table, csv, json, jsonl or markdown";

// A format by name; anything else is a UsageError.
ResultFormat ParseResultFormat(std::string_view name);

// The whole output, ending with a newline (empty when there are no columns: a statement that
// returns nothing).
std::string FormatResult(const QueryResult& result, ResultFormat format, const TableLimits& limits = {});

}  // namespace dlctl
