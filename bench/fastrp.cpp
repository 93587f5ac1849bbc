// FastRP speed (see bench/README.md, "FastRP"):
//   (a) a generated power-law graph, 1 M nodes and 10 M edges by default, d = 256, 3 iterations:
//       seconds, peak memory, and the ratio to a memory-bandwidth floor measured in the same run
//       (a multithreaded STREAM triad moving as many bytes as FastRP must at least move);
//   (b) with --edges-csv, a real graph (deezer_europe), for the comparison with
//       bench/fastrp_scipy.py.
// The first round runs on fresh memory; the later ones reuse the memory the first one touched
// (freed memory stays in the heap). On the VMs this was written on, touching fresh memory costs
// ~20 s per GB (every first touch of a page traps to the hypervisor), which would swamp what is
// measured: the figures of interest are the best of the warm rounds.
// usage: fastrp [--nodes N] [--edges M] [-d 256] [-e 3] [--threads T] [--uniform] [--rounds 3]
//               [--edges-csv PATH [--out FILE]]   (--out: the embeddings as float32, rows in node id order)
#include <malloc.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/fastrp.h"
#include "graph/huge_page_array.h"
#include "util/clock.h"

namespace {

using dlctl::graph::CsrGraph;
using dlctl::graph::FastRpOptions;
using dlctl::graph::FastRpTimings;
using Clock = std::chrono::steady_clock;
using dlctl::SecondsSince;


// The process's peak resident memory (VmHWM), in bytes.
uint64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

struct Edges {
  std::vector<int64_t> nodes, sources, targets;
};

// `edge_count` edges over `node_count` nodes. Power-law (the default): an end is node i with
// probability ∝ (i+1)^-0.5, so expected degrees follow a power law with exponent 3 (as
// preferential attachment gives); the biggest hub has ~10,000 edges per 10 M. Uniform: every
// node alike. Node ids are a random permutation, so hubs are not neighbours in memory.
Edges Generate(int64_t node_count, int64_t edge_count, bool uniform, uint64_t seed) {
  std::mt19937_64 random(seed);
  Edges edges;
  edges.nodes.resize(node_count);
  for (int64_t i = 0; i < node_count; ++i) edges.nodes[i] = i;
  std::shuffle(edges.nodes.begin(), edges.nodes.end(), random);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double exponent = 0.5;
  const double span = std::pow(static_cast<double>(node_count) + 1, 1 - exponent) - 1;
  auto end = [&] {
    if (uniform) return static_cast<int64_t>(random() % node_count);
    // Inverse of the continuous CDF of x^-exponent on [1, n + 1).
    double x = std::pow(1 + span * unit(random), 1 / (1 - exponent));
    return std::min<int64_t>(node_count - 1, static_cast<int64_t>(x) - 1);
  };
  edges.sources.reserve(edge_count);
  edges.targets.reserve(edge_count);
  for (int64_t e = 0; e < edge_count; ++e) {
    edges.sources.push_back(edges.nodes[end()]);
    edges.targets.push_back(edges.nodes[end()]);
  }
  return edges;
}

// deezer_europe's edges.csv: a header, then `id_1,id_2` per line.
Edges ReadCsv(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  Edges edges;
  std::string line;
  std::getline(file, line);
  while (std::getline(file, line)) {
    int64_t source = 0, target = 0;
    auto [comma, error] = std::from_chars(line.data(), line.data() + line.size(), source);
    if (error != std::errc() || comma == line.data() + line.size()) continue;
    std::from_chars(comma + 1, line.data() + line.size(), target);
    edges.sources.push_back(source);
    edges.targets.push_back(target);
  }
  edges.nodes = edges.sources;
  edges.nodes.insert(edges.nodes.end(), edges.targets.begin(), edges.targets.end());
  return edges;
}

// The bytes FastRP cannot avoid moving, whatever its cache use: writing R once, packed in 2 bits
// per entry (as dlctl does: its entries are 0 or ±√s); per iteration reading the previous matrix
// once (the first iteration: packed R), writing the current n × d float matrix, and reading the
// CSR; and for every iteration with a non-zero weight writing the output (and reading it back from
// the second such iteration on).
double MinimumBytes(const CsrGraph& graph, const FastRpOptions& options) {
  const double matrix = static_cast<double>(graph.node_count()) * options.dimension * sizeof(float);
  const double packed = static_cast<double>(graph.node_count()) * ((options.dimension + 3) / 4);
  const double csr = static_cast<double>(graph.offsets().size()) * sizeof(int64_t) +
                     static_cast<double>(graph.neighbours().size()) * sizeof(uint32_t);
  double bytes = packed;
  double previous = packed;
  bool output_written = false;
  for (float weight : dlctl::graph::ResolvedFastRpOptions(options).weights) {
    bytes += previous + matrix + csr;
    previous = matrix;
    if (weight != 0) {
      bytes += output_written ? 2 * matrix : matrix;
      output_written = true;
    }
  }
  return bytes;
}

// A STREAM triad a[i] = b[i] + s·c[i] over float arrays of `elements` each, split over `threads`
// threads, repeated until `bytes` have moved (3 × 4 bytes per element). Returns bytes/second,
// the best of three repetitions.
double TriadBandwidth(size_t elements, double bytes, unsigned threads) {
  std::unique_ptr<float[]> a(new float[elements]), b(new float[elements]), c(new float[elements]);
  auto parallel = [&](auto work) {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] { work(elements * t / threads, elements * (t + 1) / threads); });
    for (std::thread& thread : pool) thread.join();
  };
  parallel([&](size_t first, size_t last) {
    for (size_t i = first; i < last; ++i) {
      a[i] = 0;
      b[i] = 1;
      c[i] = 2;
    }
  });
  const double pass_bytes = 3.0 * sizeof(float) * static_cast<double>(elements);
  const int passes = std::max(1, static_cast<int>(std::ceil(bytes / pass_bytes)));
  double best = 0;
  for (int repetition = 0; repetition < 3; ++repetition) {
    auto start = Clock::now();
    for (int pass = 0; pass < passes; ++pass) {
      const float s = 0.5f + pass;
      parallel([&](size_t first, size_t last) {
        float* __restrict x = a.get();
        const float* __restrict y = b.get();
        const float* __restrict z = c.get();
        for (size_t i = first; i < last; ++i) x[i] = y[i] + s * z[i];
      });
    }
    best = std::max(best, passes * pass_bytes / SecondsSince(start));
  }
  if (a[elements / 2] == 12345.0f) std::puts("");  // keeps the stores
  return best;
}

