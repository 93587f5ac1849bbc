#include "graph/fastrp.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>

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

// n × d floats, uninitialized, on transparent huge pages where the kernel allows: the
// propagation reads rows at random, and 4 KiB pages would cost a TLB miss for most of them.
class FloatMatrix {
 public:
  explicit FloatMatrix(size_t count) {
    constexpr size_t kHugePage = 2u << 20;
    size_t bytes = std::max<size_t>((count * sizeof(float) + kHugePage - 1) / kHugePage * kHugePage, kHugePage);
    data_ = static_cast<float*>(std::aligned_alloc(kHugePage, bytes));
    if (!data_) throw std::bad_alloc();
    madvise(data_, bytes, MADV_HUGEPAGE);  // advice only: failure just means small pages
  }
  ~FloatMatrix() { std::free(data_); }
  FloatMatrix(const FloatMatrix&) = delete;
  FloatMatrix& operator=(const FloatMatrix&) = delete;
  float* data() { return data_; }

 private:
  float* data_ = nullptr;
};

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

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void PrefetchRow(const float* row, int dimension) {
  for (int j = 0; j < dimension; j += 64 / sizeof(float)) __builtin_prefetch(row + j);
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

// One iteration for the nodes [first, last): current = normalized rows of S·previous, and
// output (+)= weight · current.
DLCTL_VECTOR_CLONES void PropagateBlock(const CsrGraph& graph, int dimension, const float* previous, float* current, float* output,
                    float weight, bool first_output, int64_t first, int64_t last) {
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
        if (k + kPrefetchDistance < block_end) PrefetchRow(previous + neighbours[k + kPrefetchDistance] * d, dimension);
        const float* __restrict neighbour = previous + neighbours[k] * d;
        if (k == begin) {
          std::memcpy(row, neighbour, d * sizeof(float));
        } else {
          for (size_t j = 0; j < d; ++j) row[j] += neighbour[j];
        }
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

DLCTL_VECTOR_CLONES void RandomProjectionRow(uint64_t seed, int64_t node_id, double sparsity, std::span<float> row) {
  // Entries from 16-bit slices of a splitmix64 stream keyed by (seed, node_id): ±√s each with
  // probability round(65536 / 2s) / 65536.
  const uint64_t key = SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(node_id)));
  const uint32_t threshold = static_cast<uint32_t>(std::lround(65536.0 / (2.0 * sparsity)));
  const float value = static_cast<float>(std::sqrt(sparsity));
  for (size_t word = 0; word * 4 < row.size(); ++word) {
    const uint64_t bits = SplitMix64(key + word * kGolden);
    const size_t count = std::min<size_t>(4, row.size() - word * 4);
    for (size_t q = 0; q < count; ++q) {
      const uint32_t draw = static_cast<uint32_t>(bits >> (16 * q)) & 0xFFFFu;
      row[word * 4 + q] = draw < threshold ? value : draw < 2 * threshold ? -value : 0.0f;
    }
  }
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
  FloatMatrix previous(n * d), current(n * d);
  const std::vector<int64_t>& ids = graph.node_ids();
  ForEachBlock(n, options.block_size, threads, [&](int64_t first, int64_t last) {
    for (int64_t node = first; node < last; ++node) {
      std::span<float> row(previous.data() + node * d, d);
      RandomProjectionRow(options.seed, ids[node], options.sparsity, row);
      if (options.beta == 0) continue;
      int64_t degree = graph.degree(node);
      // A node without neighbours is in no one's sum: its scale does not matter.
      float scale = degree == 0 ? 0.0f : static_cast<float>(std::pow(static_cast<double>(degree), options.beta));
      for (float& value : row) value *= scale;
    }
  });
  times.projection_seconds = SecondsSince(start);

  start = std::chrono::steady_clock::now();
  std::vector<float> output(n * d);
  float* from = previous.data();
  float* to = current.data();
  bool first_output = true;
  for (int iteration = 0; iteration < options.iterations; ++iteration) {
    float weight = options.weights[iteration];
    ForEachBlock(n, options.block_size, threads, [&](int64_t first, int64_t last) {
      PropagateBlock(graph, dimension, from, to, output.data(), weight, first_output, first, last);
    });
    if (weight != 0) first_output = false;
    std::swap(from, to);
  }
  times.propagation_seconds = SecondsSince(start);
  return output;
}

}  // namespace dlctl::graph
