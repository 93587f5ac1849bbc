#include "graph/fastrp.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "graph/huge_page_array.h"
#include "util/clock.h"
#include "util/error.h"

namespace dlctl::graph {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// The hot loops are also compiled for AVX2 (picked at load time where the CPU has it): about half
// the CPU time of the SSE2 baseline. Not FMA: a fused multiply-add rounds differently, and the
// results must not depend on the CPU. Element-wise adds and multiplies, and the fixed partial
// sums of NormalizeRow, give the same bits at any vector width.
#define DLCTL_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))

// splitmix64's output function applied to x + golden ratio: a bijective 64-bit mix.
uint64_t SplitMix64(uint64_t x) {
  x += kGolden;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

unsigned ThreadCount(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Runs work(first, last) over [0, count) in blocks of `block` handed out to `threads` threads in
// turn. Which thread runs a block never changes what the block computes.
template <typename Work>
void ForEachBlock(int64_t count, int64_t block, unsigned threads, const Work& work) {
  std::atomic<int64_t> next{0};
  auto run = [&] {
    for (int64_t first = next.fetch_add(block); first < count; first = next.fetch_add(block))
      work(first, std::min(count, first + block));
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (std::thread& thread : pool) thread.join();
}

// Scales `row` to unit L2 norm (a zero row stays zero). Eight partial sums in a fixed order:
// vectorizable and still the same result on every run.
inline void NormalizeRow(float* __restrict row, int dimension) {
  float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int j = 0;
  for (; j + 8 <= dimension; j += 8)
    for (int k = 0; k < 8; ++k) partial[k] += row[j + k] * row[j + k];
  float sum = 0;
  for (float p : partial) sum += p;
  for (; j < dimension; ++j) sum += row[j] * row[j];
  if (sum == 0) return;
  float scale = 1.0f / std::sqrt(sum);
  for (int k = 0; k < dimension; ++k) row[k] *= scale;
}

// L·R, packed: 2 bits per entry, 4 entries a byte (code 0 → 0, 1 → +√s, 2 → −√s), so the first
// iteration gathers 64-byte rows at d = 256 instead of 1 KiB float rows — R is very sparse and
// needs no more. Expanding a code gives exactly the floats the dense L·R would hold.
struct PackedProjection {
  PackedProjection(int64_t nodes, int dimension)
      : row_bytes((static_cast<size_t>(dimension) + 3) / 4), codes(static_cast<size_t>(nodes) * row_bytes) {}
  size_t row_bytes;              // ⌈d / 4⌉
  HugePageArray<uint8_t> codes;  // n × row_bytes
  std::vector<float> scales;     // degree^β per node; empty when β = 0 (no scaling at all)
  float plus = 0, minus = 0;     // +√s, −√s
};

// Neighbour rows read from a dense n × d matrix.
struct DenseRows {
  const float* values;
  size_t dimension;

  void Prefetch(uint32_t node) const {
    const float* row = values + node * dimension;
    for (size_t j = 0; j < dimension; j += 64 / sizeof(float)) __builtin_prefetch(row + j);
  }
  // row = (or +=) the node's row.
  __attribute__((always_inline)) void Add(uint32_t node, float* __restrict row, bool first) const {
    const float* __restrict neighbour = values + node * dimension;
    if (first) {
      std::memcpy(row, neighbour, dimension * sizeof(float));
    } else {
      for (size_t j = 0; j < dimension; ++j) row[j] += neighbour[j];
    }
  }
};

// Neighbour rows of L·R expanded from their codes.
struct ProjectionRows {
  const PackedProjection* projection;
  size_t dimension;

  void Prefetch(uint32_t node) const {
    const uint8_t* codes = projection->codes.data() + node * projection->row_bytes;
    for (size_t b = 0; b < projection->row_bytes; b += 64) __builtin_prefetch(codes + b);
  }
  __attribute__((always_inline)) void Add(uint32_t node, float* __restrict row, bool first) const {
    const uint8_t* codes = projection->codes.data() + node * projection->row_bytes;
    if (projection->scales.empty()) {
      first ? Expand<true, false>(codes, 1, row) : Expand<false, false>(codes, 1, row);
    } else {
      const float scale = projection->scales[node];
      first ? Expand<true, true>(codes, scale, row) : Expand<false, true>(codes, scale, row);
    }
  }

  // row = (or +=) the entries of `codes`, times `scale` when kScaled. Eight entries at a time:
  // their 2-bit codes shifted into eight lanes pick +√s, −√s or 0 (GCC vector extensions: AVX2
  // or SSE2 instructions, the same bits either way).
  template <bool kFirst, bool kScaled>
  __attribute__((always_inline)) void Expand(const uint8_t* codes, float scale, float* __restrict row) const {
    using Lanes = uint32_t __attribute__((vector_size(32)));
    using Floats = float __attribute__((vector_size(32)));
    const Lanes shifts = {0, 2, 4, 6, 8, 10, 12, 14};
    const Floats plus = Floats{} + (kScaled ? projection->plus * scale : projection->plus);
    const Floats minus = Floats{} + (kScaled ? projection->minus * scale : projection->minus);
    const Floats zero = {};
    size_t j = 0;
    for (; j + 8 <= dimension; j += 8) {
      const uint32_t bits = codes[j / 4] | uint32_t{codes[j / 4 + 1]} << 8;
      const Lanes code = ((Lanes{} + bits) >> shifts) & 3;
      const Floats values = code == 1 ? plus : code == 2 ? minus : zero;
      Floats sum;
      std::memcpy(&sum, row + j, sizeof sum);
      sum = kFirst ? values : sum + values;
      std::memcpy(row + j, &sum, sizeof sum);
    }
    for (; j < dimension; ++j) {
      const int code = (codes[j / 4] >> (2 * (j % 4))) & 3;
      const float value = code == 1 ? plus[0] : code == 2 ? minus[0] : 0.0f;
      row[j] = kFirst ? value : row[j] + value;
    }
  }
};

// One iteration for the nodes [first, last): current = normalized rows of S·previous, and
// output (+)= weight · current.
template <typename Rows>
__attribute__((always_inline)) inline void PropagateRows(const CsrGraph& graph, const Rows& previous, int dimension,
                                                         float* current, float* output, float weight, bool first_output,
                                                         int64_t first, int64_t last) {
  constexpr int64_t kPrefetchDistance = 4;  // neighbour rows ahead: ~4 KiB in flight per thread
  const int64_t* offsets = graph.offsets().data();
  const uint32_t* neighbours = graph.neighbours().data();
  const int64_t block_end = offsets[last];
  const size_t d = static_cast<size_t>(dimension);
  for (int64_t node = first; node < last; ++node) {
    float* __restrict row = current + node * d;
    int64_t begin = offsets[node], end = offsets[node + 1];
    if (begin == end) {
      std::memset(row, 0, d * sizeof(float));
    } else {
      // S = D⁻¹A scales the row by 1/degree, a positive factor that the normalization below
      // removes: the sum of the neighbour rows is normalized directly.
      for (int64_t k = begin; k < end; ++k) {
        if (k + kPrefetchDistance < block_end) previous.Prefetch(neighbours[k + kPrefetchDistance]);
        previous.Add(neighbours[k], row, k == begin);
      }
      NormalizeRow(row, dimension);
    }
    if (weight == 0) continue;
    float* __restrict out = output + node * d;
    if (first_output) {
      for (size_t j = 0; j < d; ++j) out[j] = weight * row[j];
    } else {
      for (size_t j = 0; j < d; ++j) out[j] += weight * row[j];
    }
  }
}

DLCTL_VECTOR_CLONES void PropagateBlock(const CsrGraph& graph, const DenseRows& previous, int dimension, float* current,
                                        float* output, float weight, bool first_output, int64_t first, int64_t last) {
  PropagateRows(graph, previous, dimension, current, output, weight, first_output, first, last);
}

DLCTL_VECTOR_CLONES void PropagateBlock(const CsrGraph& graph, const ProjectionRows& previous, int dimension,
                                        float* current, float* output, float weight, bool first_output, int64_t first,
                                        int64_t last) {
  PropagateRows(graph, previous, dimension, current, output, weight, first_output, first, last);
}

// Row `node_id` of R as 2-bit codes, 4 entries a byte (see PackedProjection), from 16-bit slices
// of a splitmix64 stream keyed by (seed, node_id): ±√s each with probability
// round(65536 / 2s) / 65536. A last partial byte holds codes past d, which nothing reads.
void ProjectionCodes(uint64_t seed, int64_t node_id, double sparsity, std::span<uint8_t> codes) {
  const uint64_t key = SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(node_id)));
  const uint32_t threshold = static_cast<uint32_t>(std::lround(65536.0 / (2.0 * sparsity)));
  for (size_t byte = 0; byte < codes.size(); ++byte) {
    const uint64_t bits = SplitMix64(key + byte * kGolden);
    codes[byte] = 0;
    for (int q = 0; q < 4; ++q) {
      const uint32_t draw = static_cast<uint32_t>(bits >> (16 * q)) & 0xFFFFu;
      const uint8_t code = draw < threshold ? 1 : draw < 2 * threshold ? 2 : 0;
      codes[byte] |= code << (2 * q);
    }
  }
}

}  // namespace

FastRpOptions ResolvedFastRpOptions(FastRpOptions options) {
  if (options.dimension < 1 || options.dimension > 65536)
    throw UsageError("the embedding dimension must be between 1 and 65536, not " + std::to_string(options.dimension));
  if (options.iterations < 1 || options.iterations > 100)
    throw UsageError("the iteration count must be between 1 and 100, not " + std::to_string(options.iterations));
  if (options.weights.empty()) {
    options.weights.assign(options.iterations, 1.0f);
    if (options.iterations > 1) options.weights[0] = 0.0f;
  }
  if (static_cast<int>(options.weights.size()) != options.iterations)
    throw UsageError("there must be one weight per iteration: " + std::to_string(options.weights.size()) +
                     " weights for " + std::to_string(options.iterations) + " iterations");
  bool any_weight = false;
  for (float weight : options.weights) {
    if (!std::isfinite(weight)) throw UsageError("iteration weights must be finite numbers");
    any_weight = any_weight || weight != 0;
  }
  if (!any_weight) throw UsageError("at least one iteration weight must be non-zero");
  if (!std::isfinite(options.beta)) throw UsageError("the normalization strength (beta) must be a finite number");
  if (!(options.sparsity >= 1)) throw UsageError("the projection sparsity must be at least 1");
  if (options.block_size < 1) throw UsageError("the block size must be positive");
  return options;
}

void RandomProjectionRow(uint64_t seed, int64_t node_id, double sparsity, std::span<float> row) {
  std::vector<uint8_t> codes((row.size() + 3) / 4);
  ProjectionCodes(seed, node_id, sparsity, codes);
  const float values[3] = {0.0f, static_cast<float>(std::sqrt(sparsity)), -static_cast<float>(std::sqrt(sparsity))};
  for (size_t j = 0; j < row.size(); ++j) row[j] = values[(codes[j / 4] >> (2 * (j % 4))) & 3];
}

std::vector<float> ComputeFastRp(const CsrGraph& graph, const FastRpOptions& requested, FastRpTimings* timings) {
  const FastRpOptions options = ResolvedFastRpOptions(requested);
  const int64_t n = graph.node_count();
  const int dimension = options.dimension;
  const size_t d = static_cast<size_t>(dimension);
  const unsigned threads = ThreadCount(options.threads);
  FastRpTimings local;
  FastRpTimings& times = timings ? *timings : local;

  auto start = std::chrono::steady_clock::now();
  PackedProjection projection(n, dimension);
  if (options.beta != 0) projection.scales.resize(n);
  projection.plus = static_cast<float>(std::sqrt(options.sparsity));
  projection.minus = -projection.plus;
  const std::vector<int64_t>& ids = graph.node_ids();
  ForEachBlock(n, options.block_size, threads, [&](int64_t first, int64_t last) {
    for (int64_t node = first; node < last; ++node) {
      ProjectionCodes(options.seed, ids[node], options.sparsity,
                      {projection.codes.data() + node * projection.row_bytes, projection.row_bytes});
      if (options.beta == 0) continue;
      int64_t degree = graph.degree(node);
      // A node without neighbours is in no one's sum: its scale does not matter.
      projection.scales[node] =
          degree == 0 ? 0.0f : static_cast<float>(std::pow(static_cast<double>(degree), options.beta));
    }
  });
  times.projection_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  HugePageArray<float> previous(n * d), current(n * d);
  std::vector<float> output(n * d);
  float* from = previous.data();
  float* to = current.data();
  bool first_output = true;
  for (int iteration = 0; iteration < options.iterations; ++iteration) {
    float weight = options.weights[iteration];
    ForEachBlock(n, options.block_size, threads, [&](int64_t first, int64_t last) {
      if (iteration == 0) {
        PropagateBlock(graph, ProjectionRows{&projection, d}, dimension, to, output.data(), weight, first_output,
                       first, last);
      } else {
        PropagateBlock(graph, DenseRows{from, d}, dimension, to, output.data(), weight, first_output, first, last);
      }
    });
    if (weight != 0) first_output = false;
    std::swap(from, to);
  }
  times.propagation_seconds = SecondsSince(start);
  return output;
}

}  // namespace dlctl::graph
