#include "transform/compile/fixtures.h"

#include <algorithm>

#include "transform/compile/relation.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::transform {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::tolower);
  return text;
}

std::string Literal(const nlohmann::json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  if (value.is_string()) return SqlLiteral(value.get<std::string>());
  return SqlLiteral(value.dump());
}

}  // namespace

std::string FixtureSql(const FixtureRows& fixture, const std::vector<ColumnInfo>& columns, const std::string& where) {
  if (fixture.format == "sql") return fixture.rows.get<std::string>();
  nlohmann::json rows = fixture.format == "csv" ? CsvRows(fixture.rows.get<std::string>(), where) : fixture.rows;
  std::vector<ColumnInfo> shape = columns;
  if (shape.empty()) {
    for (const auto& row : rows)
      for (const auto& [name, value] : row.items())
        if (std::none_of(shape.begin(), shape.end(), [&](const ColumnInfo& c) { return c.name == name; }))
          shape.push_back({name, ""});
  }
  if (shape.empty()) return "select null as __dbt_empty where false";
  for (const auto& row : rows)
    for (const auto& [name, value] : row.items())
      if (std::none_of(shape.begin(), shape.end(), [&](const ColumnInfo& c) { return Lower(c.name) == Lower(name); }))
        throw Error(where + ": column '" + name + "' is not a column of the relation");
  auto cell = [](const ColumnInfo& column, const nlohmann::json* value) {
    std::string literal = value ? Literal(*value) : "null";
    return column.data_type.empty() ? literal : "cast(" + literal + " as " + column.data_type + ")";
  };
  auto select = [&](const nlohmann::json* row) {
    std::string list;
    for (const ColumnInfo& column : shape) {
      const nlohmann::json* value = nullptr;
      if (row)
        for (const auto& [name, v] : row->items())
          if (Lower(name) == Lower(column.name)) value = &v;
      list += (list.empty() ? "" : ", ") + cell(column, value) + " as " + SqlIdentifier(column.name);
    }
    return "select " + list;
  };
  if (rows.empty()) return select(nullptr) + " where false";
  std::string sql;
  for (const auto& row : rows) sql += (sql.empty() ? "" : "\nunion all\n") + select(&row);
  return sql;
}

}  // namespace dlctl::transform
