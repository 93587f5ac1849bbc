#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/output_options.h"
#include "graph/embeddings_job.h"
#include "graph/graph_load.h"
#include "graph/graph_rewrite.h"
#include "graph/graph_vectors.h"
#include "util/error.h"

namespace dlctl {
namespace {

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

// Kùzu's type names as DuckDB's ("INT64[]" -> "BIGINT[]"), so the table aligns numbers and both
// engines' results print alike.
std::string EngineTypeName(const std::string& kuzu_type) {
  static const std::map<std::string, std::string> names = {
      {"INT8", "TINYINT"},    {"INT16", "SMALLINT"},   {"INT32", "INTEGER"},  {"INT64", "BIGINT"},
      {"INT128", "HUGEINT"},  {"UINT8", "UTINYINT"},   {"UINT16", "USMALLINT"}, {"UINT32", "UINTEGER"},
      {"UINT64", "UBIGINT"},  {"SERIAL", "BIGINT"},    {"BOOL", "BOOLEAN"},   {"STRING", "VARCHAR"}};
  size_t base_end = kuzu_type.find_first_of("[(");
  auto found = names.find(kuzu_type.substr(0, base_end));
  if (found == names.end()) return kuzu_type;
  return found->second + (base_end == std::string::npos ? "" : kuzu_type.substr(base_end));
}

QueryResult AsQueryResult(const graph::GraphQueryResult& graph_result) {
  QueryResult result;
  result.columns = graph_result.columns;
  result.json = graph_result.json;
  for (const auto& type : graph_result.types) result.types.push_back(EngineTypeName(type));
  for (size_t r = 0; r < graph_result.rows.size(); ++r) {
    std::vector<std::optional<std::string>> row;
    for (size_t c = 0; c < graph_result.rows[r].size(); ++c) {
      if (graph_result.nulls[r][c]) {
        row.push_back(std::nullopt);
        continue;
      }
      std::string value = graph_result.rows[r][c];
      if (result.types[c] == "BOOLEAN") value = value == "True" ? "true" : "false";
      row.push_back(value);
    }
    result.rows.push_back(std::move(row));
  }
  return result;
}

struct LoadArgs {
  std::string schema;
  bool overwrite = false;
  std::optional<int64_t> snapshot;
  bool from_export = false;
  std::string project_dir;
  bool json = false;
};

std::string PairsText(const std::vector<graph::RelPair>& pairs) {
  std::string text;
  for (const auto& pair : pairs) text += (text.empty() ? "" : ", ") + pair.from + "->" + pair.to;
  return text;
}

void RunLoad(CliContext& ctx, const LoadArgs& args) {
  const Settings& settings = ctx.settings();
  graph::GraphLoadOptions options{args.schema, args.snapshot, args.from_export, args.overwrite,
                                  ctx.TransformProjectDir(args.project_dir)};
  graph::GraphLoadReport report = graph::LoadGraph(settings, ctx.store(), options);
  if (args.json) {
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& table : report.tables) {
      nlohmann::json pairs = nlohmann::json::array();
      for (const auto& pair : table.pairs) pairs.push_back({{"from", pair.from}, {"to", pair.to}});
      tables.push_back({{"kind", table.kind}, {"name", table.name}, {"sources", table.sources},
                        {"lake_rows", table.lake_rows}, {"graph_rows", table.graph_rows}, {"pairs", pairs}});
    }
    nlohmann::json out = {{"schema", report.schema},   {"database", report.database.string()},
                          {"source", report.source},   {"tables", tables},
                          {"seconds", report.seconds}};
    Print(out.dump(2) + "\n");
    return;
  }
  Print(fmt::format("Loaded {} from {} into {}\n", report.schema, report.source, report.database.string()));
  for (const auto& table : report.tables) {
    std::string sources;
    for (const auto& source : table.sources) sources += (sources.empty() ? "" : ", ") + source;
    std::string pairs = table.kind == "rel" ? " [" + PairsText(table.pairs) + "]" : "";
    Print(fmt::format("  {:<4} {:<20} {:>10} rows (lake {:>10})  from {}{}\n", table.kind, table.name,
                      table.graph_rows, table.lake_rows, sources, pairs));
  }
  Print(fmt::format("Done in {:.2f} s\n", report.seconds));
}

struct QueryArgs {
  std::string schema;
  std::string cypher;
  OutputOptions output;
};

void RunQuery(CliContext& ctx, const QueryArgs& args) {
  auto graph = graph::OpenGraph(ctx.settings(), args.schema, /*read_only=*/true);
  PrintRows(AsQueryResult(graph->Query(args.cypher)), args.output);
}

struct EmbeddingArgs {
  std::string schema;
  graph::EmbeddingOptions options;
  std::string weights;
  bool json = false;
};

std::vector<float> ParseWeights(const std::string& text) {
  std::vector<float> weights;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    try {
      size_t used = 0;
      weights.push_back(std::stof(item, &used));
      if (used != item.size()) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw UsageError("--weights wants numbers separated by commas, got '" + text + "'");
    }
  }
  return weights;
}

