#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "cli/output_options.h"
#include "cli/snapshot_option.h"

namespace dlctl {

void AddGraphCommands(CLI::App& app, CliContext& ctx) {
  auto* graph = app.add_subcommand("graph", "Load graph marts into Kuzu, query them, compute and search embeddings");
  graph->require_subcommand(1);

  auto load_args = std::make_shared<GraphLoadArgs>();
  auto* load = graph->add_subcommand(
      "load", "Build the Kuzu graph of a graph mart schema (tables *nodes_<label> and *edges_<rel>)");
  load->add_option("SCHEMA", load_args->schema, "schema of the graphs mart, e.g. music_taste")->required();
  load->add_flag("--overwrite", load_args->overwrite,
                 "remove the old graph first and build in its place (less disk; no graph is left if the load fails)");
  AddSnapshotOption(load, load_args->snapshot, "read the mart at this snapshot id instead of the latest");
  load->add_flag("--from-export", load_args->from_export, "read the latest export of graphs/SCHEMA instead of the lake");
  load->add_option("--project-dir", load_args->project_dir,
                   "transform project holding graphs/SCHEMA.yml (default: $DBT_PROJECT_DIR, else transform)");
  load->add_flag("--json", load_args->json, "print the report as JSON");
  load->callback([&ctx, load_args] { EngineModule().graph_load(ctx, *load_args); });

  auto query_args = std::make_shared<GraphQueryArgs>();
  auto* query = graph->add_subcommand("query", "Run Cypher on a graph (read-only) and print the result");
  query->add_option("SCHEMA", query_args->schema, "the graph")->required();
  query->add_option("CYPHER", query_args->cypher, "one or more statements; the last one's result is printed")
      ->required();
  AddOutputOptions(query, query_args->output);
  query->callback([&ctx, query_args] { EngineModule().graph_query(ctx, *query_args); });

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
  AddSnapshotOption(embeddings, embedding_args->options.snapshot, "read the mart at this snapshot id");
  embeddings->add_flag("--json", embedding_args->json, "print the report as JSON");
  embeddings->callback([&ctx, embedding_args] { EngineModule().graph_embeddings(ctx, *embedding_args); });

  auto reindex_schema = std::make_shared<std::string>();
  auto* reindex = graph->add_subcommand(
      "reindex", "Rebuild the vector index (HNSW, cosine) on `embedding` of every node table that has one");
  reindex->add_option("SCHEMA", *reindex_schema, "the graph")->required();
  reindex->callback([&ctx, reindex_schema] { EngineModule().graph_reindex(ctx, *reindex_schema); });

  auto similar_args = std::make_shared<SimilarArgs>();
  auto* similar = graph->add_subcommand("similar", "Nearest neighbours of a node by cosine similarity of embeddings");
  similar->add_option("SCHEMA", similar_args->schema, "the graph")->required();
  similar->add_option("NODE_ID", similar_args->node_id, "node_id of the node")->required();
  similar->add_option("-k", similar_args->k, "how many neighbours (the node itself included)")->capture_default_str();
  AddOutputOptions(similar, similar_args->output);
  similar->callback([&ctx, similar_args] { EngineModule().graph_similar(ctx, *similar_args); });
}

}  // namespace dlctl
