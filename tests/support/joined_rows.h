#pragma once
// Results as compact strings to compare in tests: each row "v|v|v", NULL as "NULL".
#include <string>
#include <vector>

#include "engine/engine.h"

namespace dlctl::testing {

inline std::vector<std::string> JoinedRows(const QueryResult& result) {
  std::vector<std::string> rows;
  for (const auto& row : result.rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += (i ? "|" : "") + row[i].value_or("NULL");
    rows.push_back(std::move(line));
  }
  return rows;
}

// The same for rows of a catalog's metadata database (any type with IsNull/Text/values,
// i.e. lake::Row; a template so this header needs no lake library).
template <typename CatalogRow>
std::vector<std::string> JoinedRows(const std::vector<CatalogRow>& result) {
  std::vector<std::string> rows;
  for (const CatalogRow& row : result) {
    std::string line;
    for (size_t i = 0; i < row.values.size(); ++i) line += (i ? "|" : "") + (row.IsNull(i) ? "NULL" : row.Text(i));
    rows.push_back(std::move(line));
  }
  return rows;
}

}  // namespace dlctl::testing
