#pragma once
// A named argument of a table function call (`CALL f('x', table_name => 't')`), as the catalog's
// own functions (set_option, ducklake_flush_inlined_data) read them.
#include <optional>
#include <string>

#include "duckdb/function/table_function.hpp"

namespace dlctl::lake {

// The argument's text; nullopt when it is not given or NULL.
inline std::optional<std::string> NamedParameter(const duckdb::TableFunctionBindInput& input, const char* name) {
  auto found = input.named_parameters.find(name);
  if (found == input.named_parameters.end() || found->second.IsNull()) return std::nullopt;
  return found->second.ToString();
}

}  // namespace dlctl::lake
