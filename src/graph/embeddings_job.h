#pragma once
// `dlctl graph compute embeddings SCHEMA`: FastRP over a graph mart. Reads every node id (all
// `*nodes_<label>` tables) and every edge (all `*edges_<rel>` tables, source_id → target_id) of
// graphs.<SCHEMA> from the lake in bulk, runs FastRP, and writes
//   (a) the lake table graphs.<SCHEMA>.embeddings (node_id BIGINT, embedding FLOAT[] holding d
//       floats: DuckLake has no fixed-size arrays) as one commit that replaces the previous one,
//       rows in node id order, and
//   (b) the `embedding` property of every node table of the Kùzu graph of SCHEMA, when that
//       graph exists (`dlctl graph load` made it).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "config/settings.h"
#include "graph/fastrp.h"
#include "storage/object_store.h"

namespace dlctl::graph {

inline constexpr const char* kEmbeddingsTable = "embeddings";

struct EmbeddingOptions {
  FastRpOptions fastrp;
  bool directed = false;                // --directed: keep the edges' direction
  std::optional<int64_t> snapshot;      // --snapshot: read the mart at this snapshot; else the latest
  bool write_graph = true;              // also write the Kùzu graph when it exists
};

struct EmbeddingResult {
  int64_t node_count = 0;
  int64_t edge_count = 0;               // edges read from the mart
  int dimension = 0;
  int64_t lake_snapshot = 0;            // the commit that holds graphs.<schema>.embeddings
  bool graph_written = false;
  std::string graph_note;               // why the Kùzu graph was not written, when it was not
  double read_seconds = 0;              // reading the mart
  double build_seconds = 0;             // building the CSR
  double compute_seconds = 0;           // FastRP
  double lake_write_seconds = 0;        // Parquet file + commit
  double graph_write_seconds = 0;       // Kùzu write-back
};

// Throws UsageError for a bad option or a schema without node tables, Error for dangling edge
// ends or a failed write.
EmbeddingResult ComputeEmbeddings(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                  const std::string& schema, const EmbeddingOptions& options);

}  // namespace dlctl::graph
