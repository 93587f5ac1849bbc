#include "transform/project/config.h"

#include <algorithm>

#include "util/error.h"

namespace dlctl::transform {
namespace {

std::string CanonicalKey(std::string key) {
  if (!key.empty() && key[0] == '+') key.erase(0, 1);
  if (key == "pre-hook") return "pre_hook";
  if (key == "post-hook") return "post_hook";
  return key;
}

bool IsAppendKey(const std::string& key) { return key == "tags" || key == "pre_hook" || key == "post_hook"; }
bool IsUpdateKey(const std::string& key) { return key == "meta" || key == "docs" || key == "persist_docs"; }

nlohmann::json AsList(const nlohmann::json& value) {
  if (value.is_null()) return nlohmann::json::array();
  if (value.is_array()) return value;
  return nlohmann::json::array({value});
}

bool BoolValue(const nlohmann::json& value, const std::string& key, const std::string& origin) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    std::string s = value.get<std::string>();
    std::transform(s.begin(), s.end(), s.begin(), ::tolower);
    if (s == "true") return true;
    if (s == "false") return false;
  }
  throw Error(origin + ": " + key + " must be true or false (got " + value.dump() + ")");
}

std::optional<std::string> OptionalString(const nlohmann::json& values, const std::string& key,
                                          const std::string& origin) {
  auto it = values.find(key);
  if (it == values.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw Error(origin + ": " + key + " must be a string (got " + it->dump() + ")");
  return it->get<std::string>();
}

// Re-derives the typed fields from `values`.
void Refresh(NodeConfig& config, const std::string& origin) {
  const nlohmann::json& v = config.values;
  if (v.contains("enabled")) config.enabled = BoolValue(v["enabled"], "enabled", origin);
  if (auto m = OptionalString(v, "materialized", origin)) config.materialized = *m;
  config.database = OptionalString(v, "database", origin);
  config.schema = OptionalString(v, "schema", origin);
  config.alias = OptionalString(v, "alias", origin);
  config.where = OptionalString(v, "where", origin);
  if (auto s = OptionalString(v, "severity", origin)) {
    std::string lower = *s;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower != "error" && lower != "warn")
      throw Error(origin + ": severity must be 'error' or 'warn' (got '" + *s + "')");
    config.severity = lower;
  }
  config.tags.clear();
  if (v.contains("tags")) {
    for (const auto& tag : v["tags"]) {
      if (!tag.is_string()) throw Error(origin + ": tags must be strings (got " + tag.dump() + ")");
      std::string t = tag.get<std::string>();
      if (std::find(config.tags.begin(), config.tags.end(), t) == config.tags.end()) config.tags.push_back(t);
    }
  }
}

void CollectPaths(const nlohmann::json& level, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [key, value] : level.items()) {
    if (key.empty() || key[0] == '+' || !value.is_object()) continue;
    std::string path = prefix.empty() ? key : prefix + "." + key;
    out.push_back(path);
    CollectPaths(value, path, out);
  }
}

}  // namespace

void MergeConfig(NodeConfig& config, const ConfigLayer& layer, const std::string& origin) {
  if (layer.is_null()) return;
  if (!layer.is_object()) throw Error(origin + ": config must be a mapping (got " + layer.dump() + ")");
  NodeConfig merged = config;  // a layer that fails leaves the config as it was
  for (const auto& [raw_key, value] : layer.items()) {
    std::string key = CanonicalKey(raw_key);
    nlohmann::json& slot = merged.values[key];
    if (IsAppendKey(key)) {
      nlohmann::json list = AsList(slot);
      for (const auto& item : AsList(value)) list.push_back(item);
      slot = list;
    } else if (IsUpdateKey(key) && value.is_object() && (slot.is_object() || slot.is_null())) {
      if (slot.is_null()) slot = nlohmann::json::object();
      for (const auto& [k, v] : value.items()) slot[k] = v;
    } else {
      slot = value;
    }
  }
  Refresh(merged, origin);
  config = std::move(merged);
}

ConfigLayer LevelConfigs(const nlohmann::json& level) {
  ConfigLayer out = nlohmann::json::object();
  if (!level.is_object()) return out;
  // Plain keys first, so "+key" wins when a level spells both.
  for (const auto& [key, value] : level.items())
    if (!key.empty() && key[0] != '+' && !value.is_object()) out[CanonicalKey(key)] = value;
  for (const auto& [key, value] : level.items())
    if (!key.empty() && key[0] == '+') out[CanonicalKey(key)] = value;
  return out;
}

ProjectConfigTree::ProjectConfigTree(nlohmann::json block, std::string origin)
    : block_(block.is_object() ? std::move(block) : nlohmann::json::object()), origin_(std::move(origin)) {}

void ProjectConfigTree::Apply(NodeConfig& config, const std::vector<std::string>& fqn) {
  const nlohmann::json* level = &block_;
  std::string path;
  MergeConfig(config, LevelConfigs(*level), origin_);
  for (const auto& part : fqn) {
    auto it = level->find(part);
    if (it == level->end() || !it->is_object()) break;
    level = &*it;
    path = path.empty() ? part : path + "." + part;
    used_.insert(path);
    MergeConfig(config, LevelConfigs(*level), origin_ + "." + path);
  }
}

std::vector<std::string> ProjectConfigTree::UnusedPaths() const {
  std::vector<std::string> all, out;
  CollectPaths(block_, "", all);
  for (const auto& path : all) {
    auto dot = path.rfind('.');
    bool parent_used = dot == std::string::npos || used_.count(path.substr(0, dot));
    if (!used_.count(path) && parent_used) out.push_back(path);  // report a typo once, not its subpaths
  }
  return out;
}

}  // namespace dlctl::transform
