#include "graph/graph_load.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <set>

#include "engine/engine.h"
#include "graph/copy_queue.h"
#include "graph/graph_mapping.h"
#include "graph/graph_rewrite.h"
#include "graph/mart_table_names.h"
#include "graph/property_types.h"
#include "lake/lakehouse.h"
#include "storage/versioned_datasets.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/scratch_folder.h"
#include "util/sql_quote.h"

namespace dlctl::graph {
namespace {

namespace fs = std::filesystem;

// A mart table as the engine reads it.
struct MartTable {
  std::string name;
  std::string from_sql;  // graphs."schema"."table" or read_parquet([...])
  std::vector<std::pair<std::string, std::string>> columns;  // name, DuckDB type
};

struct Property {
  std::string name;
  std::string lake_type;   // the common type of the merged tables
  std::string kuzu_type;
};

struct NodeGroup {
  std::string label;
  std::vector<const MartTable*> tables;
  std::vector<Property> properties;  // node_id excluded
};

struct RelGroup {
  std::string name;
  std::vector<const MartTable*> tables;
  std::vector<Property> properties;  // source_id and target_id excluded
  std::map<std::pair<std::string, std::string>, int64_t> pairs;  // (from label, to label) → edges
};

// Removes a database build (the folder and its log) when the load stops before the build is
// renamed into place.
class ScopedRemoval {
 public:
  explicit ScopedRemoval(std::vector<fs::path> paths) : paths_(std::move(paths)) {}
  ~ScopedRemoval() {
    if (!armed_) return;
    std::error_code ignored;
    for (const auto& path : paths_) fs::remove_all(path, ignored);
  }
  void Disarm() { armed_ = false; }

