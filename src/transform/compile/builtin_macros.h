#pragma once
// The macros dbt ships that projects rely on, as Jinja source loaded before the project's own
// macros (so a project may override any of them): generate_schema_name, generate_alias_name,
// generate_database_name and the generic tests not_null, unique, accepted_values,
// relationships, plus dbt_utils' expression_is_true and unique_combination_of_columns.
// A generic test `ns.name` is the macro test_<ns>__<name> (test_dbt_utils__expression_is_true).
#include <string>

namespace dlctl::transform {

const std::string& BuiltinMacros();

// The macro a generic test calls: "test_not_null", "test_dbt_utils__expression_is_true".
std::string TestMacroName(const std::string& test_namespace, const std::string& test_name);

}  // namespace dlctl::transform
