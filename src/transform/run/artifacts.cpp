#include "transform/run/artifacts.h"

#include <openssl/evp.h>

#include <chrono>
#include <fstream>

#include "transform/compile/dbt_globals.h"
#include "transform/run/runner.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/hex.h"

namespace dlctl::transform {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::string Sha256(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), size));
}

Json Checksum(const std::string& text) { return {{"name", "sha256"}, {"checksum", Sha256(text)}}; }

Json Metadata(const char* schema, const std::string& project_name) {
  Json metadata;
  metadata["dbt_schema_version"] = schema;
  metadata["dbt_version"] = kDbtVersion;
  metadata["generated_at"] = IsoTimestamp(std::chrono::system_clock::now());
  metadata["invocation_id"] = InvocationId();
  metadata["env"] = Json::object();
  if (!project_name.empty()) {
    metadata["project_name"] = project_name;
    metadata["adapter_type"] = "duckdb";
  }
  return metadata;
}

Json Columns(const std::vector<Column>& columns) {
  Json out = Json::object();
  for (const Column& column : columns)
    out[column.name] = {{"name", column.name},
                        {"description", column.description},
                        {"meta", column.meta},
                        {"data_type", column.data_type.empty() ? Json(nullptr) : Json(column.data_type)},
                        {"constraints", Json::array()},
                        {"quote", nullptr},
                        {"tags", column.tags}};
  return out;
}

// The path under the resource's folder, as dbt's `path`.
std::string ResourcePath(const std::vector<std::string>& folders, const std::string& file) {
  for (const std::string& folder : folders)
    if (file.rfind(folder + "/", 0) == 0) return file.substr(folder.size() + 1);
  return file;
}

