// dlctl graph: load, query, embeddings, reindex, similar (Kùzu through graph/, the marts through the lake).
#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/engine/runs.h"
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

std::string PairsText(const std::vector<graph::RelPair>& pairs) {
  std::string text;
  for (const auto& pair : pairs) text += (text.empty() ? "" : ", ") + pair.from + "->" + pair.to;
  return text;
}

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

}  // namespace

void RunGraphLoad(CliContext& ctx, const GraphLoadArgs& args) {
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

void RunGraphQuery(CliContext& ctx, const GraphQueryArgs& args) {
  auto graph = graph::OpenGraph(ctx.settings(), args.schema, /*read_only=*/true);
  PrintRows(AsQueryResult(graph->Query(args.cypher)), args.output);
}

void RunGraphEmbeddings(CliContext& ctx, const EmbeddingArgs& args) {
  graph::EmbeddingOptions options = args.options;
  if (!args.weights.empty()) options.fastrp.weights = ParseWeights(args.weights);
  graph::EmbeddingResult result = graph::ComputeEmbeddings(ctx.settings(), ctx.store(), args.schema, options);
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

void RunGraphReindex(CliContext& ctx, const std::string& schema) {
  std::vector<graph::VectorIndex> built;
  graph::RewriteGraph(ctx.settings(), schema, 0,
                      [&](graph::GraphStore& graph) { built = graph::RebuildVectorIndexes(graph); });
  for (const auto& index : built) Print(fmt::format("Built vector index {} on {}.embedding\n", index.name, index.table));
}

void RunGraphSimilar(CliContext& ctx, const SimilarArgs& args) {
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

}  // namespace dlctl
