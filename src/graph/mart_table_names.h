#pragma once
// The graph mart's naming convention, kept from the original: a table named `[prefix_]nodes_<label>`
// holds nodes, one named `[prefix_]edges_<rel>` holds edges. Kùzu names are derived from it:
// `dsn_nodes_users` → node label `User`, `msdsl_edges_user_tracks` → rel `UserTrack`.
#include <optional>
#include <string>

namespace dlctl::graph {

enum class MartTableKind { kNodes, kEdges };

struct MartTableName {
  MartTableKind kind;
  std::string prefix;  // "dsn"; empty for `nodes_genres`
  std::string stem;    // "users", "user_tracks"
};

// nullopt for tables that are neither (they are not part of the graph).
std::optional<MartTableName> ParseMartTableName(const std::string& table);

// CamelCase with the last word made singular where the English rule is obvious:
// "users" → "User", "countries" → "Country", "user_tracks" → "UserTrack", "competes_with" → "CompetesWith".
std::string KuzuNameFromStem(const std::string& stem);

}  // namespace dlctl::graph
