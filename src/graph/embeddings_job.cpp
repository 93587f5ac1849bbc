#include "graph/embeddings_job.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "graph/csr_graph.h"
#include "graph/graph_load.h"
#include "graph/graph_rewrite.h"
#include "graph/graph_store.h"
#include "graph/graph_vectors.h"
#include "graph/mart_table_names.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/catalog/attach.h"
#include "lake/lakehouse.h"
#include "lake/metadata/open_metadata_store.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/sql_quote.h"

namespace dlctl::graph {
namespace {

bool HasColumn(const lake::TableInfo& table, const std::string& column) {
  for (const lake::ColumnInfo& info : table.columns)
    if (info.name == column) return true;
  return false;
}

// graphs.<schema>.<table>, quoted.
std::string Qualified(const std::string& schema, const std::string& table) {
  return std::string(kGraphCatalog) + "." + SqlIdentifier(schema) + "." + SqlIdentifier(table);
}

// SELECT <columns cast to BIGINT> FROM t1 UNION ALL SELECT ... FROM t2 ..., checking that every
// table has the columns.
std::string UnionOf(const std::string& schema, const std::vector<const lake::TableInfo*>& tables,
                    const std::vector<std::string>& columns) {
  std::string sql;
  for (const lake::TableInfo* table : tables) {
    std::string select;
    for (const std::string& column : columns) {
      if (!HasColumn(*table, column))
        throw Error(Qualified(schema, table->name) + " has no column " + column);
      select += (select.empty() ? "" : ", ") + ("CAST(" + SqlIdentifier(column) + " AS BIGINT)");
    }
    sql += (sql.empty() ? "" : " UNION ALL ") + ("SELECT " + select + " FROM " + Qualified(schema, table->name));
  }
  return sql;
}

struct MartGraph {
  std::vector<int64_t> node_ids;
  std::vector<int64_t> sources, targets;
};

MartGraph ReadMartGraph(Engine& engine, const lake::SchemaInfo& schema) {
  std::vector<const lake::TableInfo*> node_tables, edge_tables;
  for (const lake::TableInfo& table : schema.tables) {
    auto parsed = ParseMartTableName(table.name);
    if (!parsed) continue;
    (parsed->kind == MartTableKind::kNodes ? node_tables : edge_tables).push_back(&table);
  }
  if (node_tables.empty())
    throw UsageError(std::string(kGraphCatalog) + "." + schema.name + " has no node tables (named [prefix_]nodes_<label>)");

  MartGraph graph;
  auto nodes = engine.QueryInt64Columns(UnionOf(schema.name, node_tables, {"node_id"}));
  graph.node_ids = std::move(nodes[0]);
  if (!edge_tables.empty()) {
    auto edges = engine.QueryInt64Columns(UnionOf(schema.name, edge_tables, {"source_id", "target_id"}));
    graph.sources = std::move(edges[0]);
    graph.targets = std::move(edges[1]);
  }
  return graph;
}

// Replaces graphs.<schema>.embeddings with the rows in one commit; returns the snapshot. The
// engine that read the mart has it read-only at one snapshot: this one writes at the latest.
lake::SnapshotId WriteLakeTable(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                const std::string& schema, const CsrGraph& graph,
                                const std::vector<float>& embeddings, const FastRpOptions& options) {
  Engine engine(store, settings);
  lake::WriteOptions write_options;
  write_options.store = store;
  lake::Lakehouse(settings).Attach(engine, {}, {}, write_options);
  const std::string key = "embeddings";
  Engine::VectorRows rows;
  rows.id_column = "node_id";
  rows.vector_column = "embedding";
  rows.ids = graph.node_ids().data();
  rows.values = embeddings.data();
  rows.rows = graph.node_ids().size();
  rows.dimension = options.dimension;
  engine.RegisterVectorRows(key, rows);
  struct Unregister {
    Engine& engine;
    const std::string& key;
    ~Unregister() { engine.UnregisterVectorRows(key); }
  } unregister{engine, key};

  std::string table =
      SqlIdentifier(kGraphCatalog) + "." + SqlIdentifier(schema) + "." + SqlIdentifier(kEmbeddingsTable);
  std::string message = "FastRP d=" + std::to_string(options.dimension) + " iterations=" +
                        std::to_string(options.iterations) + " seed=" + std::to_string(options.seed);
  engine.Query("BEGIN");
  try {
    engine.Query("CREATE OR REPLACE TABLE " + table + " AS " + Engine::VectorRowsSql(key));
    engine.Query("CALL " + SqlIdentifier(kGraphCatalog) + ".set_commit_message('dlctl graph compute embeddings', " +
                 SqlLiteral(message) + ")");
    engine.Query("COMMIT");
  } catch (...) {
    try {
      engine.Query("ROLLBACK");
    } catch (const std::exception&) {
      // the failure reported is the first one
    }
    throw;
  }
  return lake::LastCommittedSnapshot(engine, kGraphCatalog).value_or(0);
}

}  // namespace

EmbeddingResult ComputeEmbeddings(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                  const std::string& schema, const EmbeddingOptions& options) {
  const FastRpOptions fastrp = ResolvedFastRpOptions(options.fastrp);
  if (!settings.FindCatalog(kGraphCatalog)) throw UsageError("no graph mart catalog 'graphs' is configured (GRAPHS_MART_DB)");
  EmbeddingResult result;
  result.dimension = fastrp.dimension;

  auto start = std::chrono::steady_clock::now();
  lake::Lakehouse lakehouse(settings);
  bool open = false;
  for (const std::string& name : lakehouse.names()) open = open || name == kGraphCatalog;
  if (!open) throw UsageError("the graph mart catalog 'graphs' does not exist yet: nothing to embed");
  lake::SnapshotSelector at;
  at.id = options.snapshot;
  at.id = lakehouse.reader(kGraphCatalog).ResolveSnapshot(at).id;
  lake::CatalogState state = lakehouse.reader(kGraphCatalog).Load(at, false);
  const lake::SchemaInfo* mart = state.FindSchema(schema);
  if (!mart) throw UsageError("graphs." + schema + " does not exist at snapshot " + std::to_string(*at.id));
  ProgressLine progress("embeddings of graphs." + schema + ":");
  progress.Update("reading the edges", true);
  Engine engine(store, settings);
  lakehouse.Attach(engine, {}, {{kGraphCatalog, at}});
  MartGraph read = ReadMartGraph(engine, *mart);
  result.edge_count = static_cast<int64_t>(read.sources.size());
  result.read_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  progress.Update(fmt::format("building the graph of {} edges", result.edge_count), true);
  CsrGraph graph = [&] {
    try {
      return CsrGraph::Build(std::move(read.node_ids), read.sources, read.targets, options.directed);
    } catch (const Error& e) {
      throw Error("graphs." + schema + ": " + e.what() + " (no node table holds it)");
    }
  }();
  read = {};
  result.node_count = graph.node_count();
  result.build_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  progress.Update(fmt::format("FastRP on {} nodes, dimension {}, {} iterations", result.node_count, fastrp.dimension,
                              fastrp.iterations),
                  true);
  std::vector<float> embeddings = ComputeFastRp(graph, fastrp);
  result.compute_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  progress.Update("writing graphs." + schema + "." + kEmbeddingsTable, true);
  result.lake_snapshot = WriteLakeTable(settings, store, schema, graph, embeddings, fastrp);
  result.lake_write_seconds = SecondsSince(start);

  const std::filesystem::path graph_path = GraphDatabasePath(settings, schema);
  if (!options.write_graph) {
    result.graph_note = "the Kùzu graph was not asked for";
  } else if (!std::filesystem::exists(graph_path)) {
    result.graph_note = "no Kùzu graph at " + graph_path.string() + " (dlctl graph load " + schema + " makes it)";
  } else {
    start = std::chrono::steady_clock::now();
    progress.Update("writing the embeddings into the Kùzu graph", true);
    // The write-back rebuilds every node table with its embeddings next to a staging table of them:
    // Kùzu's buffer pool (reserved, not touched, up front) must hold several copies of the matrix.
    const uint64_t matrix_bytes = uint64_t{graph.node_ids().size()} * fastrp.dimension * sizeof(float);
    RewriteGraph(settings, schema, 8 * matrix_bytes, [&](GraphStore& graph_store) {
      const bool indexed = HasVectorIndexes(graph_store);
      graph_store.WriteNodeEmbeddings(graph.node_ids(), embeddings, fastrp.dimension);
      if (indexed) RebuildVectorIndexes(graph_store);  // the write-back dropped them
    });
    result.graph_written = true;
    result.graph_write_seconds = SecondsSince(start);
  }
  return result;
}

}  // namespace dlctl::graph