 private:
  std::vector<fs::path> paths_;
  bool armed_ = true;
};

int64_t FirstInteger(const QueryResult& result) {
  if (result.rows.empty() || result.rows[0].empty() || !result.rows[0][0]) throw Error("the engine returned no count");
  return std::stoll(*result.rows[0][0]);
}

std::string Examples(const QueryResult& result) {
  std::string text;
  for (const auto& row : result.rows) text += (text.empty() ? "" : ", ") + row[0].value_or("NULL");
  return text;
}

std::vector<MartTable> LakeTables(lake::Lakehouse& lakehouse, Engine& engine, const GraphLoadOptions& options,
                                  std::string& source) {
  std::vector<std::string> names = lakehouse.names();
  if (std::find(names.begin(), names.end(), kGraphCatalog) == names.end())
    throw NotFoundError("the graph mart catalog 'graphs' does not exist yet: build it with dlctl transform");
  lake::SnapshotSelector selector;
  selector.id = options.snapshot;
  lake::CatalogState state = lakehouse.reader(kGraphCatalog).Load(selector, false);
  const lake::SchemaInfo* schema = state.FindSchema(options.schema);
  if (!schema)
    throw NotFoundError(fmt::format("the graph mart has no schema '{}' at snapshot {}", options.schema,
                                    state.snapshot.id));
  lakehouse.Attach(engine, {}, {{kGraphCatalog, selector}});
  source = fmt::format("{}.{} at snapshot {}", kGraphCatalog, options.schema, state.snapshot.id);
  std::vector<MartTable> tables;
  auto add = [&](const std::string& name) {
    tables.push_back({name, SqlIdentifier(kGraphCatalog) + "." + SqlIdentifier(options.schema) + "." +
                                SqlIdentifier(name), {}});
  };
  for (const auto& table : schema->tables) add(table.name);
  for (const auto& view : schema->views) add(view.name);
  return tables;
}

std::vector<MartTable> ExportTables(const Settings& settings, ObjectStore& store, const GraphLoadOptions& options,
                                    std::string& source) {
  if (options.snapshot) throw UsageError("--snapshot and --from-export do not go together (an export is one snapshot)");
  VersionedDatasets exports(store, settings.exports_prefix, 2);
  std::string dataset = std::string(kGraphCatalog) + "/" + options.schema;
  std::optional<Manifest> manifest = exports.ReadManifest(dataset);
  if (!manifest)
    throw NotFoundError(fmt::format("no export of {}.{}: run dlctl export dataset {} {} first", kGraphCatalog,
                                    options.schema, kGraphCatalog, options.schema));
  std::string format = manifest->json.value("format", "parquet");
  std::string reader = format == "parquet" ? "read_parquet" : format == "csv" ? "read_csv" : "read_json";
  source = manifest->latest_uri;
  std::vector<MartTable> tables;
  for (const auto& table : manifest->json.value("tables", nlohmann::json::array())) {
    std::string files;
    for (const auto& file : table.value("files", nlohmann::json::array()))
      files += (files.empty() ? "" : ", ") +
               SqlLiteral("s3://" + settings.bucket + "/" + manifest->latest_key + "/" + file.value("path", ""));
    tables.push_back({table.value("name", ""), reader + "([" + files + "])", {}});
  }
  return tables;
}

void DescribeColumns(Engine& engine, MartTable& table) {
  for (const auto& row : engine.Query("DESCRIBE SELECT * FROM " + table.from_sql).rows)
    table.columns.push_back({row[0].value_or(""), row[1].value_or("")});
}

const std::string* ColumnType(const MartTable& table, const std::string& column) {
  for (const auto& [name, type] : table.columns)
    if (name == column) return &type;
  return nullptr;
}

// The union of the tables' columns (first appearance first) minus `excluded`, restricted to
// `picked` when the mapping file lists properties.
std::vector<Property> MergeProperties(const std::vector<const MartTable*>& tables, const std::set<std::string>& excluded,
                                      const std::optional<std::vector<std::string>>& picked, const std::string& what) {
  std::vector<Property> properties;
  for (const MartTable* table : tables)
    for (const auto& [name, type] : table->columns) {
      if (excluded.count(name)) continue;
      auto found = std::find_if(properties.begin(), properties.end(), [&](const Property& p) { return p.name == name; });
      if (found == properties.end())
        properties.push_back({name, type, ""});
      else
        found->lake_type = CommonLakeType(found->lake_type, type);
    }
  if (picked) {
    std::vector<Property> kept;
    for (const auto& name : *picked) {
      auto found = std::find_if(properties.begin(), properties.end(), [&](const Property& p) { return p.name == name; });
      if (found == properties.end()) throw UsageError(fmt::format("{} has no column '{}' to keep as a property", what, name));
      kept.push_back(*found);
    }
    properties = kept;
  }
  for (auto& property : properties) {
    std::optional<std::string> kuzu = KuzuTypeFor(property.lake_type);
    if (!kuzu)
      throw Error(fmt::format("{}: column {} has type {}, which the graph cannot store (cast it in the model)", what,
                              property.name, property.lake_type));
    property.kuzu_type = *kuzu;
    property.lake_type = LoadableLakeType(property.lake_type);
  }
  return properties;
}

std::string Join(const std::vector<const MartTable*>& tables) {
  std::string names;
  for (const MartTable* table : tables) names += (names.empty() ? "" : ", ") + table->name;
  return names;
}

void RequireIntegerColumn(const MartTable& table, const std::string& column) {
  const std::string* type = ColumnType(table, column);
  if (!type) throw Error(fmt::format("{} has no {} column", table.name, column));
  if (*type != "BIGINT" && *type != "INTEGER" && *type != "SMALLINT" && *type != "TINYINT" && *type != "UINTEGER" &&
      *type != "USMALLINT" && *type != "UTINYINT")
    throw Error(fmt::format("{}.{} is {}, not an integer", table.name, column, *type));
}

// `column::TYPE AS column` when the table has it, else a typed NULL.
std::string SelectProperty(const MartTable& table, const Property& property, const std::string& alias = "") {
  std::string column = SqlIdentifier(property.name);
  if (!ColumnType(table, property.name)) return "NULL::" + property.lake_type + " AS " + column;
  return fmt::format("{}{}::{} AS {}", alias, column, property.lake_type, column);
}

class GraphLoader {
 public:
  GraphLoader(const Settings& settings, std::shared_ptr<ObjectStore> store, const GraphLoadOptions& options)
      : settings_(settings), store_(std::move(store)), options_(options), engine_(store_, settings) {}

  GraphLoadReport Run() {
    auto started = std::chrono::steady_clock::now();
    report_.schema = options_.schema;
    report_.database = GraphDatabasePath(settings_, options_.schema);
    progress_.Update("reading the mart", true);
    std::vector<MartTable> tables;
    if (options_.from_export)
      tables = ExportTables(settings_, *store_, options_, report_.source);
    else
      tables = LakeTables(lakehouse_, engine_, options_, report_.source);
    GroupTables(tables);
    CheckNodeIds();
    FindRelPairs();

    RemoveLeftoversOfDeadProcesses(settings_.local_dir / "tmp", {fmt::format("graph-load-{}-", options_.schema)});
    fs::path scratch_path = settings_.local_dir / "tmp" / fmt::format("graph-load-{}-{}", options_.schema, getpid());
    fs::remove_all(scratch_path);  // left by an earlier process with this pid
    ScratchFolder scratch(scratch_path);
    Build([&](const CopyReady& ready) { WriteParquet(scratch.path(), ready); });
    report_.seconds = SecondsSince(started);
    return report_;
  }