void RunEmbeddings(CliContext& ctx, EmbeddingArgs args) {
  if (!args.weights.empty()) args.options.fastrp.weights = ParseWeights(args.weights);
  graph::EmbeddingResult result = graph::ComputeEmbeddings(ctx.settings(), ctx.store(), args.schema, args.options);
  if (args.json) {
    nlohmann::json out = {{"schema", args.schema},
                          {"nodes", result.node_count},
                          {"edges", result.edge_count},
                          {"dimension", result.dimension},
                          {"lake_table", fmt::format("{}.{}.{}", graph::kGraphCatalog, args.schema,
                                                     graph::kEmbeddingsTable)},
                          {"lake_snapshot", result.lake_snapshot},
                          {"graph_written", result.graph_written},
                          {"graph_note", result.graph_note},
                          {"seconds",
                           {{"read", result.read_seconds},
                            {"build", result.build_seconds},
                            {"compute", result.compute_seconds},
                            {"lake_write", result.lake_write_seconds},
                            {"graph_write", result.graph_write_seconds}}}};
    Print(out.dump(2) + "\n");
    return;
  }
  Print(fmt::format("FastRP embeddings of {}: {} nodes, {} edges, dimension {}\n", args.schema, result.node_count,
                    result.edge_count, result.dimension));
  Print(fmt::format("  lake: {}.{}.{} (snapshot {})\n", graph::kGraphCatalog, args.schema, graph::kEmbeddingsTable,
                    result.lake_snapshot));
  Print(result.graph_written ? std::string("  graph: embedding property written on every node table\n")
                             : "  graph: not written (" + result.graph_note + ")\n");
  Print(fmt::format("  read {:.2f} s, build {:.2f} s, compute {:.2f} s, lake write {:.2f} s, graph write {:.2f} s\n",
                    result.read_seconds, result.build_seconds, result.compute_seconds, result.lake_write_seconds,
                    result.graph_write_seconds));
}

struct SimilarArgs {
  std::string schema;
  int64_t node_id = 0;
  int k = 10;
  OutputOptions output;
};

void RunSimilar(CliContext& ctx, const SimilarArgs& args) {
  auto graph = graph::OpenGraph(ctx.settings(), args.schema, /*read_only=*/true);
  graph::SimilarResult similar = graph::SimilarNodes(*graph, args.node_id, args.k);
  QueryResult result;
  result.columns = {"node_id", "label", "similarity"};
  result.types = {"BIGINT", "VARCHAR", "DOUBLE"};
  for (const auto& neighbour : similar.neighbours)
    result.rows.push_back({std::to_string(neighbour.node_id), neighbour.label, fmt::format("{:.6f}", neighbour.similarity)});
  PrintRows(result, args.output);
  if (!similar.used_index)
    std::fprintf(stderr, "dlctl: note: exact search (no vector index: dlctl graph reindex %s builds one)\n",
                 args.schema.c_str());
}

}  // namespace

