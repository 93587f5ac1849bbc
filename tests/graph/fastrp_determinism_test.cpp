#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/fastrp.h"

namespace dlctl::graph {
namespace {

struct EdgeList {
  std::vector<int64_t> nodes, sources, targets;
};

// 5,000 nodes with scattered ids and 40,000 random edges, some of them duplicates.
EdgeList RandomEdges(uint64_t seed) {
  std::mt19937_64 random(seed);
  EdgeList list;
  for (int64_t i = 0; i < 5000; ++i) list.nodes.push_back(1000 + 3 * i + static_cast<int64_t>(random() % 3));
  std::uniform_int_distribution<size_t> pick(0, list.nodes.size() - 1);
  for (int e = 0; e < 40000; ++e) {
    list.sources.push_back(list.nodes[pick(random)]);
    list.targets.push_back(list.nodes[pick(random)]);
  }
  return list;
}

std::vector<float> Embed(const EdgeList& list, unsigned threads, int64_t block_size, uint64_t seed = 42) {
  FastRpOptions options;
  options.dimension = 64;
  options.iterations = 3;
  options.beta = -0.3f;
  options.seed = seed;
  options.threads = threads;
  options.block_size = block_size;
  return ComputeFastRp(CsrGraph::Build(list.nodes, list.sources, list.targets, false), options);
}

bool BitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(FastRpDeterminism, BitIdenticalAcrossThreadCountsBlockSizesAndEdgeOrder) {
  EdgeList list = RandomEdges(1);
  std::vector<float> reference = Embed(list, 1, 4096);
  ASSERT_EQ(reference.size(), 5000u * 64);
  EXPECT_TRUE(BitIdentical(Embed(list, 2, 4096), reference));
  EXPECT_TRUE(BitIdentical(Embed(list, 2, 7), reference));
  EXPECT_TRUE(BitIdentical(Embed(list, 3, 1000), reference));
  EXPECT_TRUE(BitIdentical(Embed(list, 1, 1), reference));

  // The same graph with its edges and nodes listed in another order.
  EdgeList shuffled = list;
  std::vector<size_t> order(list.sources.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937_64(2));
  for (size_t i = 0; i < order.size(); ++i) {
    shuffled.sources[i] = list.sources[order[i]];
    shuffled.targets[i] = list.targets[order[i]];
  }
  std::reverse(shuffled.nodes.begin(), shuffled.nodes.end());
  EXPECT_TRUE(BitIdentical(Embed(shuffled, 2, 333), reference));
}

TEST(FastRpDeterminism, AnotherSeedGivesOtherEmbeddings) {
  EdgeList list = RandomEdges(1);
  std::vector<float> a = Embed(list, 2, 4096, 42), b = Embed(list, 2, 4096, 43);
  ASSERT_EQ(a.size(), b.size());
  size_t differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a[i] != b[i];
  EXPECT_GT(differing, a.size() * 9 / 10);
}

}  // namespace
}  // namespace dlctl::graph
