#include "docs/lab_document.h"

#include <chrono>
#include <set>

#include "backup/backup.h"
#include "docs/project_nodes.h"
#include "graph/graph_load.h"
#include "graph/graph_store.h"
#include "lake/maintenance/catalog_listing.h"
#include "lake/maintenance/catalog_verify.h"
#include "lake/lakehouse.h"
#include "storage/versioned_datasets.h"
#include "util/clock.h"
#include "util/error.h"

namespace dlctl::docs {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

// A listing's rows as objects with typed values, as `--format json` prints them.
ordered_json RowsJson(const QueryResult& result) {
  ordered_json rows = ordered_json::array();
  for (const auto& row : result.rows) {
    ordered_json object = ordered_json::object();
    for (size_t c = 0; c < result.columns.size(); ++c) {
      if (!row[c])
        object[result.columns[c]] = nullptr;
      else if (result.types[c] == "BIGINT")
        object[result.columns[c]] = std::stoll(*row[c]);
      else
        object[result.columns[c]] = *row[c];
    }
    rows.push_back(object);
  }
  return rows;
}

ordered_json CatalogJson(const Settings& settings, ObjectStore& store, lake::Lakehouse& lakehouse,
                         const CatalogSettings& catalog, bool verify) {
  lake::CatalogReader& reader = lakehouse.reader(catalog.name);
  ordered_json out = {{"name", catalog.name},
                      {"mart", catalog.is_mart},
                      {"metadata", catalog.postgres_schema ? "postgres schema " + *catalog.postgres_schema
                                                          : "sqlite " + catalog.db_path.string()},
                      {"data_path", reader.data_path()}};
  out["snapshots"] = RowsJson(lake::ListSnapshots(reader));
  out["tables"] = RowsJson(lake::ListTables(reader, {}));
  out["files"] = RowsJson(lake::ListFiles(reader, {}));
  // The snapshot that last wrote each table (its begin snapshot: DuckLake tables are replaced,
  // not changed in place, by dlctl's writes) and its columns with their lake types.
  lake::CatalogState state = reader.Load({}, false);
  ordered_json written = ordered_json::object();
  for (const lake::SchemaInfo& schema : state.schemas) {
    for (const lake::TableInfo& table : schema.tables) {
      ordered_json columns = ordered_json::array();
      for (const lake::ColumnInfo& column : table.columns)
        columns.push_back({{"name", column.name}, {"type", column.type},
                           {"comment", column.comment ? ordered_json(*column.comment) : ordered_json(nullptr)}});
      written[schema.name + "." + table.name] = {{"begin_snapshot", table.begin_snapshot}, {"columns", columns}};
    }
    for (const lake::ViewInfo& view : schema.views)
      written[schema.name + "." + view.name] = {{"view", true}, {"sql", view.sql}};
  }
  out["objects"] = written;
  if (verify) {
    lake::VerifyReport report = lake::VerifyCatalog(lakehouse.metadata(catalog.name), store, reader.data_path());
    ordered_json problems = ordered_json::array(), orphans = ordered_json::array();
    for (const auto& problem : report.problems) problems.push_back({{"path", problem.path}, {"problem", problem.message}});
    for (const auto& orphan : report.orphans) orphans.push_back({{"path", orphan.path}, {"size", orphan.size}});
    out["verify"] = {{"ok", report.ok()}, {"files_checked", report.files_checked}, {"problems", problems},
                     {"orphans", orphans}};
  }
  (void)settings;
  return out;
}

// raw/ and exports/: each dataset with its versions (newest last), files and manifest.
ordered_json VersionedJson(ObjectStore& store, const std::string& prefix, int name_depth) {
  VersionedDatasets datasets(store, prefix, name_depth);
  ordered_json out = ordered_json::array();
  for (const std::string& name : datasets.Names()) {
    Dataset dataset = datasets.Describe(name, true);
    ordered_json versions = ordered_json::array();
    for (const DatasetVersion& version : dataset.versions) {
      ordered_json files = ordered_json::array();
      uint64_t bytes = 0;
      for (const ObjectInfo& file : version.files) {
        files.push_back({{"path", file.key.substr(version.key.size() + 1)}, {"size", file.size}});
        bytes += file.size;
      }
      bool latest = dataset.manifest && dataset.manifest->latest_key == version.key;
      versions.push_back({{"version", version.key.substr(datasets.DatasetFolder(name).size())},
                          {"uri", store.Uri(version.key)},
                          {"latest", latest},
                          {"complete", version.complete},
                          {"files", files},
                          {"bytes", bytes}});
    }
    out.push_back({{"name", name},
                   {"latest", dataset.manifest ? ordered_json(dataset.manifest->latest_uri) : ordered_json(nullptr)},
                   {"manifest", dataset.manifest ? ordered_json::parse(dataset.manifest->json.dump()) : ordered_json(nullptr)},
                   {"versions", versions}});
  }
  return out;
}

ordered_json BackupsJson(const Settings& settings, ObjectStore& store) {
  ordered_json out = ordered_json::array();
  for (const Backup& backup : ListBackups(settings, store, true)) {
    ordered_json files = ordered_json::array();
    for (const BackupFile& file : backup.files)
      files.push_back({{"path", file.path}, {"kind", file.kind}, {"catalog", file.catalog}, {"size", file.size},
                       {"sha256", file.sha256}});
    out.push_back({{"id", backup.id}, {"uri", backup.uri}, {"latest", backup.latest}, {"complete", backup.complete},
                   {"problem", backup.problem.empty() ? ordered_json(nullptr) : ordered_json(backup.problem)},
                   {"files", files}});
  }
  return out;
}

// The graphs that exist: configured ones and those under LOCAL_DIR/graphs/.
std::set<std::string> GraphSchemas(const Settings& settings) {
  std::set<std::string> schemas;
  for (const GraphSettings& graph : settings.graphs) schemas.insert(graph.schema);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(settings.local_dir / "graphs", ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.find('.') == std::string::npos) schemas.insert(name);
  }
  std::set<std::string> present;
  for (const std::string& schema : schemas)
    if (fs::exists(graph::GraphDatabasePath(settings, schema))) present.insert(schema);
  return present;
}

