#include "graph/csr_graph.h"

#include <algorithm>
#include <limits>
#include <string>

#include "util/error.h"

namespace dlctl::graph {
namespace {

// Dense index of each id in `ids` (ascending, unique). Contiguous ids, the common case, are a
// subtraction; others a binary search.
class IndexOfId {
 public:
  explicit IndexOfId(const std::vector<int64_t>& ids)
      : ids_(ids), contiguous_(!ids.empty() && static_cast<uint64_t>(ids.back() - ids.front()) == ids.size() - 1) {}

  // UINT32_MAX for an id that is not a node.
  uint32_t operator()(int64_t id) const {
    if (ids_.empty()) return kMissing;
    if (contiguous_) {
      if (id < ids_.front() || id > ids_.back()) return kMissing;
      return static_cast<uint32_t>(id - ids_.front());
    }
    auto found = std::lower_bound(ids_.begin(), ids_.end(), id);
    if (found == ids_.end() || *found != id) return kMissing;
    return static_cast<uint32_t>(found - ids_.begin());
  }

  static constexpr uint32_t kMissing = std::numeric_limits<uint32_t>::max();

 private:
  const std::vector<int64_t>& ids_;
  bool contiguous_;
};

}  // namespace

CsrGraph CsrGraph::Build(std::vector<int64_t> node_ids, std::span<const int64_t> sources,
                         std::span<const int64_t> targets, bool directed) {
  if (sources.size() != targets.size()) throw Error("edge sources and targets differ in count");
  std::sort(node_ids.begin(), node_ids.end());
  node_ids.erase(std::unique(node_ids.begin(), node_ids.end()), node_ids.end());
  if (node_ids.size() >= IndexOfId::kMissing)
    throw Error("a graph of " + std::to_string(node_ids.size()) + " nodes is too large (at most 2^32 - 1)");

  CsrGraph graph;
  graph.directed_ = directed;
  IndexOfId index_of(node_ids);
  const size_t edge_count = sources.size();
  std::vector<uint32_t> from(edge_count), to(edge_count);
  std::vector<int64_t> offsets(node_ids.size() + 1, 0);
  for (size_t e = 0; e < edge_count; ++e) {
    from[e] = index_of(sources[e]);
    to[e] = index_of(targets[e]);
    if (from[e] == IndexOfId::kMissing || to[e] == IndexOfId::kMissing)
      throw Error("edge " + std::to_string(sources[e]) + " -> " + std::to_string(targets[e]) + ": node id " +
                  std::to_string(from[e] == IndexOfId::kMissing ? sources[e] : targets[e]) + " is not a node");
    ++offsets[from[e] + 1];
    if (!directed) ++offsets[to[e] + 1];
  }
  for (size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];

  std::vector<int64_t> cursor(offsets.begin(), offsets.end() - 1);
  std::vector<uint32_t> neighbours(static_cast<size_t>(offsets.back()));
  for (size_t e = 0; e < edge_count; ++e) {
    neighbours[cursor[from[e]]++] = to[e];
    if (!directed) neighbours[cursor[to[e]]++] = from[e];
  }
  // Rows in ascending order: the sums over a row then do not depend on the edges' input order.
  for (size_t i = 0; i + 1 < offsets.size(); ++i)
    std::sort(neighbours.begin() + offsets[i], neighbours.begin() + offsets[i + 1]);

  graph.node_ids_ = std::move(node_ids);
  graph.offsets_ = std::move(offsets);
  graph.neighbours_ = std::move(neighbours);
  return graph;
}

uint64_t CsrGraph::memory_bytes() const {
  return node_ids_.size() * sizeof(int64_t) + offsets_.size() * sizeof(int64_t) +
         neighbours_.size() * sizeof(uint32_t);
}

}  // namespace dlctl::graph
