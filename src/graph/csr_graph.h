#pragma once
// A graph in compressed sparse row form, built once from edge arrays. Node ids (any int64) are
// mapped to dense indexes 0..n-1 in ascending id order, so index order is id order whatever the
// order of the input.
//
// Undirected (the default) stores every edge in both directions, i.e. the adjacency A + Aᵀ;
// directed keeps u → v only, in u's row. Duplicate edges are kept as multi-edges: a pair listed
// twice counts twice in the row and in the degree, as the entries of a sparse matrix built from
// the edge list would sum. An undirected self-loop u–u therefore appears twice in u's row.
#include <cstdint>
#include <span>
#include <vector>

namespace dlctl::graph {

class CsrGraph {
 public:
  // `node_ids`: every node (duplicates are merged). Edges whose ends are not in `node_ids` are
  // an Error naming one of them. `sources[i] → targets[i]` is edge i.
  static CsrGraph Build(std::vector<int64_t> node_ids, std::span<const int64_t> sources,
                        std::span<const int64_t> targets, bool directed);

  int64_t node_count() const { return static_cast<int64_t>(node_ids_.size()); }
  // Entries in the rows: twice the edge count when undirected.
  int64_t entry_count() const { return static_cast<int64_t>(neighbours_.size()); }
  bool directed() const { return directed_; }

  // Ascending; node_ids()[i] is the node of dense index i.
  const std::vector<int64_t>& node_ids() const { return node_ids_; }
  // Row i is neighbours()[offsets()[i] .. offsets()[i+1]), ascending dense indexes.
  const std::vector<int64_t>& offsets() const { return offsets_; }
  const std::vector<uint32_t>& neighbours() const { return neighbours_; }
  int64_t degree(int64_t index) const { return offsets_[index + 1] - offsets_[index]; }

  // Bytes held by the three arrays.
  uint64_t memory_bytes() const;

 private:
  std::vector<int64_t> node_ids_;
  std::vector<int64_t> offsets_;       // node_count() + 1
  std::vector<uint32_t> neighbours_;   // dense indexes: fewer than 2^32 nodes
  bool directed_ = false;
};

}  // namespace dlctl::graph
