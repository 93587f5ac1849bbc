#pragma once
// Rows with named, typed columns: what a query returns and what every listing command prints.
#include <optional>
#include <string>
#include <vector>

namespace dlctl {

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::string> types;  // DuckDB type names, e.g. "BIGINT", "VARCHAR", "INTEGER[]"
  std::vector<std::vector<std::optional<std::string>>> rows;  // each value as text; nullopt = NULL
  // Each value as JSON text, row by row like `rows`, from producers that know more than the text
  // tells (the engine and the graph store: lists as arrays, structs as objects, NaN as null).
  // Empty: the JSON of a value is derived from its text and its column's type.
  std::vector<std::vector<std::string>> json;
};

}  // namespace dlctl
