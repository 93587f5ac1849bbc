#pragma once
// Node configs as dbt resolves them: dbt_project.yml folder levels < the properties yml's
// `config:` < the file's own {{ config(...) }}. Merging follows dbt: `tags`, `pre_hook` and
// `post_hook` accumulate, `meta`, `docs` and `persist_docs` merge key by key, any other key is
// replaced by the later layer.
#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dlctl::transform {

struct NodeConfig {
  bool enabled = true;
  std::string materialized;                   // models: "view" unless set; seeds "seed"; tests "test"
  std::optional<std::string> database;        // a lake catalog (stage, graphs, ...)
  std::optional<std::string> schema;          // the custom schema, before generate_schema_name
  std::optional<std::string> alias;           // before generate_alias_name
  std::vector<std::string> tags;              // in order of first appearance, no repeats
  std::string severity = "error";             // tests: "error" or "warn"
  std::optional<std::string> where;           // tests: filter applied to the tested relation
  nlohmann::json values = nlohmann::json::object();  // every key, merged (unique_key, column_types, ...)
};

// One layer of keys without their '+' ("+materialized" and "materialized" are the same key;
// "pre-hook" is stored as "pre_hook").
using ConfigLayer = nlohmann::json;

// Applies `layer` on top of `config`. `origin` starts each error message ("models/x.yml:12").
// A key of the wrong type (enabled: "maybe", tags: 3, severity: loud) is an Error, and then
// `config` is left as it was.
void MergeConfig(NodeConfig& config, const ConfigLayer& layer, const std::string& origin);

// The `models:`, `seeds:`, `data_tests:` or `sources:` block of dbt_project.yml, resolved for a
// node's fqn exactly like dbt: the block's top-level keys apply to every node, then each nested
// key that equals the next fqn part (project name, folders, file name) adds its level. At each
// level '+key' is always a config, a key without '+' is a config unless its value is a mapping
// (then it is a path).
class ProjectConfigTree {
 public:
  ProjectConfigTree() = default;
  ProjectConfigTree(nlohmann::json block, std::string origin);

  // Applies every level that matches `fqn`, outermost first, and remembers the paths used.
  void Apply(NodeConfig& config, const std::vector<std::string>& fqn);

  // Paths in the block that matched no node ("models.transform.stgae"), for a warning.
  std::vector<std::string> UnusedPaths() const;

 private:
  nlohmann::json block_ = nlohmann::json::object();
  std::string origin_;   // "transform/dbt_project.yml: models"
  std::set<std::string> used_;
};

// The configs a layer spells with '+' or without, '+' removed; mappings without '+' (paths) left out.
ConfigLayer LevelConfigs(const nlohmann::json& level);

}  // namespace dlctl::transform
