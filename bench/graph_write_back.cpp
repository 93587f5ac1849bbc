// Embedding write-back into Kùzu (GraphStore::WriteNodeEmbeddings): a graph of N nodes in two node
// tables with a chain of N rels, then N embeddings of dimension D written in one call, timed.
//   graph_write_back [N=1000000] [D=256] [FOLDER=/tmp]
// Prints the build time, the write-back time and µs per node. The write-back rebuilds the node
// tables with the new column through COPY (see kuzu/kuzu_graph_store.cpp); row-by-row SET was
// measured at ~6 ms per node on this machine, which is what this replaces.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "graph/graph_store.h"
#include "util/clock.h"

using dlctl::SecondsSince;

int main(int argc, char** argv) {
  int64_t nodes = argc > 1 ? std::atoll(argv[1]) : 1000000;
  int dimension = argc > 2 ? std::atoi(argv[2]) : 256;
  std::filesystem::path folder = argc > 3 ? argv[3] : std::filesystem::temp_directory_path();
  std::filesystem::path path = folder / fmt::format("graph_write_back-{}", getpid());
  using dlctl::graph::OpenKuzuGraphStore;

  auto start = std::chrono::steady_clock::now();
  // The default 1 GiB pool cannot hold 1 M × 256 floats twice (the temporary table and the
  // rebuilt node table): "The buffer pool is full".
  dlctl::graph::GraphStoreOptions options;
  options.buffer_pool_bytes = 8ull << 30;
  auto graph = OpenKuzuGraphStore(path, options);
  int64_t half = nodes / 2;
  graph->Query("CREATE NODE TABLE User(node_id INT64 PRIMARY KEY, name STRING);"
               "CREATE NODE TABLE Track(node_id INT64 PRIMARY KEY, year INT32);"
               "CREATE REL TABLE Next(FROM User TO Track, FROM Track TO User, weight DOUBLE)");
  graph->Query(fmt::format("COPY User FROM (UNWIND range(0, {}) AS i RETURN i, 'user ' + CAST(i, 'STRING'))", half - 1));
  graph->Query(fmt::format("COPY Track FROM (UNWIND range({}, {}) AS i RETURN i, 1990 + i % 30)", half, nodes - 1));
  graph->Query(fmt::format("COPY Next FROM (UNWIND range(0, {}) AS i RETURN i, i + {}, 0.5) (from='User', to='Track')",
                           half - 1, half));
  fmt::print("graph of {} nodes and {} rels built in {:.1f} s\n", nodes, half, SecondsSince(start));

  std::vector<int64_t> ids(nodes);
  std::vector<float> values(static_cast<size_t>(nodes) * dimension);
  std::mt19937 random(1);
  std::normal_distribution<float> normal;
  for (int64_t i = 0; i < nodes; ++i) ids[i] = nodes - 1 - i;
  for (float& value : values) value = normal(random);

  start = std::chrono::steady_clock::now();
  graph->WriteNodeEmbeddings(ids, values, dimension);
  double seconds = SecondsSince(start);
  fmt::print("write-back of {} embeddings (d={}): {:.1f} s, {:.1f} µs per node\n", nodes, dimension, seconds,
             seconds * 1e6 / nodes);

  auto check = graph->Query("MATCH (n:Track) WHERE n.node_id = " + std::to_string(nodes - 1) +
                            " RETURN n.embedding[1]");
  fmt::print("check: {} (expected {})\n", check.rows.at(0).at(0), values[0]);
  graph.reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".wal");
  return 0;
}
