// The embeddings job on a small graph mart made with `dlctl query`, on the local default and on
// S3: the lake table holds exactly FastRP's rows, a second run replaces it, bad marts fail clearly.
#include "graph/embeddings_job.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "graph/csr_graph.h"
#include "graph/graph_load.h"
#include "graph/graph_store.h"
#include "lake/lakehouse.h"
#include "support/dlctl_project.h"
#include "util/error.h"

namespace dlctl::graph {
namespace {

using testing::Bucket;
using testing::DlctlProject;

class EmbeddingsJob : public ::testing::TestWithParam<Bucket> {
 protected:
  EmbeddingsJob() : project_(GetParam()) {}

  // Two labels (ids 0..49 and 100..129), two edge tables, and a table that is not part of the graph.
  void MakeMart() {
    project_.Query(
        "CREATE SCHEMA graphs.g;"
        "CREATE TABLE graphs.g.nodes_users AS SELECT range AS node_id, 'user ' || range AS name FROM range(50);"
        "CREATE TABLE graphs.g.x_nodes_tracks AS SELECT range::INTEGER AS node_id FROM range(100, 130);"
        "CREATE TABLE graphs.g.edges_listens AS SELECT range AS source_id, 100 + range % 30 AS target_id, 1.5::DOUBLE AS w "
        "FROM range(50);"
        "CREATE TABLE graphs.g.edges_follows AS SELECT range AS source_id, (range * 7 + 3) % 50 AS target_id "
        "FROM range(40);"
        "CREATE TABLE graphs.g.genres AS SELECT 1 AS id");
  }

  // FastRP computed here over the same graph as MakeMart's.
  std::vector<float> Expected(const FastRpOptions& options) {
    std::vector<int64_t> nodes, sources, targets;
    for (int64_t i = 0; i < 50; ++i) nodes.push_back(i);
    for (int64_t i = 100; i < 130; ++i) nodes.push_back(i);
    for (int64_t i = 0; i < 50; ++i) {
      sources.push_back(i);
      targets.push_back(100 + i % 30);
    }
    for (int64_t i = 0; i < 40; ++i) {
      sources.push_back(i);
      targets.push_back((i * 7 + 3) % 50);
    }
    return ComputeFastRp(CsrGraph::Build(nodes, sources, targets, false), options);
  }

  // `sql` over the lake at `snapshot` of the graphs mart (the latest when unset).
  QueryResult Read(const std::string& sql, std::optional<int64_t> snapshot = std::nullopt) {
    Settings settings = project_.settings();
    Engine engine(project_.store(), settings);
    lake::Lakehouse lakehouse(settings);
    lake::SnapshotSelector at;
    at.id = snapshot;
    lakehouse.Attach(engine, {}, {{"graphs", at}});
    return engine.Query(sql);
  }

  // "[0.5, -0.25]" -> {0.5f, -0.25f}
  static std::vector<float> ParseList(const std::string& text) {
    std::vector<float> values;
    const char* p = text.c_str() + 1;
    while (*p && *p != ']') {
      char* end = nullptr;
      values.push_back(std::strtof(p, &end));
      p = end;
      while (*p == ',' || *p == ' ') ++p;
    }
    return values;
  }

  EmbeddingResult Run(int dimension) {
    EmbeddingOptions options;
    options.fastrp.dimension = dimension;
    options.fastrp.iterations = 2;
    options.fastrp.block_size = 16;
    return ComputeEmbeddings(project_.settings(), project_.store(), "g", options);
  }

