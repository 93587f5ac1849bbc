#include "graph/fastrp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "graph/csr_graph.h"
#include "util/error.h"

namespace dlctl::graph {
namespace {

using Edges = std::vector<std::pair<int64_t, int64_t>>;

CsrGraph MakeGraph(std::vector<int64_t> nodes, const Edges& edges, bool directed = false) {
  std::vector<int64_t> sources, targets;
  for (const auto& [source, target] : edges) {
    sources.push_back(source);
    targets.push_back(target);
  }
  return CsrGraph::Build(std::move(nodes), sources, targets, directed);
}

FastRpOptions SmallOptions(int dimension, int iterations) {
  FastRpOptions options;
  options.dimension = dimension;
  options.iterations = iterations;
  options.seed = 7;
  options.threads = 1;
  return options;
}

std::vector<double> ProjectionRow(const FastRpOptions& options, int64_t node_id) {
  std::vector<float> row(options.dimension);
  RandomProjectionRow(options.seed, node_id, options.sparsity, row);
  return std::vector<double>(row.begin(), row.end());
}

std::vector<double> Normalized(std::vector<double> row) {
  double sum = 0;
  for (double value : row) sum += value * value;
  if (sum > 0)
    for (double& value : row) value /= std::sqrt(sum);
  return row;
}

// FastRP written out with dense float64 matrices, straight from the definition in fastrp.h.
std::vector<std::vector<double>> DenseFastRp(const std::vector<int64_t>& nodes, const Edges& edges, bool directed,
                                             FastRpOptions options) {
  options = ResolvedFastRpOptions(options);
  const size_t n = nodes.size(), d = options.dimension;
  auto index = [&](int64_t id) { return static_cast<size_t>(std::find(nodes.begin(), nodes.end(), id) - nodes.begin()); };
  std::vector<std::vector<double>> a(n, std::vector<double>(n, 0.0));
  for (const auto& [source, target] : edges) {
    a[index(source)][index(target)] += 1;
    if (!directed) a[index(target)][index(source)] += 1;
  }
  std::vector<double> degree(n, 0.0);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) degree[i] += a[i][j];

  std::vector<std::vector<double>> previous(n), output(n, std::vector<double>(d, 0.0));
  for (size_t i = 0; i < n; ++i) {
    previous[i] = ProjectionRow(options, nodes[i]);
    double scale = degree[i] > 0 ? std::pow(degree[i], static_cast<double>(options.beta)) : 0.0;
    for (double& value : previous[i]) value *= scale;
  }
  for (int iteration = 0; iteration < options.iterations; ++iteration) {
    std::vector<std::vector<double>> current(n, std::vector<double>(d, 0.0));
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < n; ++j)
        for (size_t k = 0; k < d && a[i][j] != 0; ++k) current[i][k] += a[i][j] / degree[i] * previous[j][k];
      current[i] = Normalized(current[i]);
      for (size_t k = 0; k < d; ++k) output[i][k] += options.weights[iteration] * current[i][k];
    }
    previous = std::move(current);
  }
  return output;
}

// The row of `node_index` in FastRP's n × d output.
std::vector<double> Row(const std::vector<float>& embeddings, int dimension, size_t node_index) {
  auto first = embeddings.begin() + node_index * dimension;
  return std::vector<double>(first, first + dimension);
}

void ExpectNear(const std::vector<double>& actual, const std::vector<double>& expected, double tolerance = 1e-5) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t k = 0; k < actual.size(); ++k) EXPECT_NEAR(actual[k], expected[k], tolerance) << "entry " << k;
}

double Norm(const std::vector<double>& row) {
  double sum = 0;
  for (double value : row) sum += value * value;
  return std::sqrt(sum);
}

TEST(FastRp, ProjectionRowsAreVerySparseSignsOfRootS) {
  FastRpOptions options = SmallOptions(256, 1);
  int64_t positive = 0, negative = 0, total = 0;
  const float root3 = std::sqrt(3.0f);
  for (int64_t node = 0; node < 2000; ++node) {
    for (double value : ProjectionRow(options, node * 7919)) {
      ASSERT_TRUE(value == 0 || std::abs(std::abs(value) - root3) < 1e-6) << value;
      positive += value > 0;
      negative += value < 0;
      ++total;
    }
  }
  // 512,000 entries: 1/6 each within a few standard deviations (0.0005).
  EXPECT_NEAR(static_cast<double>(positive) / total, 1.0 / 6, 0.003);
  EXPECT_NEAR(static_cast<double>(negative) / total, 1.0 / 6, 0.003);
}

