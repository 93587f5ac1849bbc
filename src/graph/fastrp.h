#pragma once
// FastRP node embeddings (Chen et al., "Fast and Accurate Network Embeddings via Very Sparse
// Random Projection", 2019; the conventions of Neo4j GDS's fastRP where the paper leaves a choice):
//
//   R          n × d very sparse random projection: each entry is +√s or −√s with probability
//              1/(2s) each, else 0 (s = `sparsity`, 3 by default).
//   L          diag(degree^β), β = `beta` (GDS's normalizationStrength). β = 0 is the identity;
//              β < 0 lowers the weight of high-degree nodes, β > 0 raises it. The paper's
//              (degree/2m)^β differs by a constant factor, which the row normalization removes.
//   S          D⁻¹A, the degree-normalized transition matrix (each row averages its neighbours).
//   N_1 = S·L·R, N_i = S·N_{i-1}: each N_i has its rows L2-normalized before it is used further
//              (GDS: the intermediate embeddings are normalized at every iteration).
//   output     Σ_i weights[i]·N_i.
//
// `iterations` is the number of propagation steps (hops), not training epochs: FastRP trains
// nothing. Nodes without neighbours get the zero vector.
//
// Memory: three n × d float matrices (the previous and current iteration, the output) and R packed
// in 2 bits per entry (n × d / 4 bytes), which the first iteration reads instead of a dense L·R.
//
// Determinism: R's row for a node is a function of (seed, node_id) only, and every output row is
// computed by one thread in a fixed order, so the result is bit-identical whatever the thread
// count or block size.
#include <cstdint>
#include <span>
#include <vector>

#include "graph/csr_graph.h"

namespace dlctl::graph {

struct FastRpOptions {
  int dimension = 256;     // -d
  int iterations = 3;      // -e: hops
  // One per iteration; empty: 0 for the first iteration, 1 for the others.
  std::vector<float> weights;
  float beta = 0.0f;       // normalization strength
  double sparsity = 3.0;   // s ≥ 1
  uint64_t seed = 42;
  int64_t block_size = 4096;  // -b: nodes per unit of work handed to a thread
  unsigned threads = 0;       // 0: hardware concurrency
};

// Checks the options (UsageError) and fills in the default weights.
FastRpOptions ResolvedFastRpOptions(FastRpOptions options);

// Row `node_id` of R: writes `row.size()` entries (0 or ±√sparsity).
void RandomProjectionRow(uint64_t seed, int64_t node_id, double sparsity, std::span<float> row);

struct FastRpTimings {
  double projection_seconds = 0;    // generating L·R
  double propagation_seconds = 0;   // the iterations
};

// The embeddings, row i (dimension floats) for graph.node_ids()[i], n × d contiguous.
std::vector<float> ComputeFastRp(const CsrGraph& graph, const FastRpOptions& options,
                                 FastRpTimings* timings = nullptr);

}  // namespace dlctl::graph
