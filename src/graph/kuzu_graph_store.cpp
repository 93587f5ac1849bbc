// The Kùzu 0.11.3 implementation of GraphStore: the only file that includes Kùzu's headers.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <thread>

#include "graph/graph_store.h"
#include "main/kuzu.h"
#include "util/error.h"

namespace dlctl::graph {
namespace {

namespace fs = std::filesystem;
using kuzu::common::LogicalTypeID;
using kuzu::common::NestedVal;
using kuzu::common::Value;

// Tables the write-back builds next to the real ones, swapped in at the end.
constexpr const char* kNewSuffix = "__dlctl_new";
constexpr const char* kEmbeddingTable = "__dlctl_embeddings";

std::string OneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

// Value::toString prints floats with 6 decimals; the shortest text that reads back as the same
// float is printed instead, so values round-trip.
std::string ValueText(const Value& value) {
  if (value.isNull()) return "";
  switch (value.getDataType().getLogicalTypeID()) {
    case LogicalTypeID::FLOAT:
      return fmt::format("{}", value.getValue<float>());
    case LogicalTypeID::DOUBLE:
      return fmt::format("{}", value.getValue<double>());
    case LogicalTypeID::LIST:
    case LogicalTypeID::ARRAY: {
      std::string text = "[";
      uint32_t size = NestedVal::getChildrenSize(&value);
      for (uint32_t i = 0; i < size; ++i) {
        const Value* child = NestedVal::getChildVal(&value, i);
        if (i) text += ',';
        text += child->isNull() ? std::string("NULL") : ValueText(*child);
      }
      return text + "]";
    }
    default:
      return value.toString();
  }
}

// A NumPy .npy file (format 1.0): what Kùzu's COPY ... BY COLUMN reads fastest.
void WriteNpy(const fs::path& path, const char* dtype, const std::string& shape, const void* data, size_t bytes) {
  std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", dtype, shape);
  size_t unpadded = 10 + header.size() + 1;
  header += std::string((64 - unpadded % 64) % 64, ' ') + "\n";
  std::ofstream out(path, std::ios::binary);
  uint16_t header_size = static_cast<uint16_t>(header.size());
  out.write("\x93NUMPY\x01\x00", 8);
  out.write(reinterpret_cast<const char*>(&header_size), 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!out.flush()) throw Error("cannot write " + path.string());
}

class KuzuGraphStore : public GraphStore {
 public:
  KuzuGraphStore(const fs::path& path, const GraphStoreOptions& options) : path_(path) {
    unsigned threads = options.max_threads ? options.max_threads : std::max(1u, std::thread::hardware_concurrency());
    kuzu::main::SystemConfig config(options.buffer_pool_bytes, threads);
    config.readOnly = options.read_only;
    try {
      database_ = std::make_unique<kuzu::main::Database>(path.string(), config);
      connection_ = std::make_unique<kuzu::main::Connection>(database_.get());
    } catch (const std::exception& e) {
      throw Error("cannot open the graph database " + path.string() + ": " + OneLine(e.what()));
    }
  }

  GraphQueryResult Query(const std::string& cypher) override {
    std::unique_ptr<kuzu::main::QueryResult> result = connection_->query(cypher);
    kuzu::main::QueryResult* last = result.get();
    for (kuzu::main::QueryResult* part = result.get(); part; part = part->nextQueryResult.get()) {
      if (!part->isSuccess()) throw Error(OneLine(part->getErrorMessage()));
      last = part;
    }
    GraphQueryResult out;
    out.columns = last->getColumnNames();
    for (const auto& type : last->getColumnDataTypes()) out.types.push_back(type.toString());
    while (last->hasNext()) {
      std::shared_ptr<kuzu::processor::FlatTuple> tuple = last->getNext();
      std::vector<std::string> row;
      std::vector<bool> nulls;
      for (uint32_t i = 0; i < tuple->len(); ++i) {
        const Value* value = tuple->getValue(i);
        row.push_back(ValueText(*value));
        nulls.push_back(value->isNull());
      }
      out.rows.push_back(std::move(row));
      out.nulls.push_back(std::move(nulls));
    }
    return out;
  }

