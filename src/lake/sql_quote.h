#pragma once
// Quoting for the SQL the lake code generates for DuckDB.
#include <string>

namespace dlctl::lake {

// "my ""name""" for my "name"
inline std::string SqlIdentifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

// 'it''s' for it's
inline std::string SqlLiteral(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return quoted + '\'';
}

}  // namespace dlctl::lake