 private:
  // Every key of the mapping file names a mart table: its full name or its stem.
  void RequireMappedTablesExist(const std::map<std::string, MappedTable>& entries, const std::set<std::string>& keys,
                                const char* kind, const char* prefix) const {
    for (const auto& [key, mapped] : entries)
      if (!keys.count(key))
        throw UsageError(fmt::format("{}: no {} table of the mart is named {} or *{}_{}", mapping_.file.string(), kind,
                                     key, prefix, key));
  }

  void GroupTables(std::vector<MartTable>& tables) {
    mapping_ = ReadGraphMapping(options_.project_dir, options_.schema);
    std::set<std::string> node_keys, rel_keys;  // every full name and stem of the mart's tables
    for (auto& table : tables) {
      std::optional<MartTableName> parsed = ParseMartTableName(table.name);
      if (!parsed) continue;
      DescribeColumns(engine_, table);
      const bool is_node = parsed->kind == MartTableKind::kNodes;
      if (is_node) {
        RequireIntegerColumn(table, "node_id");
      } else {
        RequireIntegerColumn(table, "source_id");
        RequireIntegerColumn(table, "target_id");
      }
      (is_node ? node_keys : rel_keys).insert({table.name, parsed->stem});
      const MappedTable mapped = Mapped(is_node ? mapping_.nodes : mapping_.rels, table.name, parsed->stem);
      const std::string name = mapped.name.value_or(KuzuNameFromStem(parsed->stem));
      Pick(name, mapped, table.name);
      if (is_node) {
        nodes_[name].label = name;
        nodes_[name].tables.push_back(&table);
      } else {
        rels_[name].name = name;
        rels_[name].tables.push_back(&table);
      }
    }
    RequireMappedTablesExist(mapping_.nodes, node_keys, "node", "nodes");
    RequireMappedTablesExist(mapping_.rels, rel_keys, "edge", "edges");
    if (nodes_.empty())
      throw Error(fmt::format("{} has no node tables (named [prefix_]nodes_<label>)", report_.source));
    for (auto& [label, group] : nodes_)
      group.properties = MergeProperties(group.tables, {"node_id"}, picked_[label],
                                         fmt::format("node table {} ({})", label, Join(group.tables)));
    for (auto& [name, group] : rels_)
      group.properties = MergeProperties(group.tables, {"source_id", "target_id"}, picked_[name],
                                         fmt::format("rel table {} ({})", name, Join(group.tables)));
    for (const auto& [name, group] : rels_)
      if (nodes_.count(name)) throw Error(fmt::format("{} names both a node label and a rel table", name));
  }

  // A table's entry in the mapping file: under its full name, else under its stem, else none.
  static MappedTable Mapped(const std::map<std::string, MappedTable>& section, const std::string& table,
                            const std::string& stem) {
    if (auto found = section.find(table); found != section.end()) return found->second;
    if (auto found = section.find(stem); found != section.end()) return found->second;
    return {};
  }

  // The properties kept for a Kùzu table; its mart tables must not pick different ones.
  void Pick(const std::string& kuzu_table, const MappedTable& mapped, const std::string& table) {
    auto [picked, first] = picked_.try_emplace(kuzu_table, mapped.properties);
    if (!first && picked->second != mapped.properties)
      throw UsageError(fmt::format("{}: {} picks other properties than the other tables of {}", mapping_.file.string(),
                                   table, kuzu_table));
  }

  size_t LabelCode(const std::string& label) {
    auto found = std::find(labels_.begin(), labels_.end(), label);
    if (found != labels_.end()) return static_cast<size_t>(found - labels_.begin());
    labels_.push_back(label);
    return labels_.size() - 1;
  }