void AddGraphCommands(CLI::App& app, CliContext& ctx) {
  auto* graph = app.add_subcommand("graph", "Load graph marts into Kuzu, query them, compute and search embeddings");
  graph->require_subcommand(1);

  auto load_args = std::make_shared<LoadArgs>();
  auto* load = graph->add_subcommand(
      "load", "Build the Kuzu graph of a graph mart schema (tables *nodes_<label> and *edges_<rel>)");
  load->add_option("SCHEMA", load_args->schema, "schema of the graphs mart, e.g. music_taste")->required();
  load->add_flag("--overwrite", load_args->overwrite,
                 "remove the old graph first and build in its place (less disk; no graph is left if the load fails)");
  load->add_option("--snapshot", load_args->snapshot, "read the mart at this snapshot id instead of the latest");
  load->add_flag("--from-export", load_args->from_export, "read the latest export of graphs/SCHEMA instead of the lake");
  load->add_option("--project-dir", load_args->project_dir,
                   "transform project holding graphs/SCHEMA.yml (default: $DBT_PROJECT_DIR, else transform)");
  load->add_flag("--json", load_args->json, "print the report as JSON");
  load->callback([&ctx, load_args] { RunLoad(ctx, *load_args); });

  auto query_args = std::make_shared<QueryArgs>();
  auto* query = graph->add_subcommand("query", "Run Cypher on a graph (read-only) and print the result");
  query->add_option("SCHEMA", query_args->schema, "the graph")->required();
  query->add_option("CYPHER", query_args->cypher, "one or more statements; the last one's result is printed")
      ->required();
  AddOutputOptions(query, query_args->output);
  query->callback([&ctx, query_args] { RunQuery(ctx, *query_args); });

  auto* compute = graph->add_subcommand("compute", "Graph computations");
  compute->require_subcommand(1);
  auto embedding_args = std::make_shared<EmbeddingArgs>();
  auto& fastrp = embedding_args->options.fastrp;
  auto* embeddings = compute->add_subcommand(
      "embeddings", "FastRP node embeddings into the lake table graphs.SCHEMA.embeddings and the Kuzu graph");
  embeddings->add_option("SCHEMA", embedding_args->schema, "schema of the graphs mart")->required();
  embeddings->add_option("-d,--dimension", fastrp.dimension, "embedding dimension")->capture_default_str();
  embeddings->add_option("-b,--batch-size", fastrp.block_size, "nodes per block of work (and of write-back)")
      ->capture_default_str();
  embeddings->add_option("-e,--iterations", fastrp.iterations,
                         "FastRP iterations: hops of propagation, N_1 = S.L.R then N_i = S.N_(i-1)")
      ->capture_default_str();
  embeddings->add_option("--weights", embedding_args->weights,
                         "weight of each iteration, comma-separated (default 0 for the first, 1 for the rest)");
  embeddings->add_option("--beta", fastrp.beta, "degree normalization strength")->capture_default_str();
  embeddings->add_option("--seed", fastrp.seed, "random projection seed")->capture_default_str();
  embeddings->add_flag("--directed", embedding_args->options.directed, "keep edge directions (default: undirected)");
  embeddings->add_option("--threads", fastrp.threads, "threads (0: all cores)")->capture_default_str();
  embeddings->add_option("--snapshot", embedding_args->options.snapshot, "read the mart at this snapshot id");
  embeddings->add_flag("--json", embedding_args->json, "print the report as JSON");
  embeddings->callback([&ctx, embedding_args] { RunEmbeddings(ctx, *embedding_args); });

  auto reindex_schema = std::make_shared<std::string>();
  auto* reindex = graph->add_subcommand(
      "reindex", "Rebuild the vector index (HNSW, cosine) on `embedding` of every node table that has one");
  reindex->add_option("SCHEMA", *reindex_schema, "the graph")->required();
  reindex->callback([&ctx, reindex_schema] {
    std::vector<graph::VectorIndex> built;
    graph::RewriteGraph(ctx.settings(), *reindex_schema, 0,
                        [&](graph::GraphStore& graph) { built = graph::RebuildVectorIndexes(graph); });
    for (const auto& index : built) Print(fmt::format("Built vector index {} on {}.embedding\n", index.name, index.table));
  });

  auto similar_args = std::make_shared<SimilarArgs>();
  auto* similar = graph->add_subcommand("similar", "Nearest neighbours of a node by cosine similarity of embeddings");
  similar->add_option("SCHEMA", similar_args->schema, "the graph")->required();
  similar->add_option("NODE_ID", similar_args->node_id, "node_id of the node")->required();
  similar->add_option("-k", similar_args->k, "how many neighbours (the node itself included)")->capture_default_str();
  AddOutputOptions(similar, similar_args->output);
  similar->callback([&ctx, similar_args] { RunSimilar(ctx, *similar_args); });
}

}  // namespace dlctl
