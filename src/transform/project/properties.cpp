#include "transform/project/properties.h"

#include "util/error.h"

namespace dlctl::transform {
namespace {

YAML::Node Get(const YAML::Node& map, const char* key) {
  if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  return map[key];
}

std::string OptionalText(const YamlFile& file, const YAML::Node& map, const char* key) {
  YAML::Node node = Get(map, key);
  if (!node.IsDefined() || node.IsNull()) return "";
  return ScalarText(file, node, key);
}

ConfigLayer ConfigOf(const YamlFile& file, const YAML::Node& map) {
  YAML::Node node = Get(map, "config");
  if (!node.IsDefined() || node.IsNull()) return nlohmann::json::object();
  if (!node.IsMap()) FailAt(file, node, "config must be a mapping");
  return ToJson(node);
}

// The tests of a node or column: `data_tests:` or its older name `tests:`, not both.
YAML::Node TestList(const YamlFile& file, const YAML::Node& map) {
  YAML::Node data_tests = Get(map, "data_tests"), tests = Get(map, "tests");
  if (data_tests.IsDefined() && tests.IsDefined())
    FailAt(file, tests, "'tests' and 'data_tests' are the same list: use only 'data_tests'");
  YAML::Node list = data_tests.IsDefined() ? data_tests : tests;
  if (!list.IsDefined() || list.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
  if (!list.IsSequence()) FailAt(file, list, "data_tests must be a list");
  return list;
}

void AddTests(const YamlFile& file, const std::string& yml_path, const YAML::Node& map,
              const std::optional<std::string>& column, const std::vector<std::string>& column_tags,
              std::vector<TestEntry>& out) {
  YAML::Node list = TestList(file, map);
  if (!list.IsDefined()) return;
  for (const auto& entry : list) out.push_back({file, yml_path, entry, column, column_tags});
}

std::vector<Column> ReadColumns(const YamlFile& file, const std::string& yml_path, const YAML::Node& owner,
                                std::vector<TestEntry>& tests) {
  std::vector<Column> columns;
  YAML::Node list = Get(owner, "columns");
  if (!list.IsDefined() || list.IsNull()) return columns;
  if (!list.IsSequence()) FailAt(file, list, "columns must be a list");
  for (const auto& entry : list) {
    if (!entry.IsMap()) FailAt(file, entry, "a column must be a mapping with a name");
    YAML::Node name = entry["name"];
    if (!name.IsDefined()) FailAt(file, entry, "a column needs a name");
    Column column;
    column.name = ScalarText(file, name, "column name");
    column.description = OptionalText(file, entry, "description");
    column.data_type = OptionalText(file, entry, "data_type");
    if (entry["meta"].IsDefined()) column.meta = ToJson(entry["meta"]);
    column.tags = StringList(file, entry["tags"], "tags");
    AddTests(file, yml_path, entry, column.name, column.tags, tests);
    columns.push_back(std::move(column));
  }
  return columns;
}

void ReadPatches(const YamlFile& file, const std::string& yml_path, const YAML::Node& list, const char* kind,
                 std::map<std::string, ResourcePatch>& out) {
  if (!list.IsSequence()) FailAt(file, list, std::string(kind) + " must be a list");
  for (const auto& entry : list) {
    if (!entry.IsMap() || !entry["name"].IsDefined()) FailAt(file, entry, std::string(kind) + " entries need a name");
    ResourcePatch patch;
    patch.name = ScalarText(file, entry["name"], "name");
    patch.yml_path = yml_path;
    patch.where = Where(file, entry);
    patch.description = OptionalText(file, entry, "description");
    patch.config = ConfigOf(file, entry);
    patch.columns = ReadColumns(file, yml_path, entry, patch.tests);
    AddTests(file, yml_path, entry, std::nullopt, {}, patch.tests);
    auto [it, inserted] = out.emplace(patch.name, patch);
    if (!inserted)
      throw Error(patch.where + ": " + kind + " '" + patch.name + "' is already described at " + it->second.where);
  }
}

// Source and table levels may set tags and meta outside `config:` too.
ConfigLayer SourceLevelConfig(const YamlFile& file, const YAML::Node& map) {
  ConfigLayer layer = nlohmann::json::object();
  if (Get(map, "tags").IsDefined()) layer["tags"] = JsonStrings(StringList(file, map["tags"], "tags"));
  if (Get(map, "meta").IsDefined()) layer["meta"] = ToJson(map["meta"]);
  for (const char* key : {"freshness", "loaded_at_field"})
    if (Get(map, key).IsDefined()) layer[key] = ToJson(map[key]);
  ConfigLayer config = ConfigOf(file, map);
  for (const auto& [key, value] : config.items()) layer[key] = value;
  return layer;
}

void ReadSources(const YamlFile& file, const std::string& yml_path, const YAML::Node& list, Properties& out) {
  if (!list.IsSequence()) FailAt(file, list, "sources must be a list");
  for (const auto& source : list) {
    if (!source.IsMap() || !source["name"].IsDefined()) FailAt(file, source, "sources entries need a name");
    std::string source_name = ScalarText(file, source["name"], "source name");
    YAML::Node tables = source["tables"];
    if (!tables.IsDefined() || tables.IsNull()) continue;  // a source with no tables declares nothing
    if (!tables.IsSequence()) FailAt(file, tables, "tables of source '" + source_name + "' must be a list");
    ConfigLayer source_config = SourceLevelConfig(file, source);
    std::string schema = OptionalText(file, source, "schema");
    std::string database = OptionalText(file, source, "database");
    for (const auto& table : tables) {
      if (!table.IsMap() || !table["name"].IsDefined())
        FailAt(file, table, "tables of source '" + source_name + "' need a name");
      SourcePatch patch;
      SourceTable& t = patch.table;
      t.source_name = source_name;
      t.name = ScalarText(file, table["name"], "table name");
      t.identifier = OptionalText(file, table, "identifier");
      if (t.identifier.empty()) t.identifier = t.name;
      if (!database.empty()) t.database = database;
      t.schema = schema.empty() ? source_name : schema;
      t.description = OptionalText(file, table, "description");
      t.path = yml_path;
      t.line = table.Mark().is_null() ? 0 : table.Mark().line + 1;
      patch.source_config = source_config;
      patch.table_config = SourceLevelConfig(file, table);
      t.columns = ReadColumns(file, yml_path, table, patch.tests);
      AddTests(file, yml_path, table, std::nullopt, {}, patch.tests);
      for (const auto& other : out.sources)
        if (other.table.source_name == t.source_name && other.table.name == t.name)
          FailAt(file, table, "source table '" + t.source_name + "." + t.name + "' is already declared in " +
                                  other.table.path);
      out.sources.push_back(std::move(patch));
    }
  }
}

FixtureRows ReadFixture(const YamlFile& file, const YAML::Node& map, const std::string& what) {
  FixtureRows fixture;
  if (map["format"].IsDefined()) fixture.format = ScalarText(file, map["format"], "format");
  if (fixture.format != "dict" && fixture.format != "csv" && fixture.format != "sql")
    FailAt(file, map["format"], what + ": format must be dict, csv or sql (got '" + fixture.format + "')");
  if (map["fixture"].IsDefined()) {
    // Resolved against the fixture files once the project's test paths are known.
    fixture.rows = nlohmann::json{{"fixture", ScalarText(file, map["fixture"], "fixture")}};
    return fixture;
  }
  YAML::Node rows = map["rows"];
  if (!rows.IsDefined() || rows.IsNull()) {
    fixture.rows = fixture.format == "dict" ? nlohmann::json::array() : nlohmann::json("");
    return fixture;
  }
  if (fixture.format == "dict") {
    if (!rows.IsSequence()) FailAt(file, rows, what + ": rows must be a list of mappings (format: dict)");
    fixture.rows = ToJson(rows);
    for (const auto& row : fixture.rows)
      if (!row.is_object()) FailAt(file, rows, what + ": each row is a mapping of column: value");
  } else {
    fixture.rows = ScalarText(file, rows, "rows");
  }
  return fixture;
}

void ReadUnitTests(const YamlFile& file, const std::string& yml_path, const YAML::Node& list, Properties& out) {
  if (!list.IsSequence()) FailAt(file, list, "unit_tests must be a list");
  for (const auto& entry : list) {
    if (!entry.IsMap() || !entry["name"].IsDefined() || !entry["model"].IsDefined())
      FailAt(file, entry, "a unit test needs a name and a model");
    UnitTest test;
    test.name = ScalarText(file, entry["name"], "name");
    test.model = ScalarText(file, entry["model"], "model");
    test.description = OptionalText(file, entry, "description");
    test.path = yml_path;
    test.line = entry.Mark().is_null() ? 0 : entry.Mark().line + 1;
    std::string what = "unit test '" + test.name + "'";
    if (YAML::Node given = entry["given"]; given.IsDefined() && !given.IsNull()) {
      if (!given.IsSequence()) FailAt(file, given, what + ": given must be a list");
      for (const auto& input : given) {
        if (!input.IsMap() || !input["input"].IsDefined())
          FailAt(file, input, what + ": each given entry needs input: ref('...') or source('...', '...')");
        test.given.push_back({ScalarText(file, input["input"], "input"), ReadFixture(file, input, what)});
      }
    }
    if (!entry["expect"].IsDefined() || !entry["expect"].IsMap()) FailAt(file, entry, what + ": expect: {rows: ...} is required");
    test.expect = ReadFixture(file, entry["expect"], what);
    if (entry["overrides"].IsDefined()) test.overrides = ToJson(entry["overrides"]);
    MergeConfig(test.config, ConfigOf(file, entry), Where(file, entry));
    out.unit_tests.push_back(std::move(test));
  }
}

}  // namespace

void ReadProperties(const std::filesystem::path& path, const std::string& yml_path, const std::string& display_path,
                    Properties& out) {
  YamlFile file = LoadYamlFile(path, display_path);
  const YAML::Node& root = file.root;
  if (root.IsNull()) return;  // an empty file
  if (!root.IsMap()) FailAt(file, root, "a properties file must be a mapping (version: 2, models: ...)");
  if (YAML::Node version = root["version"]; version.IsDefined()) {
    nlohmann::json v = ToJson(version);
    if (v != 2) FailAt(file, version, "unsupported properties version " + v.dump() + " (expected 2)");
  }
  if (YAML::Node models = root["models"]; models.IsDefined() && !models.IsNull())
    ReadPatches(file, yml_path, models, "model", out.models);
  if (YAML::Node seeds = root["seeds"]; seeds.IsDefined() && !seeds.IsNull())
    ReadPatches(file, yml_path, seeds, "seed", out.seeds);
  if (YAML::Node snapshots = root["snapshots"]; snapshots.IsDefined() && !snapshots.IsNull()) {
    ReadPatches(file, yml_path, snapshots, "snapshot", out.snapshots);
    for (const auto& entry : snapshots)
      if (entry["relation"].IsDefined())
        out.snapshot_relations[ScalarText(file, entry["name"], "name")] = ScalarText(file, entry["relation"], "relation");
  }
  if (YAML::Node tests = root["data_tests"]; tests.IsDefined() && !tests.IsNull())
    ReadPatches(file, yml_path, tests, "data test", out.singular_tests);
  if (YAML::Node sources = root["sources"]; sources.IsDefined() && !sources.IsNull())
    ReadSources(file, yml_path, sources, out);
  if (YAML::Node unit_tests = root["unit_tests"]; unit_tests.IsDefined() && !unit_tests.IsNull())
    ReadUnitTests(file, yml_path, unit_tests, out);
  for (const auto& [key, kind] : {std::pair{"exposures", "exposure"}, {"metrics", "metric"},
                                  {"semantic_models", "semantic_model"}, {"saved_queries", "saved_query"},
                                  {"groups", "group"}}) {
    YAML::Node list = root[key];
    if (!list.IsDefined() || list.IsNull()) continue;
    if (!list.IsSequence()) FailAt(file, list, std::string(key) + " must be a list");
    for (const auto& entry : list) {
      if (!entry.IsMap() || !entry["name"].IsDefined()) FailAt(file, entry, std::string(key) + " entries need a name");
      DescribedResource resource;
      resource.kind = kind;
      resource.name = ScalarText(file, entry["name"], "name");
      resource.path = yml_path;
      resource.properties = ToJson(entry);
      out.described.push_back(std::move(resource));
    }
  }
}

}  // namespace dlctl::transform
