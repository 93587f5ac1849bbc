#include "graph/graph_vectors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>

#include "util/error.h"

namespace dlctl::graph {
namespace {

// Node tables with an `embedding` property, with its type ("FLOAT[256]").
std::map<std::string, std::string> EmbeddedTables(GraphStore& graph) {
  std::map<std::string, std::string> tables;
  for (const auto& table : graph.NodeTables())
    for (const auto& property : graph.Properties(table))
      if (property.name == "embedding") tables[table] = property.type;
  return tables;
}

// Kùzu 0.11.3 keeps a dropped index's name reserved once the database was reopened, so every
// build takes a new name: <table>_embedding_idx_<milliseconds since the epoch>.
std::string IndexName(const std::string& table) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string name = table + "_embedding_idx_" +
                     std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

}  // namespace

std::vector<VectorIndex> RebuildVectorIndexes(GraphStore& graph) {
  std::map<std::string, std::string> tables = EmbeddedTables(graph);
  if (tables.empty()) throw Error("no node table has an embedding: run dlctl graph compute embeddings first");
  graph.DropEmbeddingIndexes();
  std::vector<VectorIndex> built;
  for (const auto& [table, type] : tables) {
    std::string name = IndexName(table);
    graph.Query(fmt::format("CALL CREATE_VECTOR_INDEX({}, {}, 'embedding', metric := 'cosine')", CypherString(table),
                            CypherString(name)));
    built.push_back({table, name});
  }
  return built;
}

bool HasVectorIndexes(GraphStore& graph) { return !graph.EmbeddingIndexes().empty(); }

SimilarResult SimilarNodes(GraphStore& graph, int64_t node_id, int k) {
  if (k <= 0) throw UsageError("-k must be positive");
  std::map<std::string, std::string> tables = EmbeddedTables(graph);
  std::optional<std::string> query_vector;
  std::string query_type;
  for (const auto& table : graph.NodeTables()) {
    std::string property = tables.count(table) ? "n.embedding" : "NULL";
    GraphQueryResult found =
        graph.Query(fmt::format("MATCH (n:{}) WHERE n.node_id = {} RETURN {}", CypherName(table), node_id, property));
    if (found.rows.empty()) continue;
    if (found.nulls[0][0]) throw Error(fmt::format("node {} ({}) has no embedding", node_id, table));
    query_vector = found.rows[0][0];
    query_type = tables[table];
    break;
  }
  if (!query_vector) throw NotFoundError(fmt::format("no node has node_id {}", node_id));

  std::string vector = fmt::format("CAST({}, {})", *query_vector, CypherString(query_type));
  std::vector<std::pair<std::string, std::string>> index_list = graph.EmbeddingIndexes();
  std::map<std::string, std::string> indexes(index_list.begin(), index_list.end());  // table → index
  SimilarResult result;
  result.used_index = true;
  for (const auto& [table, type] : tables) {
    if (type != query_type) continue;  // embeddings of another dimension are not comparable
    GraphQueryResult rows;
    if (auto index = indexes.find(table); index != indexes.end()) {
      rows = graph.Query(fmt::format("CALL QUERY_VECTOR_INDEX({}, {}, {}, {}) RETURN node.node_id, 1 - distance",
                                     CypherString(table), CypherString(index->second), vector, k));
    } else {
      result.used_index = false;
      rows = graph.Query(fmt::format(
          "MATCH (m:{}) WHERE m.embedding IS NOT NULL RETURN m.node_id, array_cosine_similarity(m.embedding, {}) AS s "
          "ORDER BY s DESC, m.node_id LIMIT {}",
          CypherName(table), vector, k));
    }
    for (const auto& row : rows.rows) result.neighbours.push_back({std::stoll(row[0]), table, std::stod(row[1])});
  }
  // Most similar first; the node itself wins a tie with an identical embedding.
  std::sort(result.neighbours.begin(), result.neighbours.end(), [&](const Neighbour& a, const Neighbour& b) {
    if (a.similarity != b.similarity) return a.similarity > b.similarity;
    if ((a.node_id == node_id) != (b.node_id == node_id)) return a.node_id == node_id;
    return a.node_id < b.node_id;
  });
  if (result.neighbours.size() > static_cast<size_t>(k)) result.neighbours.resize(k);
  return result;
}

}  // namespace dlctl::graph
