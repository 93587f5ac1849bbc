#pragma once
// The one output choice of every command that prints rows: --format table|csv|json|jsonl|markdown
// (--json its alias), and for tables --max-rows and --max-width.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "output/result_format.h"

namespace dlctl {

struct OutputOptions {
  std::string format = "table";
  bool json = false;
  size_t max_rows = 40;
  std::optional<size_t> max_width;  // default: the terminal's width; no limit when not a terminal

  ResultFormat Format() const;
  TableLimits Limits() const;
};

void AddOutputOptions(CLI::App* command, OutputOptions& options);

// Prints the rows in the chosen format.
void PrintRows(const QueryResult& rows, const OutputOptions& options);

// For listings whose JSON is a document of its own (datasets holding versions holding files):
// json prints `document`, jsonl each of its elements on a line, the other formats `rows`.
void PrintListing(const QueryResult& rows, const nlohmann::json& document, const OutputOptions& options);

}  // namespace dlctl
