#include "graph/graph_mapping.h"

#include <yaml-cpp/yaml.h>

#include "util/error.h"

namespace dlctl::graph {
namespace {

[[noreturn]] void Fail(const GraphMapping& mapping, const YAML::Node& node, const std::string& message) {
  std::string where = mapping.file.string();
  if (node.Mark().line >= 0) where += ":" + std::to_string(node.Mark().line + 1);
  throw UsageError(where + ": " + message);
}

MappedTable ReadTable(const GraphMapping& mapping, const YAML::Node& node, const char* name_key) {
  MappedTable table;
  if (node.IsNull()) return table;
  if (!node.IsMap()) Fail(mapping, node, "expected a map with '" + std::string(name_key) + "' and 'properties'");
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    if (key == name_key) {
      if (!entry.second.IsScalar() || entry.second.as<std::string>().empty())
        Fail(mapping, entry.second, std::string(name_key) + " must be a name");
      table.name = entry.second.as<std::string>();
    } else if (key == "properties") {
      if (!entry.second.IsSequence()) Fail(mapping, entry.second, "properties must be a list of column names");
      table.properties.emplace();
      for (const auto& column : entry.second) table.properties->push_back(column.as<std::string>());
    } else {
      Fail(mapping, entry.first, "unknown key '" + key + "' (expected " + name_key + " or properties)");
    }
  }
  return table;
}

void ReadSection(const GraphMapping& mapping, const YAML::Node& section, const char* name_key,
                 std::map<std::string, MappedTable>& out) {
  if (!section.IsMap()) Fail(mapping, section, "expected a map from table names or stems to settings");
  for (const auto& entry : section) out[entry.first.as<std::string>()] = ReadTable(mapping, entry.second, name_key);
}

}  // namespace

GraphMapping ReadGraphMapping(const std::filesystem::path& project_dir, const std::string& schema) {
  GraphMapping mapping;
  std::filesystem::path file = project_dir / "graphs" / (schema + ".yml");
  if (!std::filesystem::exists(file)) return mapping;
  mapping.file = file;
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    throw UsageError(file.string() + ": " + e.what());
  }
  if (root.IsNull()) return mapping;
  if (!root.IsMap()) Fail(mapping, root, "expected a map with 'nodes' and 'rels'");
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    if (key == "nodes")
      ReadSection(mapping, entry.second, "label", mapping.nodes);
    else if (key == "rels")
      ReadSection(mapping, entry.second, "name", mapping.rels);
    else
      Fail(mapping, entry.first, "unknown key '" + key + "' (expected nodes or rels)");
  }
  return mapping;
}

}  // namespace dlctl::graph
