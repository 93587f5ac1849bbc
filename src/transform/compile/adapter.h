#pragma once
// dbt's `adapter` and `api` objects for DuckDB on the lake: quote, dispatch, get_relation,
// get_columns_in_relation, drop/rename/truncate_relation, create/drop_schema,
// list_relations_without_caching, get_missing_columns, and api.Column / api.Relation.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "transform/compile/macro_registry.h"
#include "transform/compile/relation.h"
#include "transform/jinja/value.h"

namespace dlctl::transform {

// A column as dbt's Column class describes it.
struct ColumnInfo {
  std::string name;
  std::string data_type;  // DuckDB's type: INTEGER, VARCHAR, DECIMAL(18,3), TIMESTAMP
};

// What the adapter may ask of the lake; every hook is unset while parsing (execute is false),
// when the adapter answers "nothing there".
struct AdapterHooks {
  std::function<QueryResult(const std::string& sql)> run_sql;
  // The relation as it exists (with its type), or nullopt.
  std::function<std::optional<Relation>(const Relation& relation)> find_relation;
  std::function<std::vector<ColumnInfo>(const Relation& relation)> columns;
  // The tables and views of one schema.
  std::function<std::vector<Relation>(const std::string& database, const std::string& schema)> list_relations;
};

// `adapter` for a render of a node that sees `visible` (its package's macro namespace).
jinja::Value MakeAdapter(const MacroRegistry& macros, const jinja::Namespace& visible, AdapterHooks hooks);

// api.Column: a column value (name, dtype, is_string(), ...) and its class methods.
jinja::Value ColumnValue(const ColumnInfo& column);
jinja::Value ColumnApi();

// api: {Relation, Column}.
jinja::Value MakeApi();

// dbt's Column.translate_type for DuckDB: string -> TEXT, integer -> INT, others as given.
std::string TranslateType(const std::string& type);

}  // namespace dlctl::transform
