#pragma once
// Query results as dbt's templates see them: agate tables (run_query, load_result(...)['table'])
// with .rows, .columns, .column_names, iteration over rows, and rows that index by position or
// column name (row[0], row['name'], row.name).
#include "engine/engine.h"
#include "transform/jinja/value.h"

namespace dlctl::transform {

// A cell as the Python value agate would give: int, float, bool, None or text.
jinja::Value CellValue(const std::optional<std::string>& cell, const std::string& type);

// The result as an agate-like table.
jinja::Value TableValue(const QueryResult& result);

// dbt's load_result(name): {'response': ..., 'data': [tuples], 'table': <table>}.
jinja::Value StatementResult(const QueryResult& result);

}  // namespace dlctl::transform
