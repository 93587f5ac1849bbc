#pragma once
// The seam between dlctl and the graph database. The one implementation is Kùzu
// (kuzu/kuzu_graph_store.cpp, the only file that includes Kùzu's headers, built as a module of its
// own); nothing of Kùzu's leaks past this header, so the rest of dlctl compiles without them.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace dlctl::graph {

struct GraphQueryResult {
  std::vector<std::string> columns;
  std::vector<std::string> types;                   // Kùzu's type names, e.g. "INT64", "FLOAT[256]"
  std::vector<std::vector<std::string>> rows;       // every value as text (floats round-trip exactly)
  std::vector<std::vector<bool>> nulls;             // nulls[r][c] is true where rows[r][c] is NULL
  std::vector<std::vector<std::string>> json;       // every value as JSON (output/query_result.h)
};

struct GraphStoreOptions {
  bool read_only = false;
  uint64_t buffer_pool_bytes = 1ull << 30;  // Kùzu's default is 80% of RAM: always set it
  unsigned max_threads = 0;                 // 0: hardware concurrency
};

struct GraphProperty {
  std::string name;
  std::string type;  // Kùzu's type name
  bool primary_key = false;
};

// One FROM/TO pair of a rel table (a rel table may have several).
struct RelPair {
  std::string from;
  std::string to;
};

class GraphStore {
 public:
  virtual ~GraphStore() = default;

  // Runs one or more Cypher statements; the result is the last statement's. Throws Error with
  // Kùzu's message on failure.
  virtual GraphQueryResult Query(const std::string& cypher) = 0;

  // Node tables (labels) and rel tables in the database, sorted.
  virtual std::vector<std::string> NodeTables() = 0;
  virtual std::vector<std::string> RelTables() = 0;
  // A table's properties in declaration order; a rel table's FROM/TO pairs.
  virtual std::vector<GraphProperty> Properties(const std::string& table) = 0;
  virtual std::vector<RelPair> RelPairs(const std::string& rel_table) = 0;

  // Stores `embedding FLOAT[dimension]` on the nodes whose node_id is listed, in every node table
  // (node ids are unique across a graph's node tables). `values` holds node_ids.size() rows of
  // `dimension` floats, row i for node_ids[i]. Nodes not listed get NULL. Bulk, not row by row;
  // all or nothing. The vector indexes on `embedding` are gone afterwards (graph_vectors.h makes
  // new ones).
  virtual void WriteNodeEmbeddings(std::span<const int64_t> node_ids, std::span<const float> values,
                                   int dimension) = 0;

  // The vector indexes on `embedding`: (node table, index name) pairs.
  virtual std::vector<std::pair<std::string, std::string>> EmbeddingIndexes() = 0;

  // Drops the vector indexes on `embedding`, all or nothing. Kùzu 0.11.3 cannot drop an index an
  // earlier process made and go on using the table (the next CREATE_VECTOR_INDEX fails with
  // "..._UPPER does not exist in catalog", inserts crash), so the indexed node tables and the rel
  // tables touching them are rebuilt without the index instead.
  virtual void DropEmbeddingIndexes() = 0;
};

// Opens (or creates) the Kùzu database at `path` (a single file, with a `.wal` next to it while
// open). Kùzu is loaded on the first call (graph/kuzu_module.cpp); Error when it cannot be.
std::unique_ptr<GraphStore> OpenKuzuGraphStore(const std::filesystem::path& path, const GraphStoreOptions& options);

// The one function the module libdlctl_kuzu.so exports, by this name: a new store the caller owns.
inline constexpr const char* kKuzuStoreFactoryName = "dlctl_open_kuzu_graph_store";
using KuzuStoreFactory = GraphStore* (*)(const std::filesystem::path& path, const GraphStoreOptions& options);

// A Cypher string literal: 'text' with quotes and backslashes escaped.
inline std::string CypherString(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

// A Cypher name in backquotes (table and property names).
inline std::string CypherName(const std::string& name) {
  std::string quoted = "`";
  for (char c : name) {
    if (c == '`') quoted += '`';
    quoted += c;
  }
  return quoted + "`";
}

}  // namespace dlctl::graph