  std::vector<std::string> NodeTables() override { return Tables("NODE"); }
  std::vector<std::string> RelTables() override { return Tables("REL"); }

  std::vector<GraphProperty> Properties(const std::string& table) override {
    GraphQueryResult info = Query("CALL table_info(" + CypherString(table) + ") RETURN *");
    std::vector<GraphProperty> properties;
    for (const auto& row : info.rows)  // property id, name, type, default expression, primary key | direction
      properties.push_back({row[1], row[2], row.size() > 4 && row[4] == "True"});
    return properties;
  }

  std::vector<RelPair> RelPairs(const std::string& rel_table) override {
    std::vector<RelPair> pairs;
    for (const auto& row : Query("CALL show_connection(" + CypherString(rel_table) + ") RETURN *").rows)
      pairs.push_back({row[0], row[1]});
    return pairs;
  }

  // Kùzu cannot SET a property covered by a vector index, and SET from a join runs at about
  // 6 ms a node. So every node table is rebuilt with the new column through COPY (a temporary
  // node table holds the embeddings, read from .npy files), the rel tables are copied onto the new
  // node tables, and the new tables replace the old ones; vector indexes are rebuilt after.
  void WriteNodeEmbeddings(const std::vector<int64_t>& node_ids, const std::vector<float>& values,
                           int dimension) override {
    if (dimension <= 0) throw Error("embedding dimension must be positive");
    if (values.size() != node_ids.size() * static_cast<size_t>(dimension))
      throw Error(fmt::format("{} embedding values for {} nodes of dimension {}", values.size(), node_ids.size(),
                              dimension));
    DropLeftovers();
    std::vector<std::pair<std::string, std::string>> indexes = EmbeddingIndexes();  // (table, index)
    for (const auto& [table, index] : indexes)
      Query(fmt::format("CALL DROP_VECTOR_INDEX({}, {})", CypherString(table), CypherString(index)));

    fs::path scratch = path_.parent_path() / fmt::format(".{}.embeddings-{}", path_.filename().string(), getpid());
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    try {
      WriteNpy(scratch / "ids.npy", "<i8", fmt::format("({},)", node_ids.size()), node_ids.data(),
               node_ids.size() * sizeof(int64_t));
      WriteNpy(scratch / "embeddings.npy", "<f4", fmt::format("({}, {})", node_ids.size(), dimension), values.data(),
               values.size() * sizeof(float));
      Query(fmt::format("CREATE NODE TABLE {}(node_id INT64 PRIMARY KEY, embedding FLOAT[{}])",
                        CypherName(kEmbeddingTable), dimension));
      Query(fmt::format("COPY {} FROM ({}, {}) BY COLUMN", CypherName(kEmbeddingTable),
                        CypherString((scratch / "ids.npy").string()),
                        CypherString((scratch / "embeddings.npy").string())));
      RebuildWithEmbeddings(dimension);
    } catch (...) {
      fs::remove_all(scratch);
      DropLeftovers();
      throw;
    }
    fs::remove_all(scratch);
    // A new name: Kùzu 0.11.3 keeps a dropped index's name reserved.
    for (const auto& [table, index] : indexes)
      Query(fmt::format("CALL CREATE_VECTOR_INDEX({}, {}, 'embedding', metric := 'cosine')", CypherString(table),
                        CypherString(fmt::format("{}_{}", index, getpid()))));
  }

 private:
  std::vector<std::string> Tables(const std::string& type) {
    std::vector<std::string> names;
    for (const auto& row : Query("CALL show_tables() RETURN name, type").rows)
      if (row[1] == type && row[0] != kEmbeddingTable && !row[0].ends_with(kNewSuffix)) names.push_back(row[0]);
    std::sort(names.begin(), names.end());
    return names;
  }

  std::vector<std::pair<std::string, std::string>> EmbeddingIndexes() {
    std::vector<std::pair<std::string, std::string>> indexes;
    for (const auto& row : Query("CALL SHOW_INDEXES() RETURN table_name, index_name, property_names").rows)
      if (row[2] == "[embedding]") indexes.push_back({row[0], row[1]});
    return indexes;
  }