std::string ReadOr(const fs::path& path, const std::string& fallback) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fallback;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct ManifestBuilder {
  const Compiler& compiler;
  const Dag& dag;
  const Project& project;

  const PackageInfo* Package(const std::string& name) const { return project.FindPackage(name); }
  template <typename F>
  std::vector<std::string> PathsOf(const std::string& package, F field) const {
    if (const PackageInfo* info = Package(package)) return (*info).*field;
    if (field == &PackageInfo::model_paths) return project.model_paths;
    if (field == &PackageInfo::seed_paths) return project.seed_paths;
    if (field == &PackageInfo::test_paths) return project.test_paths;
    return project.snapshot_paths;
  }

  Json DependsOn(const std::string& id) const {
    Json nodes = Json::array();
    for (const std::string& parent : compiler.DependsOn(id))
      if (std::find(nodes.begin(), nodes.end(), parent) == nodes.end()) nodes.push_back(parent);
    return {{"macros", Json::array()}, {"nodes", nodes}};
  }

  Json Refs(const std::string& id) const {
    Json refs = Json::array();
    for (const std::string& parent : compiler.DependsOn(id)) {
      if (parent.rfind("source.", 0) == 0) continue;
      const GraphNode* node = dag.Contains(parent) ? &dag.Node(parent) : nullptr;
      if (node) refs.push_back({{"name", node->name}, {"package", nullptr}, {"version", nullptr}});
    }
    return refs;
  }

  Json Sources(const std::string& id) const {
    Json sources = Json::array();
    for (const std::string& parent : compiler.DependsOn(id))
      if (parent.rfind("source.", 0) == 0 && dag.Contains(parent))
        sources.push_back({dag.Node(parent).source_name, dag.Node(parent).name});
    return sources;
  }

  Json Base(const std::string& id, const std::string& type, const std::string& package, const std::string& name,
            const std::vector<std::string>& fqn, const std::string& path, const std::string& file_path,
            const NodeConfig& config, const std::string& raw_code, const std::string& description,
            const std::vector<Column>& columns, const std::string& patch_path) const {
    Json node;
    bool relational = type == "model" || type == "seed" || type == "snapshot";
    Relation relation = relational ? compiler.RelationOf(id) : Relation{};
    node["database"] = relational ? relation.database : compiler.target_database();
    node["schema"] = relational ? relation.schema : compiler.options().target.schema;
    node["name"] = name;
    node["resource_type"] = type;
    node["package_name"] = package;
    node["path"] = path;
    node["original_file_path"] = file_path;
    node["unique_id"] = id;
    node["fqn"] = fqn;
    node["alias"] = relational ? relation.identifier : name;
    node["checksum"] = Checksum(raw_code);
    Json config_json = Json(nlohmann::ordered_json::parse(config.values.dump()));
    config_json["enabled"] = config.enabled;
    config_json["tags"] = config.tags;
    node["config"] = config_json;
    node["tags"] = config.tags;
    node["description"] = description;
    node["columns"] = Columns(columns);
    node["meta"] = config.values.contains("meta") ? Json::parse(config.values["meta"].dump()) : Json::object();
    node["group"] = nullptr;
    node["docs"] = {{"show", true}, {"node_color", nullptr}};
    node["patch_path"] = patch_path.empty() ? Json(nullptr) : Json(package + "://" + patch_path);
    node["build_path"] = nullptr;
    node["unrendered_config"] = Json::object();
    node["created_at"] = 0.0;
    node["relation_name"] = relational && config.materialized != "ephemeral" ? Json(relation.Render()) : Json(nullptr);
    node["raw_code"] = raw_code;
    node["language"] = "sql";
    node["refs"] = Refs(id);
    node["sources"] = Sources(id);
    node["metrics"] = Json::array();
    node["depends_on"] = DependsOn(id);
    node["compiled_path"] = nullptr;
    return node;
  }

  Json Build() const {
    Json manifest;
    manifest["metadata"] = Metadata(kManifestSchema, project.name);
    Json nodes = Json::object(), sources = Json::object(), macros = Json::object(), disabled = Json::object();
    for (const Model& m : project.models) {
      Json node = Base(m.unique_id, "model", m.package, m.name, m.fqn,
                       ResourcePath(PathsOf(m.package, &PackageInfo::model_paths), m.file.path), m.file.path, m.config,
                       m.file.text, m.description, m.columns, m.patch_path);
      node["access"] = "protected";
      node["constraints"] = Json::array();
      node["version"] = nullptr;
      node["latest_version"] = nullptr;
      node["deprecation_date"] = nullptr;
      (m.config.enabled ? nodes : disabled)[m.unique_id] = m.config.enabled ? node : Json::array({node});
    }
    for (const Seed& s : project.seeds) {
      std::string text = ReadOr(project.PackageRoot(s.package) / s.path, "");
      Json node = Base(s.unique_id, "seed", s.package, s.name, s.fqn,
                       ResourcePath(PathsOf(s.package, &PackageInfo::seed_paths), s.path), s.path, s.config, text,
                       s.description, s.columns, s.patch_path);
      node["raw_code"] = "";
      node["root_path"] = project.PackageRoot(s.package).generic_string();
      for (const char* key : {"compiled_path", "language", "metrics", "refs", "sources"}) node.erase(key);
      node["depends_on"] = {{"macros", Json::array()}};
      (s.config.enabled ? nodes : disabled)[s.unique_id] = s.config.enabled ? node : Json::array({node});
    }
    for (const Snapshot& s : project.snapshots) {
      Json node = Base(s.unique_id, "snapshot", s.package, s.name, s.fqn,
                       ResourcePath(PathsOf(s.package, &PackageInfo::snapshot_paths), s.file.path), s.file.path,
                       s.config, s.file.text, s.description, s.columns, s.patch_path);
      (s.config.enabled ? nodes : disabled)[s.unique_id] = s.config.enabled ? node : Json::array({node});
    }
    for (const DataTest& t : project.tests) {
      bool generic = t.kind == DataTest::Kind::kGeneric;
      std::string raw = generic ? "{{ " + std::string(t.test_namespace.empty() ? "" : t.test_namespace + ".") + "test_" +
                                      t.test_name + "(**_dbt_generic_test_kwargs) }}"
                                : t.file.text;
      std::string path = generic ? t.name + ".sql" : ResourcePath(PathsOf(t.package, &PackageInfo::test_paths), t.path);
      Json node = Base(t.unique_id, "test", t.package, t.name, t.fqn, path, t.path, t.config, raw, t.description, {}, "");
      if (generic) {
        Json kwargs = Json::parse(t.arguments.dump());
        if (t.column_name) kwargs["column_name"] = *t.column_name;
        node["test_metadata"] = {{"name", t.test_name},
                                 {"kwargs", kwargs},
                                 {"namespace", t.test_namespace.empty() ? Json(nullptr) : Json(t.test_namespace)}};
        node["column_name"] = t.column_name ? Json(*t.column_name) : Json(nullptr);
        node["attached_node"] = t.attached_to.rfind("source.", 0) == 0 ? Json(nullptr) : Json(t.attached_to);
        node["file_key_name"] = nullptr;
      }
      (t.config.enabled ? nodes : disabled)[t.unique_id] = t.config.enabled ? node : Json::array({node});
    }
    for (const SourceTable& t : project.sources) {
      Json source;
      std::string database = t.database.value_or(compiler.target_database());
      source["database"] = database;
      source["schema"] = t.schema;
      source["name"] = t.name;
      source["resource_type"] = "source";
      source["package_name"] = t.package;
      source["path"] = t.path;
      source["original_file_path"] = t.path;
      source["unique_id"] = t.unique_id;
      source["fqn"] = t.fqn;
      source["source_name"] = t.source_name;
      source["source_description"] = "";
      source["loader"] = "";
      source["identifier"] = t.identifier;
      source["description"] = t.description;
      source["columns"] = Columns(t.columns);
      source["meta"] = Json::object();
      source["source_meta"] = Json::object();
      source["tags"] = t.config.tags;
      source["config"] = {{"enabled", t.config.enabled}};
      source["relation_name"] = t.IsRawDataset() ? Json(nullptr) : Json(Relation{database, t.schema, t.identifier}.Render());
      source["created_at"] = 0.0;
      source["loaded_at_field"] = t.config.values.contains("loaded_at_field")
                                      ? Json::parse(t.config.values["loaded_at_field"].dump())
                                      : Json(nullptr);
      source["freshness"] = t.config.values.contains("freshness") ? Json::parse(t.config.values["freshness"].dump())
                                                                  : Json(nullptr);
      sources[t.unique_id] = source;
    }
    for (const MacroInfo& macro : compiler.macros().macros()) {
      Json entry;
      entry["name"] = macro.name;
      entry["resource_type"] = "macro";
      entry["package_name"] = macro.package;
      entry["path"] = macro.path;
      entry["original_file_path"] = macro.path;
      entry["unique_id"] = macro.unique_id;
      entry["macro_sql"] = "";
      entry["depends_on"] = {{"macros", Json::array()}};
      entry["description"] = "";
      entry["meta"] = Json::object();
      entry["docs"] = {{"show", true}, {"node_color", nullptr}};
      entry["patch_path"] = nullptr;
      entry["arguments"] = Json::array();
      entry["created_at"] = 0.0;
      entry["supported_languages"] = nullptr;
      macros[macro.unique_id] = entry;
    }
    manifest["nodes"] = nodes;
    manifest["sources"] = sources;
    manifest["macros"] = macros;
    manifest["docs"] = Json::object();
    Json exposures = Json::object(), metrics = Json::object(), groups = Json::object(), semantic = Json::object(),
         saved = Json::object();
    for (const DescribedResource& resource : project.described) {
      Json entry = Json::parse(resource.properties.dump());
      entry["name"] = resource.name;
      entry["resource_type"] = resource.kind;
      entry["package_name"] = resource.package;
      entry["path"] = resource.path;
      entry["original_file_path"] = resource.path;
      entry["unique_id"] = resource.unique_id;
      entry["fqn"] = {resource.package, resource.name};
      Json& into = resource.kind == "exposure" ? exposures
                   : resource.kind == "metric" ? metrics
                   : resource.kind == "group"  ? groups
                   : resource.kind == "semantic_model" ? semantic
                                                       : saved;
      into[resource.unique_id] = entry;
    }
    manifest["exposures"] = exposures;
    manifest["metrics"] = metrics;
    manifest["groups"] = groups;
    manifest["selectors"] = Json::object();
    manifest["disabled"] = disabled;
    Json parents = Json::object(), children = Json::object();
    for (const GraphNode& node : dag.nodes()) {
      parents[node.unique_id] = dag.Parents(node.unique_id);
      children[node.unique_id] = dag.Children(node.unique_id);
    }
    manifest["parent_map"] = parents;
    manifest["child_map"] = children;
    manifest["group_map"] = Json::object();
    manifest["saved_queries"] = saved;
    manifest["semantic_models"] = semantic;
    Json unit_tests = Json::object();
    for (const UnitTest& u : project.unit_tests) {
      Json entry;
      entry["model"] = u.model;
      Json given = Json::array();
      for (const UnitTestInput& input : u.given)
        given.push_back({{"input", input.input}, {"rows", Json::parse(input.fixture.rows.dump())}, {"format", input.fixture.format}});
      entry["given"] = given;
      entry["expect"] = {{"rows", Json::parse(u.expect.rows.dump())}, {"format", u.expect.format}};
      entry["name"] = u.name;
      entry["resource_type"] = "unit_test";
      entry["package_name"] = u.package;
      entry["path"] = u.path;
      entry["original_file_path"] = u.path;
      entry["unique_id"] = u.unique_id;
      entry["fqn"] = u.fqn;
      entry["description"] = u.description;
      entry["overrides"] = u.overrides.empty() ? Json(nullptr) : Json::parse(u.overrides.dump());
      entry["depends_on"] = {{"macros", Json::array()}, {"nodes", Json::array({"model." + u.package + "." + u.model})}};
      entry["config"] = {{"tags", u.config.tags}, {"meta", Json::object()}, {"enabled", u.config.enabled}};
      entry["checksum"] = nullptr;
      entry["schema"] = compiler.options().target.schema;
      entry["created_at"] = 0.0;
      unit_tests[u.unique_id] = entry;
    }
    manifest["unit_tests"] = unit_tests;
    return manifest;
  }
};

}  // namespace

