#pragma once
// DuckLake column types (spec notes §1.9: "int32", "decimal(18,3)", "list", ...) and the DuckDB
// types they stand for, in both directions. Nested types are a column plus its children, the
// way ducklake_column stores them: a list has one child "element", a map "key" and "value", a
// struct one child per field.
#include <string>

#include "lake/metadata/catalog_model.h"

namespace dlctl::lake {

// The DuckDB type of a column as SQL, e.g. "INTEGER", "DECIMAL(18,3)", "INTEGER[]",
// "STRUCT(\"a\" INTEGER, \"b\" VARCHAR)", "MAP(VARCHAR, INTEGER)". Throws Error for a type the
// engine cannot represent (variant, geometry) or a malformed nested column.
std::string DuckDBType(const ColumnInfo& column);

// The DuckLake column for a DuckDB type as DuckDB prints it (LogicalType::ToString, plus the
// usual aliases such as INT or TIMESTAMPTZ): name, DuckLake type and nested children. Column ids
// and orders are left 0 for the writer to assign. Throws Error for types DuckLake cannot store.
ColumnInfo ColumnFromDuckDBType(const std::string& name, const std::string& duckdb_type);

}  // namespace dlctl::lake