  // Every node id with its label, in one engine table; ids must be unique across node tables.
  // Labels and source tables are kept as their numbers (LabelCode, sources_), which the joins
  // and groupings over millions of ids handle faster than strings.
  void CheckNodeIds() {
    std::string select;
    for (const auto& [label, group] : nodes_)
      for (const MartTable* table : group.tables) {
        select += fmt::format("{}SELECT node_id::BIGINT AS node_id, {}::USMALLINT AS label, {}::USMALLINT AS source "
                              "FROM {}",
                              select.empty() ? "" : " UNION ALL ", LabelCode(label), sources_.size(), table->from_sql);
        sources_.push_back(table->name);
      }
    engine_.Query("CREATE OR REPLACE TEMP TABLE graph_nodes AS " + select);
    // One cheap pass decides whether anything is wrong; the costly details only when it is.
    QueryResult problems = engine_.Query(
        "SELECT count(*) - count(node_id), count(node_id) - count(DISTINCT node_id) FROM graph_nodes");
    if (FirstInteger(problems) == 0 && problems.rows.at(0).at(1).value_or("0") == "0") return;
    // The tables' names for their numbers, for the messages.
    std::string names;
    for (size_t i = 0; i < sources_.size(); ++i)
      names += fmt::format("{}({}, {})", i ? ", " : "", i, SqlLiteral(sources_[i]));
    engine_.Query("CREATE OR REPLACE TEMP TABLE graph_sources(source USMALLINT, name VARCHAR); "
                  "INSERT INTO graph_sources VALUES " + names);
    QueryResult nulls = engine_.Query(
        "SELECT DISTINCT name FROM graph_nodes JOIN graph_sources USING (source) WHERE node_id IS NULL ORDER BY 1");
    if (!nulls.rows.empty()) throw Error("node tables with a NULL node_id: " + Examples(nulls));
    QueryResult repeated = engine_.Query(
        "SELECT node_id, string_agg(name, ', ' ORDER BY name) FROM graph_nodes JOIN graph_sources USING (source) "
        "WHERE node_id IN (SELECT node_id FROM graph_nodes GROUP BY node_id HAVING count(*) > 1) "
        "GROUP BY node_id ORDER BY node_id");
    if (!repeated.rows.empty()) {
      QueryResult examples = repeated;
      if (examples.rows.size() > 5) examples.rows.resize(5);
      throw Error(fmt::format("{} node ids appear more than once across the node tables ({}), e.g. {} (in {})",
                              repeated.rows.size(), report_.source, Examples(examples),
                              repeated.rows[0][1].value_or("")));
    }
  }

  // One join per edge table: the labels of its source and target ids.
  void FindRelPairs() {
    for (auto& [name, group] : rels_)
      for (const MartTable* table : group.tables) {
        QueryResult pairs = engine_.Query(fmt::format(
            "SELECT s.label, t.label, count(*) FROM {} e LEFT JOIN graph_nodes s ON s.node_id = e.source_id "
            "LEFT JOIN graph_nodes t ON t.node_id = e.target_id GROUP BY ALL ORDER BY ALL",
            table->from_sql));
        for (const auto& row : pairs.rows)
          if (!row[0] || !row[1]) throw DanglingIds(*table);
        for (const auto& row : pairs.rows)
          group.pairs[{labels_.at(std::stoul(*row[0])), labels_.at(std::stoul(*row[1]))}] += std::stoll(*row[2]);
      }
  }

  Error DanglingIds(const MartTable& table) {
    std::string ends;
    for (const char* column : {"source_id", "target_id"})
      ends += fmt::format("{}SELECT {} AS id FROM {} e WHERE NOT EXISTS (SELECT 1 FROM graph_nodes n WHERE n.node_id = e.{})",
                          ends.empty() ? "" : " UNION ", column, table.from_sql, column);
    QueryResult count = engine_.Query("SELECT count(*) FROM (" + ends + ")");
    QueryResult examples = engine_.Query("SELECT id FROM (" + ends + ") ORDER BY id NULLS FIRST LIMIT 5");
    return Error(fmt::format("{}: {} node ids in source_id/target_id are in no node table, e.g. {}", table.name,
                             FirstInteger(count), Examples(examples)));
  }

  // Parquet files for every node label and every (rel, pair), and the Kùzu COPY for each.
  // A Cypher COPY of a file written, and the Kùzu table it fills.
  using CopyReady = std::function<void(std::string copy, std::string table)>;

