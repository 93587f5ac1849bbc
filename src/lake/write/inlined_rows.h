#pragma once
// Rows a statement inlines, from DuckDB's chunks into the form the lake transaction keeps them
// in (change_set.h InlinedRows), as DuckDB's ducklake extension stores them: integers (and
// booleans as 0/1), raw blob bytes, everything else as DuckDB's text of the value (a struct as
// {'a': 1, 'b': 'x'}); and their column statistics as the extension computes them for inlined
// data: null counts and the bounds of the values' text, compared as values for numbers, times
// and booleans.
#include <optional>
#include <vector>

#include "duckdb/common/types/column/column_data_collection.hpp"
#include "lake/metadata/catalog_model.h"
#include "lake/write/change_set.h"

namespace dlctl::lake {

// `rows` has one column per table column, in order, then (with `with_row_ids`) a BIGINT row id
// that an UPDATE's new version keeps (NULL for rows without one yet).
InlinedRows InlinedRowsOf(duckdb::ColumnDataCollection& rows, const std::vector<ColumnInfo>& columns,
                          bool with_row_ids);

}  // namespace dlctl::lake
