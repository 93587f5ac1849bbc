#include "engine/result_format.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace dlctl {

namespace {

constexpr std::string_view kNull = "NULL";

// Types whose values DuckDB prints as plain numbers ("DECIMAL(18,3)" included).
bool IsNumericType(std::string_view type) {
  static constexpr std::string_view kNumeric[] = {"TINYINT",  "SMALLINT",  "INTEGER",  "BIGINT",  "HUGEINT",
                                                  "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
                                                  "FLOAT",    "DOUBLE",    "DECIMAL"};
  std::string_view base = type.substr(0, type.find('('));
  return std::find(std::begin(kNumeric), std::end(kNumeric), base) != std::end(kNumeric);
}

// Terminal columns: UTF-8 continuation bytes take no room of their own.
size_t DisplayWidth(std::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A cell on one line: control characters would break the box.
std::string TableCell(const std::optional<std::string>& value) {
  if (!value) return std::string(kNull);
  std::string cell;
  for (char c : *value) {
    switch (c) {
      case '\n':
        cell += "\\n";
        break;
      case '\r':
        cell += "\\r";
        break;
      case '\t':
        cell += "\\t";
        break;
      default:
        cell += c;
    }
  }
  return cell;
}

enum class Align { kLeft, kCenter, kRight };

std::string Pad(const std::string& text, size_t width, Align align) {
  size_t room = width - DisplayWidth(text);
  size_t left = align == Align::kRight ? room : align == Align::kCenter ? room / 2 : 0;
  return std::string(left, ' ') + text + std::string(room - left, ' ');
}

std::string FormatTable(const QueryResult& result) {
  size_t columns = result.columns.size();
  std::vector<std::string> types;
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths(columns);
  for (size_t c = 0; c < columns; ++c) {
    types.push_back(Lowercase(result.types[c]));
    widths[c] = std::max(DisplayWidth(result.columns[c]), DisplayWidth(types[c]));
  }
  for (const auto& row : result.rows) {
    auto& line = cells.emplace_back();
    for (size_t c = 0; c < columns; ++c) {
      line.push_back(TableCell(row[c]));
      widths[c] = std::max(widths[c], DisplayWidth(line.back()));
    }
  }

  auto rule = [&](std::string_view left, std::string_view middle, std::string_view right) {
    std::string out(left);
    for (size_t c = 0; c < columns; ++c)
      out += Repeat("─", widths[c] + 2) + std::string(c + 1 < columns ? middle : right);
    return out + "\n";
  };
  auto line = [&](const std::vector<std::string>& values, auto align_of) {
    std::string out = "│";
    for (size_t c = 0; c < columns; ++c) out += " " + Pad(values[c], widths[c], align_of(c)) + " │";
    return out + "\n";
  };
  auto centered = [](size_t) { return Align::kCenter; };
  auto by_type = [&](size_t c) { return IsNumericType(result.types[c]) ? Align::kRight : Align::kLeft; };

  std::string out = rule("┌", "┬", "┐") + line(result.columns, centered) + line(types, centered) + rule("├", "┼", "┤");
  for (const auto& row : cells) out += line(row, by_type);
  return out + rule("└", "┴", "┘");
}

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

std::string JsonString(std::string_view text) {
  // Invalid UTF-8 (binary data) becomes U+FFFD instead of failing the whole output.
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JsonValue(const std::optional<std::string>& value, const std::string& type) {
  if (!value) return "null";
  if (type == "BOOLEAN") return *value == "true" ? "true" : "false";
  // DuckDB prints numbers as valid JSON numbers, except inf/nan (kept as strings). The text is
  // passed through, so HUGEINT and DECIMAL keep every digit.
  if ((IsNumericType(type) || type == "JSON") && nlohmann::json::accept(*value)) return *value;
  return JsonString(*value);
}

std::string FormatJson(const QueryResult& result) {
  if (result.rows.empty()) return "[]\n";
  std::vector<std::string> keys;
  for (const auto& name : result.columns) keys.push_back(JsonString(name));
  // Built by hand so the columns keep their order (and their names, even when repeated).
  std::string out = "[\n";
  for (size_t r = 0; r < result.rows.size(); ++r) {
    out += "  {";
    for (size_t c = 0; c < keys.size(); ++c)
      out += (c ? ", " : "") + keys[c] + ": " + JsonValue(result.rows[r][c], result.types[c]);
    out += r + 1 < result.rows.size() ? "},\n" : "}\n";
  }
  return out + "]\n";
}

}  // namespace

ResultFormat ParseResultFormat(std::string_view name) {
  if (name == "table") return ResultFormat::kTable;
  if (name == "csv") return ResultFormat::kCsv;
  if (name == "json") return ResultFormat::kJson;
  throw UsageError("unknown format '" + std::string(name) + "': use table, csv or json");
}

std::string FormatResult(const QueryResult& result, ResultFormat format) {
  if (result.columns.empty()) return "";
  switch (format) {
    case ResultFormat::kTable:
      return FormatTable(result);
    case ResultFormat::kCsv:
      return FormatCsv(result);
    case ResultFormat::kJson:
      return FormatJson(result);
  }
  return "";
}

}  // namespace dlctl
