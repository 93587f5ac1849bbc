#pragma once
// Query results printed the way the fixture lakes' expected/ files were printed.
#include <optional>
#include <string>

#include "engine/engine.h"

namespace dlctl::lake {

// One field the way the DuckDB 1.5 CLI's -csv mode (which wrote expected/) prints it: NULL as
// NULL; quoted (with "" for ") when it holds the separator, a double or single quote, a control
// character or a byte outside ASCII -- the SQLite shell's rule minus the space. DuckDB's own COPY
// ... TO (FORMAT csv) quotes less (not "wörld 'quoted'"), so it cannot reproduce these files.
inline std::string CliCsvField(const std::optional<std::string>& value) {
  if (!value) return "NULL";
  bool quote = false;
  for (unsigned char c : *value) quote = quote || c < 0x20 || c >= 0x7f || c == ',' || c == '"' || c == '\'';
  if (!quote) return *value;
  std::string field = "\"";
  for (char c : *value) field += c == '"' ? std::string("\"\"") : std::string(1, c);
  return field + "\"";
}

inline std::string CliCsv(const QueryResult& result) {
  std::string csv;
  for (size_t i = 0; i < result.columns.size(); ++i) csv += (i ? "," : "") + CliCsvField(result.columns[i]);
  csv += "\n";
  for (const auto& row : result.rows) {
    for (size_t i = 0; i < row.size(); ++i) csv += (i ? "," : "") + CliCsvField(row[i]);
    csv += "\n";
  }
  return csv;
}

}  // namespace dlctl::lake
