// The Kùzu 0.11.3 implementation of GraphStore: the only file that includes Kùzu's headers, built
// as the module libdlctl_kuzu.so that graph/kuzu_module.cpp loads when a command opens a graph.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <type_traits>

#include "graph/graph_store.h"
#include <openssl/evp.h>

#include "main/kuzu.h"
#include "output/json_text.h"
#include "util/error.h"
#include "util/scratch_folder.h"

namespace dlctl::graph {
namespace {

namespace fs = std::filesystem;
using kuzu::common::LogicalTypeID;
using kuzu::common::NestedVal;
using kuzu::common::Value;

// Tables the write-back builds next to the real ones, swapped in at the end.
constexpr const char* kNewSuffix = "__dlctl_new";
constexpr const char* kEmbeddingTable = "__dlctl_embeddings";

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

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(written < 0 ? 0 : static_cast<size_t>(written));
  return out;
}

std::string ValueJson(const Value* value);

std::string ChildrenJson(const Value& value) {
  std::string out = "[";
  for (uint32_t i = 0; i < NestedVal::getChildrenSize(&value); ++i)
    out += (i ? "," : "") + ValueJson(NestedVal::getChildVal(&value, i));
  return out + "]";
}

// A node or rel as an object: its internal id and label first, then its properties.
template <typename Entity>
std::string EntityJson(const Value& value, std::vector<std::pair<std::string, const Value*>> head) {
  std::string out = "{";
  for (const auto& [name, part] : head) out += (out.size() > 1 ? "," : "") + JsonString(name) + ":" + ValueJson(part);
  for (uint64_t i = 0; i < Entity::getNumProperties(&value); ++i)
    out += "," + JsonString(Entity::getPropertyName(&value, i)) + ":" + ValueJson(Entity::getPropertyVal(&value, i));
  return out + "}";
}

// The value as JSON, as the engine writes DuckDB's values (engine/value_json.h): numbers and
// booleans bare, NaN null, lists arrays, structs objects, maps objects when their keys are
// strings (else arrays of {"key", "value"}), blobs base64, nodes and rels objects.
std::string ValueJson(const Value* value) {
  if (!value || value->isNull()) return "null";
  const auto& type = value->getDataType();
  switch (type.getLogicalTypeID()) {
    case LogicalTypeID::BOOL:
      return value->getValue<bool>() ? "true" : "false";
    case LogicalTypeID::INT8:
    case LogicalTypeID::INT16:
    case LogicalTypeID::INT32:
    case LogicalTypeID::INT64:
    case LogicalTypeID::INT128:
    case LogicalTypeID::UINT8:
    case LogicalTypeID::UINT16:
    case LogicalTypeID::UINT32:
    case LogicalTypeID::UINT64:
    case LogicalTypeID::SERIAL:
    case LogicalTypeID::DECIMAL:
      return value->toString();
    case LogicalTypeID::FLOAT:
      return JsonNumber(value->getValue<float>());
    case LogicalTypeID::DOUBLE:
      return JsonNumber(value->getValue<double>());
    case LogicalTypeID::BLOB:
      return JsonString(Base64(value->getValue<std::string>()));
    case LogicalTypeID::LIST:
    case LogicalTypeID::ARRAY:
      return ChildrenJson(*value);
    case LogicalTypeID::STRUCT: {
      std::vector<std::string> names = kuzu::common::StructType::getFieldNames(type);
      std::string out = "{";
      for (uint32_t i = 0; i < NestedVal::getChildrenSize(value) && i < names.size(); ++i)
        out += (i ? "," : "") + JsonString(names[i]) + ":" + ValueJson(NestedVal::getChildVal(value, i));
      return out + "}";
    }
    case LogicalTypeID::MAP: {
      bool object = kuzu::common::MapType::getKeyType(type).getLogicalTypeID() == LogicalTypeID::STRING;
      std::string out = object ? "{" : "[";
      for (uint32_t i = 0; i < NestedVal::getChildrenSize(value); ++i) {
        const Value* entry = NestedVal::getChildVal(value, i);
        const Value* key = NestedVal::getChildVal(entry, 0);
        const Value* item = NestedVal::getChildVal(entry, 1);
        out += i ? "," : "";
        out += object ? JsonString(key->toString()) + ":" + ValueJson(item)
                      : "{\"key\":" + ValueJson(key) + ",\"value\":" + ValueJson(item) + "}";
      }
      return out + (object ? "}" : "]");
    }
    case LogicalTypeID::NODE:
      return EntityJson<kuzu::common::NodeVal>(
          *value, {{"_id", kuzu::common::NodeVal::getNodeIDVal(value)}, {"_label", kuzu::common::NodeVal::getLabelVal(value)}});
    case LogicalTypeID::REL:
      return EntityJson<kuzu::common::RelVal>(*value, {{"_id", kuzu::common::RelVal::getIDVal(value)},
                                                       {"_label", kuzu::common::RelVal::getLabelVal(value)},
                                                       {"_src", kuzu::common::RelVal::getSrcNodeIDVal(value)},
                                                       {"_dst", kuzu::common::RelVal::getDstNodeIDVal(value)}});
    case LogicalTypeID::RECURSIVE_REL:
      return "{\"_nodes\":" + ValueJson(kuzu::common::RecursiveRelVal::getNodes(value)) +
             ",\"_rels\":" + ValueJson(kuzu::common::RecursiveRelVal::getRels(value)) + "}";
    default:
      return JsonString(value->toString());
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
      std::vector<std::string> json;
      for (uint32_t i = 0; i < tuple->len(); ++i) {
        const Value* value = tuple->getValue(i);
        row.push_back(ValueText(*value));
        nulls.push_back(value->isNull());
        json.push_back(ValueJson(value));
      }
      out.rows.push_back(std::move(row));
      out.nulls.push_back(std::move(nulls));
      out.json.push_back(std::move(json));
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
  // node tables, and the new tables replace the old ones, all in one transaction.
  void WriteNodeEmbeddings(std::span<const int64_t> node_ids, std::span<const float> values,
                           int dimension) override {
    if (dimension <= 0) throw Error("embedding dimension must be positive");
    if (values.size() != node_ids.size() * static_cast<size_t>(dimension))
      throw Error(fmt::format("{} embedding values for {} nodes of dimension {}", values.size(), node_ids.size(),
                              dimension));
    fs::path scratch_path = path_.parent_path() / fmt::format(".{}.embeddings-{}", path_.filename().string(), getpid());
    fs::remove_all(scratch_path);  // left by an earlier process with this pid
    ScratchFolder scratch(scratch_path);
    const fs::path ids = scratch.path() / "ids.npy", embeddings = scratch.path() / "embeddings.npy";
    WriteNpy(ids, "<i8", fmt::format("({},)", node_ids.size()), node_ids.data(), node_ids.size() * sizeof(int64_t));
    WriteNpy(embeddings, "<f4", fmt::format("({}, {})", node_ids.size(), dimension), values.data(),
             values.size() * sizeof(float));
    InTransaction([&] {
      DropLeftovers();
      DropIndexes();
      Query(fmt::format("CREATE NODE TABLE {}(node_id INT64 PRIMARY KEY, embedding FLOAT[{}])",
                        CypherName(kEmbeddingTable), dimension));
      Query(fmt::format("COPY {} FROM ({}, {}) BY COLUMN", CypherName(kEmbeddingTable), CypherString(ids.string()),
                        CypherString(embeddings.string())));
      std::vector<std::string> nodes = NodeTables();
      RebuildTables({nodes.begin(), nodes.end()}, dimension);
      Query("DROP TABLE " + CypherName(kEmbeddingTable));
    });
  }

  std::vector<std::pair<std::string, std::string>> EmbeddingIndexes() override {
    std::vector<std::pair<std::string, std::string>> indexes;
    for (const auto& row : Query("CALL SHOW_INDEXES() RETURN table_name, index_name, property_names").rows)
      if (row[2] == "[embedding]") indexes.push_back({row[0], row[1]});
    return indexes;
  }

  // Dropping the index in place would leave the table unusable (see graph_store.h), so the
  // indexed node tables, and the rel tables touching them, are rebuilt without it.
  void DropEmbeddingIndexes() override {
    std::set<std::string> indexed;
    for (const auto& [table, index] : EmbeddingIndexes()) indexed.insert(table);
    if (indexed.empty()) return;
    InTransaction([&] {
      DropLeftovers();
      DropIndexes();
      RebuildTables(indexed, std::nullopt);
    });
  }

 private:
  // Runs `body` in one Kùzu transaction: on any error nothing of it remains (Kùzu rolls a failed
  // statement's transaction back by itself; the ROLLBACK covers errors of dlctl's own).
  template <typename Body>
  void InTransaction(Body body) {
    Query("BEGIN TRANSACTION");
    try {
      body();
    } catch (...) {
      try {
        Query("ROLLBACK");
      } catch (const Error&) {  // already rolled back
      }
      throw;
    }
    Query("COMMIT");
  }

  std::vector<std::string> Tables(const std::string& type) {
    std::vector<std::string> names;
    for (const auto& row : Query("CALL show_tables() RETURN name, type").rows)
      if (row[1] == type && row[0] != kEmbeddingTable && !row[0].ends_with(kNewSuffix)) names.push_back(row[0]);
    std::sort(names.begin(), names.end());
    return names;
  }

  // Only inside a transaction that then drops the indexed tables (see DropEmbeddingIndexes).
  void DropIndexes() {
    for (const auto& [table, index] : EmbeddingIndexes())
      Query(fmt::format("CALL DROP_VECTOR_INDEX({}, {})", CypherString(table), CypherString(index)));
  }

  // Tables left by a write-back of a dlctl that did not use a transaction (rels first: they
  // reference the nodes).
  void DropLeftovers() {
    GraphQueryResult tables = Query("CALL show_tables() RETURN name, type ORDER BY type DESC");
    for (const auto& row : tables.rows)
      if (row[0] == kEmbeddingTable || row[0].ends_with(kNewSuffix)) Query("DROP TABLE " + CypherName(row[0]));
  }

  // Rebuilds the node tables `rebuilt` by COPY into new tables, with `embedding FLOAT[dimension]`
  // from the staging table when a dimension is given (else their columns as they are), copies the
  // rel tables touching them onto the new tables, and swaps the new tables in.
  void RebuildTables(const std::set<std::string>& rebuilt, std::optional<int> dimension) {
    auto new_name = [&](const std::string& node) { return rebuilt.count(node) ? node + kNewSuffix : node; };
    std::map<std::string, std::vector<GraphProperty>> node_properties;
    std::map<std::string, std::string> primary_keys;
    for (const auto& node : NodeTables()) {
      node_properties[node] = Properties(node);
      for (const auto& property : node_properties[node])
        if (property.primary_key) primary_keys[node] = property.name;
    }
    for (const auto& node : rebuilt) {
      std::string columns, returns;
      for (const auto& property : node_properties[node]) {
        if (dimension && property.name == "embedding") continue;
        columns += CypherName(property.name) + " " + property.type + ", ";
        returns += (returns.empty() ? "" : ", ") + ("n." + CypherName(property.name));
      }
      std::string source = fmt::format("MATCH (n:{})", CypherName(node));
      if (dimension) {
        columns += fmt::format("embedding FLOAT[{}], ", *dimension);
        source += fmt::format(" OPTIONAL MATCH (e:{}) WHERE e.node_id = n.{}", CypherName(kEmbeddingTable),
                              CypherName(primary_keys[node]));
        returns += ", e.embedding";
      }
      Query(fmt::format("CREATE NODE TABLE {}({}PRIMARY KEY ({}))", CypherName(new_name(node)), columns,
                        CypherName(primary_keys[node])));
      Query(fmt::format("COPY {} FROM ({} RETURN {})", CypherName(new_name(node)), source, returns));
    }
    std::vector<std::string> rels;
    for (const auto& rel : RelTables()) {
      std::vector<RelPair> pairs = RelPairs(rel);
      if (std::none_of(pairs.begin(), pairs.end(),
                       [&](const RelPair& pair) { return rebuilt.count(pair.from) || rebuilt.count(pair.to); }))
        continue;
      rels.push_back(rel);
      std::string definition, returns;
      for (const auto& pair : pairs)
        definition += fmt::format("FROM {} TO {}, ", CypherName(new_name(pair.from)), CypherName(new_name(pair.to)));
      for (const auto& property : Properties(rel)) {
        definition += CypherName(property.name) + " " + property.type + ", ";
        returns += ", r." + CypherName(property.name);
      }
      definition.resize(definition.size() - 2);
      Query(fmt::format("CREATE REL TABLE {}({})", CypherName(rel + kNewSuffix), definition));
      for (const auto& pair : pairs) {
        std::string options = pairs.size() > 1 ? fmt::format(" (from={}, to={})", CypherString(new_name(pair.from)),
                                                             CypherString(new_name(pair.to)))
                                               : "";
        Query(fmt::format("COPY {} FROM (MATCH (a:{})-[r:{}]->(b:{}) RETURN a.{}, b.{}{}){}", CypherName(rel + kNewSuffix),
                          CypherName(pair.from), CypherName(rel), CypherName(pair.to),
                          CypherName(primary_keys[pair.from]), CypherName(primary_keys[pair.to]), returns, options));
      }
    }
    // Everything is built: swap the new tables in.
    for (const auto& rel : rels) Query("DROP TABLE " + CypherName(rel));
    for (const auto& node : rebuilt) Query("DROP TABLE " + CypherName(node));
    for (const auto& node : rebuilt)
      Query(fmt::format("ALTER TABLE {} RENAME TO {}", CypherName(node + kNewSuffix), CypherName(node)));
    for (const auto& rel : rels)
      Query(fmt::format("ALTER TABLE {} RENAME TO {}", CypherName(rel + kNewSuffix), CypherName(rel)));
  }

  fs::path path_;
  std::unique_ptr<kuzu::main::Database> database_;
  std::unique_ptr<kuzu::main::Connection> connection_;
};

}  // namespace

}  // namespace dlctl::graph

// The module's one exported function (see graph/kuzu_module.cpp).
extern "C" __attribute__((visibility("default"))) dlctl::graph::GraphStore* dlctl_open_kuzu_graph_store(
    const std::filesystem::path& path, const dlctl::graph::GraphStoreOptions& options) {
  return new dlctl::graph::KuzuGraphStore(path, options);
}
static_assert(std::is_same_v<decltype(&dlctl_open_kuzu_graph_store), dlctl::graph::KuzuStoreFactory>);
