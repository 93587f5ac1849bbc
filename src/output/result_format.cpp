#include "output/result_format.h"

#include "output/json_cells.h"
#include "output/json_text.h"
#include "util/error.h"

namespace dlctl {
namespace {

std::string CsvField(const std::optional<std::string>& value) {
  if (!value) return "";
  if (!value->empty() && value->find_first_of(",\"\r\n") == std::string::npos) return *value;
  std::string quoted = "\"";
  for (char c : *value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string FormatCsv(const QueryResult& result) {
  auto line = [](const auto& fields) {
    std::string out;
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvField(fields[i]);
    return out + "\n";
  };
  std::string out = line(result.columns);
  for (const auto& row : result.rows) out += line(row);
  return out;
}

// Built by hand so the columns keep their order.
std::string JsonObject(const QueryResult& result, const std::vector<std::string>& keys, size_t r) {
  std::string out = "{";
  for (size_t c = 0; c < keys.size(); ++c) out += (c ? ", " : "") + keys[c] + ": " + JsonOfCell(result, r, c);
  return out + "}";
}

std::vector<std::string> JsonKeys(const QueryResult& result) {
  std::vector<std::string> keys;
  for (const auto& name : UniqueColumnNames(result.columns)) keys.push_back(JsonString(name));
  return keys;
}

std::string FormatJson(const QueryResult& result) {
  if (result.rows.empty()) return "[]\n";
  std::vector<std::string> keys = JsonKeys(result);
  std::string out = "[\n";
  for (size_t r = 0; r < result.rows.size(); ++r)
    out += "  " + JsonObject(result, keys, r) + (r + 1 < result.rows.size() ? ",\n" : "\n");
  return out + "]\n";
}

std::string FormatJsonLines(const QueryResult& result) {
  std::vector<std::string> keys = JsonKeys(result);
  std::string out;
  for (size_t r = 0; r < result.rows.size(); ++r) out += JsonObject(result, keys, r) + "\n";
  return out;
}

std::string MarkdownCell(const std::optional<std::string>& value) {
  if (!value) return "NULL";
  std::string cell;
  for (char c : *value) {
    if (c == '|')
      cell += "\\|";
    else if (c == '\n')
      cell += "<br>";
    else if (c != '\r')
      cell += c;
  }
  return cell;
}

std::string FormatMarkdown(const QueryResult& result) {
  std::string names = "|", rule = "|";
  for (size_t c = 0; c < result.columns.size(); ++c) {
    names += " " + MarkdownCell(result.columns[c]) + " |";
    rule += IsNumericType(result.types[c]) ? "---:|" : "---|";
  }
  std::string out = names + "\n" + rule + "\n";
  for (const auto& row : result.rows) {
    out += "|";
    for (const auto& value : row) out += " " + MarkdownCell(value) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace

ResultFormat ParseResultFormat(std::string_view name) {
  if (name == "table") return ResultFormat::kTable;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "json") return ResultFormat::kJson;
  if (name == "jsonl") return ResultFormat::kJsonLines;
  if (name == "markdown") return ResultFormat::kMarkdown;
  throw UsageError("unknown format '" + std::string(name) + "': use " + kResultFormatNames);
}

std::string FormatResult(const QueryResult& result, ResultFormat format, const TableLimits& limits) {
  if (result.columns.empty()) return "";
  switch (format) {
    case ResultFormat::kTable:
      return RenderBoxTable(result, limits);
    case ResultFormat::kCsv:
      return FormatCsv(result);
    case ResultFormat::kJson:
      return FormatJson(result);
    case ResultFormat::kJsonLines:
      return FormatJsonLines(result);
    case ResultFormat::kMarkdown:
      return FormatMarkdown(result);
  }
  return "";
}

}  // namespace dlctl
