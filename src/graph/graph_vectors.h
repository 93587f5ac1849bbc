#pragma once
// Nearest neighbours on the `embedding` property: Kùzu's HNSW vector index (cosine) when
// `dlctl graph reindex` built one, else an exact scan.
#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph_store.h"

namespace dlctl::graph {

struct VectorIndex {
  std::string table;
  std::string name;  // "<table>_embedding_idx_<ms>", lowercased
};

// Replaces the vector indexes with one new index per node table that has an embedding. Throws
// Error when no table has one. Not atomic: when building an index fails, the tables built so far
// keep theirs and the others have none (similar then scans them exactly).
std::vector<VectorIndex> RebuildVectorIndexes(GraphStore& graph);

// Whether any node table has a vector index on `embedding`.
bool HasVectorIndexes(GraphStore& graph);

struct Neighbour {
  int64_t node_id = 0;
  std::string label;
  double similarity = 0;  // cosine
};

struct SimilarResult {
  std::vector<Neighbour> neighbours;  // most similar first; the node itself is among them
  bool used_index = false;            // every table searched had a vector index
};

// The k nodes (of any label with embeddings) most similar to `node_id`. NotFoundError for an
// unknown node, Error for a node without an embedding.
SimilarResult SimilarNodes(GraphStore& graph, int64_t node_id, int k);

}  // namespace dlctl::graph