// A second yardstick, for FastRP's access pattern rather than streaming: `passes` passes in
// which each CSR entry reads its neighbour's dense row of an n × d matrix (rows prefetched a
// few entries ahead, as FastRP does) and adds it to its node's row — the gathers without FastRP's
// normalization, weights or output, and without its packed first iteration. Returns the best
// seconds of two repetitions.
double GatherSeconds(const CsrGraph& graph, int dimension, int passes, unsigned threads) {
  const size_t n = static_cast<size_t>(graph.node_count()), d = static_cast<size_t>(dimension);
  // On transparent huge pages, as FastRP's matrices.
  dlctl::graph::HugePageArray<float> from(n * d), to(n * d);
  std::fill(from.data(), from.data() + n * d, 1.0f);
  float* source = from.data();
  float* target = to.data();
  const int64_t* offsets = graph.offsets().data();
  const uint32_t* neighbours = graph.neighbours().data();
  double best = 1e9;
  for (int repetition = 0; repetition < 2; ++repetition) {
    auto start = Clock::now();
    for (int pass = 0; pass < passes; ++pass) {
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([=] {
          const size_t first = n * t / threads, last = n * (t + 1) / threads;
          const int64_t end = offsets[last];
          for (size_t node = first; node < last; ++node) {
            float* __restrict row = target + node * d;
            std::fill(row, row + d, 0.0f);
            for (int64_t k = offsets[node]; k < offsets[node + 1]; ++k) {
              if (k + 4 < end)
                for (size_t j = 0; j < d; j += 16) __builtin_prefetch(source + neighbours[k + 4] * d + j);
              const float* __restrict neighbour = source + neighbours[k] * d;
              for (size_t j = 0; j < d; ++j) row[j] += neighbour[j];
            }
          }
        });
      for (std::thread& thread : pool) thread.join();
      std::swap(source, target);
    }
    best = std::min(best, SecondsSince(start));
  }
  if (source[n * d / 2] == 12345.0f) std::puts("");  // keeps the sums
  return best;
}