std::string ManifestJson(const Compiler& compiler, const Dag& dag) {
  return ManifestBuilder{compiler, dag, compiler.project()}.Build().dump(2);
}

void WriteManifest(const Compiler& compiler, const Dag& dag, const fs::path& target_dir) {
  std::error_code ec;
  fs::create_directories(target_dir, ec);
  fs::path path = target_dir / "manifest.json";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << ManifestJson(compiler, dag) << "\n";
  if (!out) throw Error("cannot write " + path.string());
}

std::string RunResultsJson(const RunReport& report) {
  Json results = Json::array();
  for (const NodeResult& result : report.results) {
    Json entry;
    entry["status"] = result.status;
    Json timing = Json::array();
    if (!result.started_at.empty()) {
      timing.push_back({{"name", "compile"}, {"started_at", result.started_at}, {"completed_at", result.started_at}});
      timing.push_back({{"name", "execute"}, {"started_at", result.started_at}, {"completed_at", result.completed_at}});
    }
    entry["timing"] = timing;
    entry["thread_id"] = result.thread_id.empty() ? "Thread-1" : result.thread_id;
    entry["execution_time"] = result.seconds;
    Json response = Json::object();
    if (result.rows) response = {{"_message", "OK " + std::to_string(*result.rows)}, {"code", "OK"}, {"rows_affected", *result.rows}};
    entry["adapter_response"] = response;
    entry["message"] = result.message.empty() ? Json(nullptr) : Json(result.message);
    entry["failures"] = result.failures ? Json(*result.failures) : Json(nullptr);
    entry["unique_id"] = result.unique_id;
    entry["compiled"] = !result.compiled_code.empty();
    entry["compiled_code"] = result.compiled_code.empty() ? Json(nullptr) : Json(result.compiled_code);
    entry["relation_name"] = result.relation_name.empty() ? Json(nullptr) : Json(result.relation_name);
    entry["batch_results"] = nullptr;
    results.push_back(std::move(entry));
  }
  Json root;
  root["metadata"] = Metadata(kRunResultsSchema, "");
  root["results"] = std::move(results);
  root["elapsed_time"] = report.seconds;
  root["args"] = Json::object();
  return root.dump(2);
}

}  // namespace dlctl::transform
