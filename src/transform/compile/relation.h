#pragma once
// dbt's Relation as templates see it: `{{ this }}` prints "stage"."main"."orders", and macros
// use .database/.schema/.identifier, .include(), .incorporate(), .render(), `is mapping` and
// `.get('metadata')` (dbt_utils checks that a value is a relation that way), and api.Relation.create.
#include <optional>
#include <string>

#include "transform/jinja/value.h"

namespace dlctl::transform {

// Where a model or seed lives in the lake: <catalog>.<schema>.<table or view>.
struct Relation {
  std::string database, schema, identifier;
  std::string type;  // "table", "view", "cte" or "" (not known)
  // Which parts Render prints (relation.include(schema=false) leaves one out).
  bool include_database = true, include_schema = true, include_identifier = true;

  // "stage"."dsn"."hr_edges", as SQL sees it.
  std::string Render() const;
};

// The relation as a template value.
jinja::Value RelationValue(const Relation& relation);
// The relation a template value stands for: a relation object, or a string "a.b.c" / "b.c" / "c"
// (parts default to `fallback`'s). nullopt for anything else.
std::optional<Relation> RelationFromValue(const jinja::Value& value, const Relation& fallback = {});

// api.Relation: create(database=, schema=, identifier=, type=), and the names dbt's macros read.
jinja::Value RelationApi();

}  // namespace dlctl::transform
