#pragma once
// What the properties files (models/**/*.yml, version 2) say, before it is matched to the
// project's files: model, seed and singular-test patches, sources, and test entries.
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "transform/project/project.h"
#include "transform/project/unit_tests.h"
#include "transform/project/yaml.h"

namespace dlctl::transform {

// One entry of a `tests:`/`data_tests:` list, with the column it was written under.
struct TestEntry {
  YamlFile file;                   // for messages (the node keeps its position)
  std::string yml_path;            // project-relative
  YAML::Node node;
  std::optional<std::string> column_name;
  std::vector<std::string> column_tags;
};

// A models:, seeds: or data_tests: entry.
struct ResourcePatch {
  std::string name;
  std::string yml_path;            // project-relative
  std::string where;               // "transform/models/x.yml:12"
  std::string description;
  ConfigLayer config = nlohmann::json::object();
  std::vector<Column> columns;
  std::vector<TestEntry> tests;
};

// A source table with its tests; the config's project-level part is applied later.
struct SourcePatch {
  SourceTable table;
  ConfigLayer source_config = nlohmann::json::object();  // source level: config, tags, meta
  ConfigLayer table_config = nlohmann::json::object();   // table level
  std::vector<TestEntry> tests;
};

struct Properties {
  std::map<std::string, ResourcePatch> models, seeds, singular_tests, snapshots;
  std::map<std::string, std::string> snapshot_relations;  // yml snapshots: name -> "ref('x')" / "source('a', 'b')"
  std::vector<SourcePatch> sources;  // in file order
  std::vector<DescribedResource> described;  // exposures, metrics, ...: kind, name, path, properties
  std::vector<UnitTest> unit_tests;          // package, unique id and fixture files filled in later
};

// Reads one properties file into `out`. `yml_path` is project-relative; `display_path` is what
// messages show. A resource described twice is an Error naming both places.
void ReadProperties(const std::filesystem::path& file, const std::string& yml_path, const std::string& display_path,
                    Properties& out);

}  // namespace dlctl::transform