ordered_json GraphJson(const Settings& settings, const std::string& schema) {
  auto graph = graph::OpenGraph(settings, schema, /*read_only=*/true);
  ordered_json nodes = ordered_json::array(), rels = ordered_json::array();
  bool embeddings = false;
  for (const std::string& table : graph->NodeTables()) {
    int64_t count = std::stoll(graph->Query("MATCH (n:`" + table + "`) RETURN count(n)").rows.at(0).at(0));
    bool has_embedding = false;
    for (const auto& property : graph->Properties(table)) has_embedding = has_embedding || property.name == "embedding";
    if (has_embedding) {
      int64_t with = std::stoll(
          graph->Query("MATCH (n:`" + table + "`) WHERE n.embedding IS NOT NULL RETURN count(n)").rows.at(0).at(0));
      embeddings = embeddings || with > 0;
      nodes.push_back({{"label", table}, {"count", count}, {"with_embedding", with}});
    } else {
      nodes.push_back({{"label", table}, {"count", count}, {"with_embedding", 0}});
    }
  }
  for (const std::string& table : graph->RelTables()) {
    int64_t count = std::stoll(graph->Query("MATCH ()-[r:`" + table + "`]->() RETURN count(r)").rows.at(0).at(0));
    ordered_json pairs = ordered_json::array();
    for (const auto& pair : graph->RelPairs(table)) pairs.push_back({{"from", pair.from}, {"to", pair.to}});
    rels.push_back({{"label", table}, {"count", count}, {"pairs", pairs}});
  }
  ordered_json indexes = ordered_json::array();
  for (const auto& [table, name] : graph->EmbeddingIndexes()) indexes.push_back({{"table", table}, {"index", name}});
  return {{"schema", schema},
          {"path", graph::GraphDatabasePath(settings, schema).string()},
          {"node_tables", nodes},
          {"rel_tables", rels},
          {"embeddings", embeddings},
          {"vector_indexes", indexes}};
}