TEST(FastRp, ProjectionRowDependsOnSeedAndNodeIdOnly) {
  FastRpOptions options = SmallOptions(64, 1);
  EXPECT_EQ(ProjectionRow(options, 12345), ProjectionRow(options, 12345));
  EXPECT_NE(ProjectionRow(options, 12345), ProjectionRow(options, 12346));
  FastRpOptions other_seed = options;
  other_seed.seed = 8;
  EXPECT_NE(ProjectionRow(options, 12345), ProjectionRow(other_seed, 12345));
}

TEST(FastRp, OneHopIsTheNormalizedSumOfTheNeighboursProjections) {
  // A path 10 - 20 - 30 and an isolated node 40, checked by hand.
  FastRpOptions options = SmallOptions(32, 1);
  CsrGraph graph = MakeGraph({30, 10, 40, 20}, {{10, 20}, {20, 30}});
  std::vector<float> embeddings = ComputeFastRp(graph, options);
  ASSERT_EQ(embeddings.size(), 4u * 32);
  auto r = [&](int64_t id) { return ProjectionRow(options, id); };
  std::vector<double> r10_plus_r30 = r(10);
  for (int k = 0; k < 32; ++k) r10_plus_r30[k] += r(30)[k];
  ExpectNear(Row(embeddings, 32, 0), Normalized(r(20)));  // node 10: its one neighbour is 20
  ExpectNear(Row(embeddings, 32, 1), Normalized(r10_plus_r30));
  ExpectNear(Row(embeddings, 32, 2), Normalized(r(20)));
  ExpectNear(Row(embeddings, 32, 3), std::vector<double>(32, 0.0));  // isolated: zero
}

TEST(FastRp, BetaScalesTheNeighboursProjectionsByTheirDegree) {
  // Node 1's neighbours: 2 (degree 1) and 3 (degree 3). With β = 1, R_3 weighs three times R_2.
  FastRpOptions options = SmallOptions(32, 1);
  options.beta = 1.0f;
  CsrGraph graph = MakeGraph({1, 2, 3, 4, 5}, {{1, 2}, {1, 3}, {3, 4}, {3, 5}});
  std::vector<float> embeddings = ComputeFastRp(graph, options);
  std::vector<double> expected = ProjectionRow(options, 2);
  for (int k = 0; k < 32; ++k) expected[k] += 3 * ProjectionRow(options, 3)[k];
  ExpectNear(Row(embeddings, 32, 0), Normalized(expected));

  options.beta = 0.0f;
  std::vector<double> unweighted = Row(ComputeFastRp(graph, options), 32, 0);
  std::vector<double> sum = ProjectionRow(options, 2);
  for (int k = 0; k < 32; ++k) sum[k] += ProjectionRow(options, 3)[k];
  ExpectNear(unweighted, Normalized(sum));
}

TEST(FastRp, MatchesADenseFloat64ReferenceWithMultiEdgesSelfLoopsAndIsolatedNodes) {
  std::vector<int64_t> nodes = {100, 7, 35, 41, 2000, 12, 9};
  Edges edges = {{100, 7}, {7, 35}, {35, 41}, {41, 100}, {100, 35}, {7, 35}, {12, 12}, {12, 100}, {41, 7}};
  // 13: a dimension that is neither a multiple of the 8 entries expanded at once nor of the 4 in
  // a code byte.
  for (int dimension : {24, 13}) {
    for (bool directed : {false, true}) {
      for (float beta : {0.0f, -0.5f, 0.8f}) {
        FastRpOptions options = SmallOptions(dimension, 3);
        options.beta = beta;
        options.weights = {0.5f, 1.0f, 2.0f};
        std::vector<int64_t> sorted = nodes;
        std::sort(sorted.begin(), sorted.end());
        auto expected = DenseFastRp(sorted, edges, directed, options);
        std::vector<float> actual = ComputeFastRp(MakeGraph(nodes, edges, directed), options);
        for (size_t i = 0; i < sorted.size(); ++i) {
          SCOPED_TRACE("node " + std::to_string(sorted[i]) + (directed ? " directed" : " undirected") + " beta " +
                       std::to_string(beta) + " d " + std::to_string(dimension));
          ExpectNear(Row(actual, dimension, i), expected[i]);
        }
      }
    }
  }
}