  // Writes the files Kùzu copies from, node tables first, handing each COPY to `ready` as soon as
  // its file is complete.
  void WriteParquet(const fs::path& scratch, const CopyReady& ready) {
    int file_number = 0;
    auto write = [&](const std::string& select) {
      fs::path file = scratch / fmt::format("{}.parquet", file_number++);
      int64_t rows = FirstInteger(
          // The files live only until Kùzu has copied them: left uncompressed, both sides save time.
          engine_.Query(fmt::format("COPY ({}) TO {} (FORMAT parquet, COMPRESSION uncompressed)", select,
                                    SqlLiteral(file.string()))));
      return std::make_pair(file, rows);
    };
    for (auto& [label, group] : nodes_) {
      progress_.Update(fmt::format("writing {} ({} of {} tables)", label, report_.tables.size() + 1, nodes_.size() + rels_.size()), true);
      std::string select;
      for (const MartTable* table : group.tables) {
        select += (select.empty() ? "" : " UNION ALL ") + std::string("SELECT node_id::BIGINT AS node_id");
        for (const auto& property : group.properties) select += ", " + SelectProperty(*table, property);
        select += " FROM " + table->from_sql;
      }
      auto [file, rows] = write(select);
      LoadedTable loaded{"node", label, {}, {}, rows, 0};
      for (const MartTable* table : group.tables) loaded.sources.push_back(table->name);
      report_.tables.push_back(loaded);
      ready(fmt::format("COPY {} FROM {}", CypherName(label), CypherString(file.string())), label);
    }
    for (auto& [name, group] : rels_) {
      progress_.Update(fmt::format("writing {} ({} of {} tables)", name, report_.tables.size() + 1, nodes_.size() + rels_.size()), true);
      LoadedTable loaded{"rel", name, {}, {}, 0, 0};
      for (const MartTable* table : group.tables) loaded.sources.push_back(table->name);
      for (const auto& [pair, edges] : group.pairs) {
        std::string select;
        for (const MartTable* table : group.tables) {
          select += (select.empty() ? "" : " UNION ALL ") +
                    std::string("SELECT e.source_id::BIGINT AS source_id, e.target_id::BIGINT AS target_id");
          for (const auto& property : group.properties) select += ", " + SelectProperty(*table, property, "e.");
          // With one pair, FindRelPairs saw every edge land in it: no need to join the labels again.
          select += group.pairs.size() == 1
                        ? fmt::format(" FROM {} e", table->from_sql)
                        : fmt::format(" FROM {} e JOIN graph_nodes s ON s.node_id = e.source_id AND s.label = {} "
                                      "JOIN graph_nodes t ON t.node_id = e.target_id AND t.label = {}",
                                      table->from_sql, LabelCode(pair.first), LabelCode(pair.second));
        }
        auto [file, rows] = write(select);
        loaded.lake_rows += rows;
        loaded.pairs.push_back({pair.first, pair.second});
        std::string options = group.pairs.size() > 1 ? fmt::format(" (from={}, to={})", CypherString(pair.first),
                                                                   CypherString(pair.second))
                                                     : "";
        ready(fmt::format("COPY {} FROM {}{}", CypherName(name), CypherString(file.string()), options), name);
      }
      // Edges of the lake (FindRelPairs counted them all, by pair): every one must land in exactly
      // one file.
      int64_t lake_edges = 0;
      for (const auto& [pair, edges] : group.pairs) lake_edges += edges;
      if (lake_edges != loaded.lake_rows)
        throw Error(fmt::format("rel {}: {} edges in the lake but {} written for loading", name, lake_edges,
                                loaded.lake_rows));
      report_.tables.push_back(loaded);
    }
  }

  std::string Ddl() const {
    std::string ddl;
    for (const auto& [label, group] : nodes_) {
      std::string columns = "node_id INT64 PRIMARY KEY";
      for (const auto& property : group.properties)
        columns += ", " + CypherName(property.name) + " " + property.kuzu_type;
      ddl += fmt::format("CREATE NODE TABLE {}({});", CypherName(label), columns);
    }
    for (const auto& [name, group] : rels_) {
      std::string columns;
      for (const auto& [pair, edges] : group.pairs)
        columns += fmt::format("{}FROM {} TO {}", columns.empty() ? "" : ", ", CypherName(pair.first),
                               CypherName(pair.second));
      // A rel table needs a FROM/TO pair even when the lake has no edges.
      if (columns.empty()) continue;
      for (const auto& property : group.properties)
        columns += ", " + CypherName(property.name) + " " + property.kuzu_type;
      ddl += fmt::format("CREATE REL TABLE {}({});", CypherName(name), columns);
    }
    return ddl;
  }

