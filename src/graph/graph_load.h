#pragma once
// `dlctl graph load`: a graph mart schema (`[prefix_]nodes_<label>` and `[prefix_]edges_<rel>`
// tables, read from the lake or from its latest export) built into a Kùzu database. Tables of
// one label merge into one node table; each rel's FROM/TO pairs are found in the data. The new
// database is built next to the old one and renamed over it only when every count matches.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "graph/graph_store.h"
#include "storage/object_store.h"

namespace dlctl::graph {

struct GraphLoadOptions {
  std::string schema;
  std::optional<int64_t> snapshot;     // the lake's latest when empty
  bool from_export = false;            // read the latest export of graphs/<schema> instead
  bool overwrite = false;              // remove the old graph first instead of building beside it
  std::filesystem::path project_dir;   // the transform project, for graphs/<schema>.yml
};

struct LoadedTable {
  std::string kind;                  // "node" or "rel"
  std::string name;                  // Kùzu table
  std::vector<std::string> sources;  // mart tables
  std::vector<RelPair> pairs;        // rel tables: FROM/TO pairs found in the data
  int64_t lake_rows = 0;
  int64_t graph_rows = 0;
};

struct GraphLoadReport {
  std::string schema;
  std::filesystem::path database;
  std::string source;  // "graphs.music_taste at snapshot 12" or the export version
  std::vector<LoadedTable> tables;
  double seconds = 0;
};

// The mart catalog graphs live in.
inline constexpr const char* kGraphCatalog = "graphs";

// <SCHEMA>_GRAPH_DB when set, else <LOCAL_DIR>/graphs/<schema>.
std::filesystem::path GraphDatabasePath(const Settings& settings, const std::string& schema);

// Opens an existing graph, with at least `buffer_pool_bytes` of Kùzu buffer pool (1 GiB by default);
// NotFoundError suggesting `dlctl graph load` when there is none.
std::unique_ptr<GraphStore> OpenGraph(const Settings& settings, const std::string& schema, bool read_only,
                                      uint64_t buffer_pool_bytes = 0);

GraphLoadReport LoadGraph(const Settings& settings, std::shared_ptr<ObjectStore> store,
                          const GraphLoadOptions& options);

}  // namespace dlctl::graph
