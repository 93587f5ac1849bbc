#include "docs/project_nodes.h"

#include <fstream>
#include <map>
#include <sstream>

#include "transform/compile/compiler.h"
#include "transform/project/project.h"
#include "transform/run/raw_datasets.h"
#include "util/slug.h"

namespace dlctl::docs {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using namespace transform;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ordered_json ColumnsJson(const std::vector<Column>& columns) {
  ordered_json out = ordered_json::array();
  for (const Column& column : columns)
    out.push_back({{"name", column.name}, {"description", column.description}, {"data_type", column.data_type}});
  return out;
}

ordered_json ConfigJson(const NodeConfig& config) {
  ordered_json out = ordered_json::parse(nlohmann::json(config.values).dump());
  out["materialized"] = config.materialized;
  out["tags"] = config.tags;
  return out;
}

std::string RelationName(const Relation& relation) {
  return relation.database + "." + relation.schema + "." + relation.identifier;
}

// Each node's last result: dbt's run_results.json under the project's target folder.
std::map<std::string, ordered_json> LastResults(const fs::path& target) {
  std::map<std::string, ordered_json> results;
  std::string text = ReadText(target / "run_results.json");
  if (text.empty() || !nlohmann::json::accept(text)) return results;
  ordered_json run = ordered_json::parse(text);
  for (const auto& result : run.value("results", ordered_json::array())) {
    ordered_json kept = {{"status", result.value("status", "")},
                         {"message", result.contains("message") ? result["message"] : ordered_json(nullptr)},
                         {"failures", result.contains("failures") ? result["failures"] : ordered_json(nullptr)},
                         {"execution_time", result.value("execution_time", 0.0)},
                         {"generated_at", run.contains("metadata") ? run["metadata"].value("generated_at", "") : ""}};
    results[result.value("unique_id", "")] = kept;
  }
  return results;
}

}  // namespace

void AddProjectNodes(const Settings& settings, ObjectStore& store, const fs::path& project_dir, ordered_json& doc) {
  LoadOptions load;
  load.render = [&settings](const std::string& text, const std::string& where) {
    return RenderConfigValue(text, where, settings, nlohmann::json::object(), Target{});
  };
  Project loaded = LoadProject(project_dir, load);
  fs::path target = loaded.root / loaded.target_path;
  std::string project_name = loaded.name;
  RawDatasets raw(store, settings.bucket, settings.ingest_prefix);
  CompileOptions compile;
  compile.which = "docs";
  compile.log = [](const std::string&) {};
  Compiler compiler(std::move(loaded), settings, raw, compile);
  compiler.Parse();
  const Project& project = compiler.project();
  std::map<std::string, ordered_json> results = LastResults(target);

  doc["project"] = {{"name", project_name}, {"dir", fs::absolute(project_dir).lexically_normal().string()},
                    {"run_results", fs::exists(target / "run_results.json")}};
  ordered_json& nodes = doc["nodes"];
  ordered_json& edges = doc["edges"];
  auto depends = [&](const std::string& id) {
    for (const std::string& parent : compiler.DependsOn(id)) edges.push_back({{"from", parent}, {"to", id}});
  };
  auto with_result = [&](ordered_json node) {
    if (auto found = results.find(node["id"].get<std::string>()); found != results.end())
      node["last_result"] = found->second;
    return node;
  };

  for (const SourceTable& source : project.sources) {
    ordered_json node = {{"id", source.unique_id},
                         {"kind", "source"},
                         {"name", source.source_name + "." + source.name},
                         {"package", source.package},
                         {"path", source.path},
                         {"description", source.description},
                         {"identifier", source.identifier},
                         {"database", source.database ? ordered_json(*source.database) : ordered_json(nullptr)},
                         {"schema", source.schema},
                         {"tags", source.config.tags},
                         {"columns", ColumnsJson(source.columns)}};
    if (source.IsRawDataset()) {
      std::string dataset = "dataset." + SnakeCase(source.source_name);
      node["dataset"] = dataset;
      edges.push_back({{"from", dataset}, {"to", source.unique_id}});
    }
    nodes.push_back(node);
  }
  for (const Seed& seed : project.seeds) {
    const Relation& relation = compiler.RelationOf(seed.unique_id);
    nodes.push_back(with_result({{"id", seed.unique_id},
                                 {"kind", "seed"},
                                 {"name", seed.name},
                                 {"package", seed.package},
                                 {"path", seed.path},
                                 {"fqn", seed.fqn},
                                 {"description", seed.description},
                                 {"relation", RelationName(relation)},
                                 {"catalog", relation.database},
                                 {"tags", seed.config.tags},
                                 {"config", ConfigJson(seed.config)},
                                 {"columns", ColumnsJson(seed.columns)}}));
  }
  for (const Model& model : project.models) {
    const Model* parsed = compiler.FindModel(model.unique_id);
    if (!parsed) continue;  // disabled
    const Relation& relation = compiler.RelationOf(model.unique_id);
    fs::path compiled_path = target / "compiled" / model.package / model.file.path;
    std::string compiled = ReadText(compiled_path);
    nodes.push_back(with_result({{"id", model.unique_id},
                                 {"kind", "model"},
                                 {"name", model.name},
                                 {"package", model.package},
                                 {"path", model.file.path},
                                 {"fqn", model.fqn},
                                 {"description", parsed->description},
                                 {"relation", RelationName(relation)},
                                 {"catalog", relation.database},
                                 {"schema", relation.schema},
                                 {"table", relation.identifier},
                                 {"materialized", parsed->config.materialized},
                                 {"tags", parsed->config.tags},
                                 {"config", ConfigJson(parsed->config)},
                                 {"columns", ColumnsJson(parsed->columns)},
                                 {"raw_sql", model.file.text},
                                 {"compiled_sql", compiled.empty() ? ordered_json(nullptr) : ordered_json(compiled)}}));
    depends(model.unique_id);
  }
  for (const DataTest& test : project.tests) {
    if (!compiler.FindTest(test.unique_id)) continue;
    ordered_json node = {{"id", test.unique_id},
                         {"kind", "test"},
                         {"name", test.name},
                         {"package", test.package},
                         {"path", test.path},
                         {"description", test.description},
                         {"test_name", test.kind == DataTest::Kind::kSingular ? "singular" : test.test_name},
                         {"attached_to", test.attached_to},
                         {"column", test.column_name ? ordered_json(*test.column_name) : ordered_json(nullptr)},
                         {"severity", test.config.severity},
                         {"tags", test.config.tags}};
    nodes.push_back(with_result(node));
    depends(test.unique_id);
  }
}

}  // namespace dlctl::docs
