#pragma once
// Quoting for the SQL dlctl generates (DuckDB, SQLite and PostgreSQL quote alike).
#include <string>

namespace dlctl {

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

}  // namespace dlctl