TEST(FastRp, OutputIsTheWeightedSumOfUnitRows) {
  CsrGraph graph = MakeGraph({1, 2, 3, 4, 5, 6}, {{1, 2}, {2, 3}, {3, 1}, {3, 4}, {4, 5}, {5, 6}, {6, 4}});
  auto with_weights = [&](std::vector<float> weights) {
    FastRpOptions options = SmallOptions(16, 2);
    options.weights = std::move(weights);
    return ComputeFastRp(graph, options);
  };
  std::vector<float> first = with_weights({1, 0}), second = with_weights({0, 1}), mixed = with_weights({2, -3});
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_NEAR(Norm(Row(first, 16, i)), 1.0, 1e-6);
    EXPECT_NEAR(Norm(Row(second, 16, i)), 1.0, 1e-6);
    std::vector<double> expected(16);
    for (int k = 0; k < 16; ++k) expected[k] = 2 * first[i * 16 + k] - 3 * second[i * 16 + k];
    ExpectNear(Row(mixed, 16, i), expected);
  }
  // The default weights are 0 for the first iteration and 1 for the second: N_2 alone.
  FastRpOptions defaults = SmallOptions(16, 2);
  EXPECT_EQ(ComputeFastRp(graph, defaults), second);
}

TEST(FastRp, DirectedKeepsOutNeighboursOnly) {
  // 1 → 2 → 3: directed, node 1 sees 2, node 2 sees 3, node 3 sees nothing; undirected, 3 sees 2.
  FastRpOptions options = SmallOptions(16, 1);
  auto r = [&](int64_t id) { return ProjectionRow(options, id); };
  std::vector<float> directed = ComputeFastRp(MakeGraph({1, 2, 3}, {{1, 2}, {2, 3}}, true), options);
  ExpectNear(Row(directed, 16, 0), Normalized(r(2)));
  ExpectNear(Row(directed, 16, 1), Normalized(r(3)));
  ExpectNear(Row(directed, 16, 2), std::vector<double>(16, 0.0));
  std::vector<float> undirected = ComputeFastRp(MakeGraph({1, 2, 3}, {{1, 2}, {2, 3}}, false), options);
  ExpectNear(Row(undirected, 16, 2), Normalized(r(2)));
}

TEST(FastRp, RejectsBadOptions) {
  CsrGraph graph = MakeGraph({1, 2}, {{1, 2}});
  FastRpOptions options = SmallOptions(16, 3);
  options.weights = {1, 1};
  EXPECT_THROW(ComputeFastRp(graph, options), UsageError);
  options.weights = {0, 0, 0};
  EXPECT_THROW(ComputeFastRp(graph, options), UsageError);
  options = SmallOptions(0, 3);
  EXPECT_THROW(ComputeFastRp(graph, options), UsageError);
  options = SmallOptions(16, 0);
  EXPECT_THROW(ComputeFastRp(graph, options), UsageError);
  options = SmallOptions(16, 3);
  options.sparsity = 0.5;
  EXPECT_THROW(ComputeFastRp(graph, options), UsageError);
}

TEST(CsrGraph, MapsIdsInAscendingOrderAndRejectsDanglingEnds) {
  CsrGraph graph = MakeGraph({50, 10, 30, 10}, {{50, 10}, {10, 50}, {30, 30}});
  EXPECT_EQ(graph.node_ids(), (std::vector<int64_t>{10, 30, 50}));
  EXPECT_EQ(graph.entry_count(), 6);  // both directions of all three edges
  EXPECT_EQ(graph.degree(0), 2);      // 10: the multi-edge to 50 counts twice
  EXPECT_EQ(graph.degree(1), 2);      // 30: its self-loop, once per direction
  EXPECT_EQ(graph.neighbours()[graph.offsets()[0]], 2u);
  try {
    MakeGraph({1, 2}, {{1, 2}, {2, 3}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "edge 2 -> 3: node id 3 is not a node");
  }
}

}  // namespace
}  // namespace dlctl::graph
