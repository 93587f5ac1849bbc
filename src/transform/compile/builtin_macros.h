#pragma once
// The macros dlctl brings: dbt's global project for DuckDB (transform/global_project/*.sql,
// compiled in), and two dbt_utils tests the example project uses, for projects that do not
// install dbt_utils.
#include <string>
#include <utility>
#include <vector>

namespace dlctl::transform {

// {path, text} of each file of the global project (generated at build time).
const std::vector<std::pair<std::string, std::string>>& GlobalProjectFiles();

// dbt_utils' expression_is_true and unique_combination_of_columns tests, as the package
// `dbt_utils` when no dbt_utils package is installed.
const std::string& FallbackDbtUtilsMacros();

}  // namespace dlctl::transform