  // Tables of an interrupted write-back (rels first: they reference the nodes).
  void DropLeftovers() {
    GraphQueryResult tables = Query("CALL show_tables() RETURN name, type ORDER BY type DESC");
    for (const auto& row : tables.rows)
      if (row[0] == kEmbeddingTable || row[0].ends_with(kNewSuffix)) Query("DROP TABLE " + CypherName(row[0]));
  }

  void RebuildWithEmbeddings(int dimension) {
    std::vector<std::string> nodes = NodeTables();
    std::vector<std::string> rels = RelTables();
    std::map<std::string, std::string> primary_keys;
    for (const auto& node : nodes) {
      std::string columns, returns, key;
      for (const auto& property : Properties(node)) {
        if (property.name == "embedding") continue;
        if (property.primary_key) key = property.name;
        columns += CypherName(property.name) + " " + property.type + ", ";
        returns += "n." + CypherName(property.name) + ", ";
      }
      primary_keys[node] = key;
      Query(fmt::format("CREATE NODE TABLE {}({}embedding FLOAT[{}], PRIMARY KEY ({}))", CypherName(node + kNewSuffix),
                        columns, dimension, CypherName(key)));
      Query(fmt::format("COPY {} FROM (MATCH (n:{}) OPTIONAL MATCH (e:{}) WHERE e.node_id = n.{} RETURN {}e.embedding)",
                        CypherName(node + kNewSuffix), CypherName(node), CypherName(kEmbeddingTable),
                        CypherName(key), returns));
    }
    for (const auto& rel : rels) {
      std::vector<RelPair> pairs = RelPairs(rel);
      std::string definition, returns;
      for (const auto& pair : pairs)
        definition += fmt::format("FROM {} TO {}, ", CypherName(pair.from + kNewSuffix), CypherName(pair.to + kNewSuffix));
      for (const auto& property : Properties(rel)) {
        definition += CypherName(property.name) + " " + property.type + ", ";
        returns += ", r." + CypherName(property.name);
      }
      definition.resize(definition.size() - 2);
      Query(fmt::format("CREATE REL TABLE {}({})", CypherName(rel + kNewSuffix), definition));
      for (const auto& pair : pairs) {
        std::string options = pairs.size() > 1 ? fmt::format(" (from={}, to={})", CypherString(pair.from + kNewSuffix),
                                                             CypherString(pair.to + kNewSuffix))
                                               : "";
        Query(fmt::format("COPY {} FROM (MATCH (a:{})-[r:{}]->(b:{}) RETURN a.{}, b.{}{}){}", CypherName(rel + kNewSuffix),
                          CypherName(pair.from), CypherName(rel), CypherName(pair.to),
                          CypherName(primary_keys[pair.from]), CypherName(primary_keys[pair.to]), returns, options));
      }
    }
    // Everything is built: swap the new tables in.
    for (const auto& rel : rels) Query("DROP TABLE " + CypherName(rel));
    for (const auto& node : nodes) Query("DROP TABLE " + CypherName(node));
    Query("DROP TABLE " + CypherName(kEmbeddingTable));
    for (const auto& node : nodes)
      Query(fmt::format("ALTER TABLE {} RENAME TO {}", CypherName(node + kNewSuffix), CypherName(node)));
    for (const auto& rel : rels)
      Query(fmt::format("ALTER TABLE {} RENAME TO {}", CypherName(rel + kNewSuffix), CypherName(rel)));
  }

  fs::path path_;
  std::unique_ptr<kuzu::main::Database> database_;
  std::unique_ptr<kuzu::main::Connection> connection_;
};

}  // namespace

std::string CypherString(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

std::string CypherName(const std::string& name) {
  std::string quoted = "`";
  for (char c : name) {
    if (c == '`') quoted += '`';
    quoted += c;
  }
  return quoted + "`";
}

std::unique_ptr<GraphStore> OpenKuzuGraphStore(const fs::path& path, const GraphStoreOptions& options) {
  return std::make_unique<KuzuGraphStore>(path, options);
}

}  // namespace dlctl::graph
