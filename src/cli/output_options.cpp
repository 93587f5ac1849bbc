#include "cli/output_options.h"

#include <unistd.h>

#include <cstdio>

#include "util/terminal.h"

namespace dlctl {
namespace {

void Write(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

ResultFormat OutputOptions::Format() const { return json ? ResultFormat::kJson : ParseResultFormat(format); }

TableLimits OutputOptions::Limits() const {
  return TableLimits{max_rows, max_width ? *max_width : TerminalColumns(STDOUT_FILENO)};
}

void AddOutputOptions(CLI::App* command, OutputOptions& options) {
  auto* format = command->add_option("-f,--format", options.format, std::string(kResultFormatNames))
                     ->check(CLI::IsMember({"table", "csv", "json", "jsonl", "markdown"}))
                     ->capture_default_str();
  command->add_flag("--json", options.json, "the same as --format json")->excludes(format);
  command->add_option("--max-rows", options.max_rows, "table: rows shown, the first and the last half (0: all)")
      ->capture_default_str();
  command->add_option("--max-width", options.max_width,
                      "table: width in columns (default: the terminal's; 0: no limit)");
}

void PrintRows(const QueryResult& rows, const OutputOptions& options) {
  Write(FormatResult(rows, options.Format(), options.Limits()));
}

void PrintListing(const QueryResult& rows, const nlohmann::json& document, const OutputOptions& options) {
  switch (options.Format()) {
    case ResultFormat::kJson:
      Write(document.dump(2) + "\n");
      return;
    case ResultFormat::kJsonLines:
      for (const auto& element : document) Write(element.dump() + "\n");
      return;
    default:
      PrintRows(rows, options);
  }
}

}  // namespace dlctl
