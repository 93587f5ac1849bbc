#pragma once
// Lake (DuckDB) column types and the Kùzu property types they load as.
#include <optional>
#include <string>

namespace dlctl::graph {

// "INTEGER" → "INT32", "VARCHAR[]" → "STRING[]", "DECIMAL(18,3)" → "DOUBLE"; nullopt for
// a type Kùzu cannot load from Parquet (e.g. STRUCT, MAP, UNION, TIME WITH TIME ZONE).
std::optional<std::string> KuzuTypeFor(const std::string& lake_type);

// The type the engine casts a column to before writing it for Kùzu: DECIMAL becomes DOUBLE.
std::string LoadableLakeType(const std::string& lake_type);

// The type one property takes when tables merged into one label disagree: the same type, else the
// wider integer, else DOUBLE for two numbers, else VARCHAR.
std::string CommonLakeType(const std::string& a, const std::string& b);

}  // namespace dlctl::graph