  DlctlProject project_;
};

TEST_P(EmbeddingsJob, WritesFastRpRowsToTheLakeAndASecondRunReplacesThem) {
  MakeMart();
  EmbeddingResult first = Run(16);
  EXPECT_EQ(first.node_count, 80);
  EXPECT_EQ(first.edge_count, 90);
  EXPECT_EQ(first.dimension, 16);
  EXPECT_FALSE(first.graph_written);
  EXPECT_EQ(first.graph_note,
            "no Kùzu graph at " + (project_.local() / "graphs" / "g").string() + " (dlctl graph load g makes it)");

  FastRpOptions options;
  options.dimension = 16;
  options.iterations = 2;
  std::vector<float> expected = Expected(options);
  QueryResult rows = Read("SELECT node_id, embedding FROM graphs.g.embeddings ORDER BY node_id");
  EXPECT_EQ(rows.types, (std::vector<std::string>{"BIGINT", "FLOAT[]"}));
  ASSERT_EQ(rows.rows.size(), 80u);
  for (size_t i = 0; i < rows.rows.size(); ++i) {
    EXPECT_EQ(*rows.rows[i][0], std::to_string(i < 50 ? i : i + 50));
    std::vector<float> embedding = ParseList(*rows.rows[i][1]);
    ASSERT_EQ(embedding.size(), 16u);
    for (size_t k = 0; k < 16; ++k) EXPECT_FLOAT_EQ(embedding[k], expected[i * 16 + k]) << "row " << i;
  }

  EmbeddingResult second = Run(8);
  EXPECT_GT(second.lake_snapshot, first.lake_snapshot);
  QueryResult counts = Read("SELECT count(*), count(DISTINCT node_id), min(len(embedding)), max(len(embedding)) "
                            "FROM graphs.g.embeddings");
  EXPECT_EQ(counts.rows.at(0), (std::vector<std::optional<std::string>>{"80", "80", "8", "8"}));
  // The first run's commit still reads as the first run wrote it.
  QueryResult before = Read("SELECT count(*), max(len(embedding)) FROM graphs.g.embeddings", first.lake_snapshot);
  EXPECT_EQ(before.rows.at(0), (std::vector<std::optional<std::string>>{"80", "16"}));
}

TEST_P(EmbeddingsJob, WritesTheSameRowsToTheKuzuGraphWhenItExists) {
  MakeMart();
  GraphLoadOptions load;
  load.schema = "g";
  LoadGraph(project_.settings(), project_.store(), load);
  EmbeddingResult result = Run(8);
  EXPECT_TRUE(result.graph_written) << result.graph_note;

  QueryResult lake = Read("SELECT node_id, embedding FROM graphs.g.embeddings ORDER BY node_id");
  auto graph = OpenGraph(project_.settings(), "g", true);
  GraphQueryResult nodes = graph->Query("MATCH (n) RETURN n.node_id, n.embedding ORDER BY n.node_id");
  ASSERT_EQ(nodes.rows.size(), lake.rows.size());
  ASSERT_EQ(nodes.rows.size(), 80u);
  for (size_t i = 0; i < nodes.rows.size(); ++i) {
    EXPECT_EQ(nodes.rows[i][0], *lake.rows[i][0]);
    EXPECT_EQ(ParseList(nodes.rows[i][1]), ParseList(*lake.rows[i][1])) << "node " << nodes.rows[i][0];
  }
}

TEST_P(EmbeddingsJob, AnEdgeToAMissingNodeIsAnError) {
  MakeMart();
  project_.Query("CREATE TABLE graphs.g.edges_broken AS SELECT 3 AS source_id, 999 AS target_id");
  try {
    Run(8);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "graphs.g: edge 3 -> 999: node id 999 is not a node (no node table holds it)");
  }
  EXPECT_NE(project_.Run({"query", "SELECT * FROM graphs.g.embeddings"}).exit_code, 0);  // nothing written
}

TEST_P(EmbeddingsJob, ASchemaWithoutNodeTablesIsAUsageError) {
  project_.Query("CREATE SCHEMA graphs.empty; CREATE TABLE graphs.empty.edges_x AS SELECT 1 AS source_id, 2 AS target_id");
  EmbeddingOptions options;
  EXPECT_THROW(ComputeEmbeddings(project_.settings(), project_.store(), "empty", options), UsageError);
  EXPECT_THROW(ComputeEmbeddings(project_.settings(), project_.store(), "missing", options), UsageError);
}

INSTANTIATE_TEST_SUITE_P(Buckets, EmbeddingsJob, ::testing::Values(Bucket::kLocal, Bucket::kS3), testing::BucketName);

}  // namespace
}  // namespace dlctl::graph
