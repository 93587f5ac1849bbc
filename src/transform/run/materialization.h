#pragma once
// dbt's materializations on the lake, as SQL on the engine where every lake catalog is attached.
// Each model is one transaction, so one snapshot of its catalog: a model that fails commits
// nothing and the catalog stays as it was.
//   view         CREATE OR REPLACE VIEW (a DuckLake view; a table of that name is dropped)
//   table        CREATE OR REPLACE TABLE AS
//   incremental  the first run (or --full-refresh) as table; then the new rows by strategy:
//                append; delete+insert (the default with a `unique_key`): the rows whose key
//                comes again are deleted, the new ones inserted; merge: MERGE INTO on the key,
//                matched rows updated (merge_update_columns / merge_exclude_columns), others
//                inserted. incremental_predicates narrow the target rows a key matches.
//                on_schema_change: ignore (new columns left out), fail, append_new_columns,
//                sync_all_columns (added, dropped and retyped as the model's)
// Ephemeral models are never written (the compiler inlines them); seeds are tables read from CSV.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "transform/compile/compiler.h"

namespace dlctl::transform {

struct ModelWrite {
  Relation relation;
  std::string materialized;           // view, table, incremental, seed
  std::string sql;                    // the compiled SELECT
  bool full_refresh = false;
  std::vector<std::string> unique_key;
  std::string incremental_strategy;   // "", append, delete+insert, merge
  std::string on_schema_change = "ignore";
  std::vector<std::string> incremental_predicates;   // SQL on DBT_INTERNAL_DEST (the target)
  std::vector<std::string> merge_update_columns, merge_exclude_columns;
};

// The incremental settings of a model's config on `write`. Error for a value of the wrong kind.
void ApplyIncrementalConfig(ModelWrite& write, const nlohmann::json& config_values);

// Writes the model and commits; returns the rows written (-1 for a view). `engine` must have
// the lake catalogs attached.
int64_t Materialize(const ModelWrite& write, Engine& engine);

// Creates the catalogs that do not exist yet and, in one commit per catalog, the schemas
// missing from them, so models running in parallel never race to create a schema.
void PrepareSchemas(const std::map<std::string, std::set<std::string>>& schemas_by_catalog, Engine& engine);

// Whether the relation is a table of its catalog now.
bool TableExists(Engine& engine, const Relation& relation);

// The SELECT a seed's CSV is loaded with: header, the seed's `delimiter` and `column_types`.
std::string SeedSql(const std::string& csv_path, const nlohmann::json& config_values);

// The model's unique_key config as column names (a string, a list, or absent).
std::vector<std::string> UniqueKeyColumns(const nlohmann::json& config_values);

}  // namespace dlctl::transform