struct Arguments {
  int64_t nodes = 1'000'000;
  int64_t edges = 10'000'000;
  bool uniform = false;
  std::string edges_csv;
  std::string out;
  int rounds = 3;
  FastRpOptions options;
};

Arguments Parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(flag + " wants a value");
      return argv[++i];
    };
    if (flag == "--nodes") args.nodes = std::stoll(value());
    else if (flag == "--edges") args.edges = std::stoll(value());
    else if (flag == "-d") args.options.dimension = std::stoi(value());
    else if (flag == "-e") args.options.iterations = std::stoi(value());
    else if (flag == "--threads") args.options.threads = static_cast<unsigned>(std::stoul(value()));
    else if (flag == "--uniform") args.uniform = true;
    else if (flag == "--edges-csv") args.edges_csv = value();
    else if (flag == "--rounds") args.rounds = std::stoi(value());
    else if (flag == "--out") args.out = value();
    else throw std::runtime_error("unknown option " + flag);
  }
  return args;
}

int RealGraph(const Arguments& args) {
  Edges edges = ReadCsv(args.edges_csv);
  auto start = Clock::now();
  CsrGraph graph = CsrGraph::Build(edges.nodes, edges.sources, edges.targets, false);
  double build = SecondsSince(start);
  double first = 0, best = 1e9;
  for (int round = 0; round < args.rounds; ++round) {
    start = Clock::now();
    std::vector<float> embeddings = dlctl::graph::ComputeFastRp(graph, args.options);
    double seconds = SecondsSince(start);
    if (round == 0) first = seconds;
    else best = std::min(best, seconds);
    if (round == 0 && !args.out.empty()) {
      std::ofstream out(args.out, std::ios::binary);
      out.write(reinterpret_cast<const char*>(embeddings.data()), embeddings.size() * sizeof(float));
      if (!out) throw std::runtime_error("cannot write " + args.out);
    }
  }
  std::printf("dlctl FastRP: %lld nodes, %zu edges, d=%d, %d iterations: %.4f s (best warm round of %d; "
              "first round %.4f s; CSR build %.4f s)\n",
              static_cast<long long>(graph.node_count()), edges.sources.size(), args.options.dimension,
              args.options.iterations, best, args.rounds - 1, first, build);
  return 0;
}