  // Builds the database beside the old one (or in its place with --overwrite), checks every
  // count, and renames it over the old one.
  // Builds the graph from the files `write` produces: Kùzu copies each file while DuckDB writes
  // the next (each leaves the other core idle at times: Kùzu's COPY has serial phases, so has
  // DuckDB's file writing).
  void Build(const std::function<void(const CopyReady&)>& write) {
    fs::path target = report_.database;
    fs::create_directories(target.parent_path());
    RemoveLeftoversOfDeadProcesses(target.parent_path(), {target.filename().string() + ".loading-"});
    fs::path build = options_.overwrite ? target : fs::path(target.string() + fmt::format(".loading-{}", getpid()));
    fs::path build_wal = build.string() + ".wal";
    fs::remove_all(build);  // with --overwrite, build is the target
    fs::remove_all(build_wal);
    ScopedRemoval remove_build({build, build_wal});
    {
      GraphStoreOptions store_options;
      std::unique_ptr<GraphStore> graph = OpenKuzuGraphStore(build, store_options);
      graph->Query(Ddl());
      CopyQueue copies(*graph, progress_);
      write([&](std::string copy, std::string table) { copies.Add(std::move(copy), std::move(table)); });
      copies.Finish();
      progress_.Update("counting every table", true);
      for (auto& loaded : report_.tables) {
        std::string count = loaded.kind == "node" ? fmt::format("MATCH (n:{}) RETURN count(n)", CypherName(loaded.name))
                                                  : fmt::format("MATCH ()-[r:{}]->() RETURN count(r)", CypherName(loaded.name));
        if (loaded.kind == "rel" && loaded.pairs.empty()) continue;  // no rel table without edges
        loaded.graph_rows = std::stoll(graph->Query(count).rows.at(0).at(0));
        if (loaded.graph_rows != loaded.lake_rows)
          throw Error(fmt::format("{} {}: {} rows in the lake but {} in the graph", loaded.kind, loaded.name,
                                  loaded.lake_rows, loaded.graph_rows));
      }
    }  // closing the database checkpoints it: no .wal is left
    if (build != target) {
      // An old graph's leftover log and shadow pages must not replay onto the new one.
      for (const char* companion : {".wal", ".shadow"}) fs::remove_all(target.string() + companion);
      if (fs::is_directory(target)) fs::remove_all(target);
      fs::rename(build, target);
    }
    remove_build.Disarm();
  }

  const Settings& settings_;
  std::shared_ptr<ObjectStore> store_;
  GraphLoadOptions options_;
  lake::Lakehouse lakehouse_{settings_};  // before engine_: the engine's views read through it
  Engine engine_;
  GraphMapping mapping_;
  std::map<std::string, NodeGroup> nodes_;
  std::map<std::string, RelGroup> rels_;
  std::vector<std::string> labels_;   // graph_nodes.label: the index of its name here
  std::vector<std::string> sources_;  // graph_nodes.source: the index of its table's name here
  std::map<std::string, std::optional<std::vector<std::string>>> picked_;
  GraphLoadReport report_;
  ProgressLine progress_{"graph load " + options_.schema + ":"};
};

}  // namespace

fs::path GraphDatabasePath(const Settings& settings, const std::string& schema) {
  if (const GraphSettings* graph = settings.FindGraph(schema)) return graph->db_path;
  return settings.local_dir / "graphs" / schema;
}

std::unique_ptr<GraphStore> OpenGraph(const Settings& settings, const std::string& schema, bool read_only,
                                      uint64_t buffer_pool_bytes) {
  fs::path path = GraphDatabasePath(settings, schema);
  if (!fs::exists(path))
    throw NotFoundError(fmt::format("there is no graph for {} at {}: run dlctl graph load {} first", schema,
                                    path.string(), schema));
  GraphStoreOptions options;
  options.buffer_pool_bytes = std::max(options.buffer_pool_bytes, buffer_pool_bytes);
  // A killed writer's log and shadow pages are replayed by a read-write open (a reader would fail
  // on them); while a live writer holds the graph, that open fails with Kùzu's lock error.
  if (read_only && HasUnfinishedWrite(path)) OpenKuzuGraphStore(path, options).reset();
  options.read_only = read_only;
  return OpenKuzuGraphStore(path, options);
}

GraphLoadReport LoadGraph(const Settings& settings, std::shared_ptr<ObjectStore> store,
                          const GraphLoadOptions& options) {
  return GraphLoader(settings, std::move(store), options).Run();
}

}  // namespace dlctl::graph