// The storage and graph ends of the lineage: a node per raw dataset, export and graph, with an
// edge from each model of an exported or graphed schema.
void AddStorageNodes(ordered_json& doc) {
  ordered_json& nodes = doc["nodes"];
  ordered_json& edges = doc["edges"];
  std::set<std::string> ids;
  for (const auto& node : nodes) ids.insert(node["id"].get<std::string>());
  for (const auto& dataset : doc["datasets"]) {
    std::string id = "dataset." + dataset["name"].get<std::string>();
    nodes.push_back({{"id", id}, {"kind", "dataset"}, {"name", dataset["name"]}, {"versions", dataset["versions"].size()},
                     {"latest", dataset["latest"]}});
    ids.insert(id);
  }
  // Sources naming a dataset never ingested still get an edge: from a dataset node marked missing.
  for (const auto& edge : ordered_json(edges)) {
    std::string from = edge["from"];
    if (from.rfind("dataset.", 0) == 0 && !ids.count(from)) {
      nodes.push_back({{"id", from}, {"kind", "dataset"}, {"name", from.substr(8)}, {"versions", 0},
                       {"latest", nullptr}, {"missing", true}});
      ids.insert(from);
    }
  }
  auto link_models = [&](const std::string& catalog, const std::string& schema, const std::string& to) {
    for (const auto& node : nodes)
      if (node["kind"] == "model" && node.value("catalog", "") == catalog && node.value("schema", "") == schema)
        edges.push_back({{"from", node["id"]}, {"to", to}});
  };
  for (const auto& exported : doc["exports"]) {
    std::string name = exported["name"];  // catalog/schema
    std::string id = "export." + name;
    nodes.push_back({{"id", id}, {"kind", "export"}, {"name", name}, {"versions", exported["versions"].size()},
                     {"latest", exported["latest"]}});
    size_t slash = name.find('/');
    link_models(name.substr(0, slash), name.substr(slash + 1), id);
  }
  for (const auto& graph : doc["graphs"]) {
    std::string schema = graph["schema"];
    std::string id = "graph." + schema;
    nodes.push_back({{"id", id}, {"kind", "graph"}, {"name", schema}, {"embeddings", graph["embeddings"]}});
    link_models(graph::kGraphCatalog, schema, id);
  }
}

// Runs `part`; a failure becomes a problem of the document instead of failing it all.
template <typename Part>
void Try(ordered_json& doc, const std::string& what, Part part) {
  try {
    part();
  } catch (const std::exception& e) {
    doc["problems"].push_back({{"part", what}, {"message", e.what()}});
  }
}

}  // namespace

ordered_json BuildLabDocument(const Settings& settings, std::shared_ptr<ObjectStore> store, const LabOptions& options) {
  ordered_json doc = {{"generated_at", IsoTimestamp(std::chrono::system_clock::now())},
                      {"dlctl_version", DLCTL_VERSION},
                      {"bucket", store->Uri("")},
                      {"project", nullptr},
                      {"nodes", ordered_json::array()},
                      {"edges", ordered_json::array()},
                      {"catalogs", ordered_json::array()},
                      {"datasets", ordered_json::array()},
                      {"exports", ordered_json::array()},
                      {"backups", ordered_json::array()},
                      {"graphs", ordered_json::array()},
                      {"problems", ordered_json::array()}};
  Try(doc, "transform project " + options.project_dir.string(),
      [&] { AddProjectNodes(settings, *store, options.project_dir, doc); });
  Try(doc, "catalogs", [&] {
    lake::Lakehouse lakehouse(settings);
    std::vector<std::string> open = lakehouse.names();
    for (const CatalogSettings& catalog : settings.catalogs) {
      if (std::find(open.begin(), open.end(), catalog.name) == open.end()) continue;
      Try(doc, "catalog " + catalog.name, [&] {
        doc["catalogs"].push_back(CatalogJson(settings, *store, lakehouse, catalog, options.verify_catalogs));
      });
    }
  });
  Try(doc, "raw datasets", [&] { doc["datasets"] = VersionedJson(*store, settings.ingest_prefix, 1); });
  Try(doc, "exports", [&] { doc["exports"] = VersionedJson(*store, settings.exports_prefix, 2); });
  Try(doc, "backups", [&] { doc["backups"] = BackupsJson(settings, *store); });
  for (const std::string& schema : GraphSchemas(settings))
    Try(doc, "graph " + schema, [&] { doc["graphs"].push_back(GraphJson(settings, schema)); });
  AddStorageNodes(doc);
  return doc;
}

}  // namespace dlctl::docs
