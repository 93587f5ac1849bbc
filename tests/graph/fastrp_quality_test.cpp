// Link prediction on a real graph, the acceptance protocol: FastRP must place the ends of
// held-out edges closer (cosine) than random node pairs.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <unordered_set>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/fastrp.h"
#include "support/test_env.h"

namespace dlctl::graph {
namespace {

struct Edge {
  int64_t source, target;
};

// edges.csv of deezer_europe: a header `id_1,id_2`, then one edge per line.
std::vector<Edge> ReadEdges(const std::filesystem::path& path) {
  std::ifstream file(path);
  EXPECT_TRUE(file) << "cannot read " << path;
  std::vector<Edge> edges;
  std::string line;
  std::getline(file, line);
  while (std::getline(file, line)) {
    Edge edge{};
    const char* end = line.data() + line.size();
    auto [comma, error] = std::from_chars(line.data(), end, edge.source);
    EXPECT_TRUE(error == std::errc() && comma < end && *comma == ',') << line;
    std::from_chars(comma + 1, end, edge.target);
    edges.push_back(edge);
  }
  return edges;
}

double Cosine(const std::vector<float>& embeddings, int dimension, size_t a, size_t b) {
  const float* x = embeddings.data() + a * dimension;
  const float* y = embeddings.data() + b * dimension;
  double dot = 0, xx = 0, yy = 0;
  for (int k = 0; k < dimension; ++k) {
    dot += double(x[k]) * y[k];
    xx += double(x[k]) * x[k];
    yy += double(y[k]) * y[k];
  }
  return xx > 0 && yy > 0 ? dot / std::sqrt(xx * yy) : 0.0;  // a node left without edges is all zeros
}

// P(positive score > negative score), ties counting one half (the ROC AUC).
double Auc(const std::vector<double>& positives, std::vector<double> negatives) {
  std::sort(negatives.begin(), negatives.end());
  double wins = 0;
  for (double score : positives) {
    auto low = std::lower_bound(negatives.begin(), negatives.end(), score);
    auto high = std::upper_bound(low, negatives.end(), score);
    wins += static_cast<double>(low - negatives.begin()) + 0.5 * static_cast<double>(high - low);
  }
  return wins / (static_cast<double>(positives.size()) * static_cast<double>(negatives.size()));
}

TEST(FastRpQuality, LinkPredictionAucOnDeezerEuropeIsAtLeast078) {
  std::filesystem::path csv =
      std::filesystem::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "data" / "graphs" / "deezer_europe" / "edges.csv";
  std::vector<Edge> edges = ReadEdges(csv);
  ASSERT_EQ(edges.size(), 92752u);

  std::vector<int64_t> nodes;
  for (const Edge& edge : edges) {
    nodes.push_back(edge.source);
    nodes.push_back(edge.target);
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  ASSERT_EQ(nodes.size(), 28281u);

  // Hold out 10% of the edges; the graph keeps every node, so a node can lose all its edges.
  std::mt19937_64 random(2019);
  std::vector<Edge> shuffled = edges;
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  const size_t held_out = edges.size() / 10;
  std::vector<int64_t> sources, targets;
  for (size_t i = held_out; i < shuffled.size(); ++i) {
    sources.push_back(shuffled[i].source);
    targets.push_back(shuffled[i].target);
  }
  CsrGraph graph = CsrGraph::Build(nodes, sources, targets, false);

  FastRpOptions options;
  options.dimension = 256;
  options.iterations = 3;
  options.weights = {0, 1, 1};
  options.beta = 0;
  options.seed = 42;
  std::vector<float> embeddings = ComputeFastRp(graph, options);

  auto index = [&](int64_t id) { return static_cast<size_t>(std::lower_bound(nodes.begin(), nodes.end(), id) - nodes.begin()); };
  std::vector<double> positives;
  for (size_t i = 0; i < held_out; ++i)
    positives.push_back(Cosine(embeddings, 256, index(shuffled[i].source), index(shuffled[i].target)));

  // As many random pairs of distinct nodes that are not edges (in either direction).
  std::unordered_set<uint64_t> edge_keys;
  auto key = [&](size_t a, size_t b) { return static_cast<uint64_t>(a) * nodes.size() + b; };
  for (const Edge& edge : edges) {
    edge_keys.insert(key(index(edge.source), index(edge.target)));
    edge_keys.insert(key(index(edge.target), index(edge.source)));
  }
  std::uniform_int_distribution<size_t> pick(0, nodes.size() - 1);
  std::vector<double> negatives;
  while (negatives.size() < positives.size()) {
    size_t a = pick(random), b = pick(random);
    if (a == b || edge_keys.count(key(a, b))) continue;
    negatives.push_back(Cosine(embeddings, 256, a, b));
  }

  double auc = Auc(positives, negatives);
  std::cout << "deezer_europe link prediction AUC: " << auc << " (" << positives.size() << " held-out edges)\n";
  RecordProperty("auc", std::to_string(auc));
  EXPECT_GE(auc, 0.78);
}

}  // namespace
}  // namespace dlctl::graph