int GeneratedGraph(const Arguments& args) {
  const unsigned threads = args.options.threads ? args.options.threads : std::max(1u, std::thread::hardware_concurrency());
  auto start = Clock::now();
  Edges edges = Generate(args.nodes, args.edges, args.uniform, 2019);
  double generate = SecondsSince(start);
  start = Clock::now();
  CsrGraph graph = CsrGraph::Build(std::move(edges.nodes), edges.sources, edges.targets, false);
  double build = SecondsSince(start);
  edges = {};
  int64_t max_degree = 0;
  for (int64_t i = 0; i < graph.node_count(); ++i) max_degree = std::max(max_degree, graph.degree(i));
  std::printf("graph: %lld nodes, %lld edges (%s, max degree %lld), generated in %.2f s, CSR built in %.2f s (%.0f MB)\n",
              static_cast<long long>(graph.node_count()), static_cast<long long>(args.edges),
              args.uniform ? "uniform" : "power law", static_cast<long long>(max_degree), generate, build,
              graph.memory_bytes() / 1e6);

  double seconds = 1e9;
  uint64_t peak = 0;
  for (int round = 0; round < args.rounds; ++round) {
    FastRpTimings timings;
    start = Clock::now();
    std::vector<float> embeddings = dlctl::graph::ComputeFastRp(graph, args.options, &timings);
    double round_seconds = SecondsSince(start);
    if (round > 0) seconds = std::min(seconds, round_seconds);
    if (round == 0) peak = PeakResidentBytes();  // later rounds add the heap's fragmentation
    std::printf("FastRP round %d (%s memory), d=%d, %d iterations, %u threads: %.3f s (projection %.3f s, "
                "propagation %.3f s)\n",
                round + 1, round == 0 ? "fresh" : "warm", args.options.dimension, args.options.iterations, threads,
                round_seconds, timings.projection_seconds, timings.propagation_seconds);
  }
  std::printf("peak memory %.2f GB (VmHWM after round 1, with the generated edge lists; 3 n×d float matrices = "
              "%.2f GB, CSR %.2f GB)\n",
              peak / 1e9, 3.0 * graph.node_count() * args.options.dimension * 4 / 1e9,
              graph.memory_bytes() / 1e9);

  double bytes = MinimumBytes(graph, args.options);
  double bandwidth = TriadBandwidth(size_t{64} << 20, bytes, threads);  // 3 × 256 MiB, far past any cache
  double floor = bytes / bandwidth;
  std::printf("memory-bandwidth floor: %.2f GB at %.2f GB/s (STREAM triad, %u threads) = %.3f s; "
              "FastRP runs at %.0f%% of it\n",
              bytes / 1e9, bandwidth / 1e9, threads, floor, 100 * floor / seconds);
  std::printf("byte model: write packed R once; per iteration read the previous matrix (first: packed R) and the "
              "CSR, write the current one; write the output at the first weighted iteration, read and write it at "
              "later ones\n");
  // What the propagation does move when no neighbour row is found in a cache: each of the CSR's
  // entries reads one row of the previous matrix, instead of each row being read once (the first
  // iteration's packed rows are left out: they are a sixteenth of the size).
  double row_bytes = static_cast<double>(args.options.dimension) * sizeof(float);
  double gathered = bytes + (args.options.iterations - 1) * (graph.entry_count() - graph.node_count()) * row_bytes;
  std::printf("with every neighbour row read from memory: %.2f GB, i.e. FastRP moves %.2f GB/s = %.0f%% of the "
              "triad's bandwidth\n",
              gathered / 1e9, gathered / seconds / 1e9, 100 * gathered / seconds / bandwidth);
  // FastRP's dense iterations (all but the first) against the same gathers with nothing else.
  const int dense_passes = args.options.iterations - 1;
  if (dense_passes > 0) {
    double gather = GatherSeconds(graph, args.options.dimension, dense_passes, threads);
    double gather_bytes = dense_passes * graph.entry_count() * row_bytes;
    std::printf("dense gathers alone (each CSR entry adds its neighbour's row; %d passes, as FastRP's iterations "
                "after the first, nothing else): %.3f s = %.2f GB/s of rows = %.0f%% of the triad's bandwidth; "
                "the whole FastRP takes %.2fx that time\n",
                dense_passes, gather, gather_bytes / gather / 1e9, 100 * gather_bytes / gather / bandwidth,
                seconds / gather);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Freed memory stays in the process (see the header comment).
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT32_MAX);
  try {
    Arguments args = Parse(argc, argv);
    if (args.rounds < 2) throw std::runtime_error("--rounds must be at least 2 (one fresh, one warm)");
    return args.edges_csv.empty() ? GeneratedGraph(args) : RealGraph(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fastrp: %s\n", e.what());
    return 1;
  }
}
