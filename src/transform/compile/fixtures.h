#pragma once
// Unit-test fixtures as SQL: rows (dicts, CSV text or a SELECT) as a SELECT whose columns have
// the types of the relation they stand in for, as dbt casts fixture values.
#include <string>
#include <vector>

#include "transform/compile/adapter.h"
#include "transform/project/unit_tests.h"

namespace dlctl::transform {

// `columns` are the relation's columns with their types (empty when unknown: then the columns
// the rows name, values as SQL literals). Columns a row leaves out are NULL. A column a row names
// that `columns` lacks is an Error naming it. `where` starts messages.
std::string FixtureSql(const FixtureRows& fixture, const std::vector<ColumnInfo>& columns, const std::string& where);

}  // namespace dlctl::transform
