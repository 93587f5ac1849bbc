// dlctl graph load / query / reindex / similar as a user runs them, on a hand-made graph mart
// written with `dlctl query`: counts match the lake, multi-pair rels, dangling ids, reloads,
// the mapping file, --snapshot, the embedding write-back read back exactly, reindexing and
// writing back again onto a graph indexed by an earlier process, and kill -9 during a write-back.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>

#include "graph/graph_load.h"
#include "graph/graph_store.h"
#include "support/dlctl_project.h"
#include "support/run_command.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

class GraphLoad : public ::testing::Test {
 protected:
  explicit GraphLoad(Bucket bucket = Bucket::kLocal) : project_(bucket) {}

  CommandResult Must(const std::vector<std::string>& args) {
    CommandResult result = project_.Run(args);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
    return result;
  }

  // Two labels: A (ids 1..3, from two tables with different columns) and B (ids 10..13); one edge
  // table with A->B and B->B edges, one with A->A.
  void MakeMart() {
    project_.Query(
        "CREATE SCHEMA graphs.toy;"
        "CREATE TABLE graphs.toy.x_nodes_as AS SELECT * FROM (VALUES (1, 'one'), (2, 'two')) t(node_id, name);"
        "CREATE TABLE graphs.toy.y_nodes_as AS SELECT 3::BIGINT AS node_id, 'three' AS name, DATE '2020-01-02' AS born;"
        "CREATE TABLE graphs.toy.nodes_bs AS SELECT range::BIGINT AS node_id, range * 0.5 AS score, [range, range + 1] AS "
        "tags FROM range(10, 14);"
        "CREATE TABLE graphs.toy.edges_links AS SELECT * FROM (VALUES (1, 10, 5), (2, 11, 6), (10, 11, 7), (11, 12, 8), "
        "(12, 13, 9)) t(source_id, target_id, weight);"
        "CREATE TABLE graphs.toy.edges_knows AS SELECT 1 AS source_id, 2 AS target_id;"
        "CREATE TABLE graphs.toy.not_a_graph_table AS SELECT 1 AS x");
  }

  nlohmann::json Load(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"graph", "load", "toy", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult result = Must(args);
    return nlohmann::json::parse(result.out.empty() ? "{}" : result.out);
  }

  std::string Cypher(const std::string& cypher, const std::string& format = "csv") {
    return Must({"graph", "query", "toy", cypher, "-f", format}).out;
  }

  static const nlohmann::json* Table(const nlohmann::json& report, const std::string& name) {
    for (const auto& table : report["tables"])
      if (table["name"] == name) return &table;
    return nullptr;
  }

  fs::path GraphsDir() const { return project_.local() / "graphs"; }

  // Files next to the graph and in local/tmp: nothing but the database itself must remain.
  std::vector<std::string> Leftovers() const {
    std::vector<std::string> names;
    for (const fs::path& dir : {GraphsDir(), project_.local() / "tmp"})
      if (fs::exists(dir))
        for (const auto& entry : fs::directory_iterator(dir))
          if (entry.path().filename() != "toy") names.push_back(entry.path().filename().string());
    return names;
  }

  DlctlProject project_;
};

TEST_F(GraphLoad, MergesLabelsFindsRelPairsAndMatchesTheLakeCounts) {
  MakeMart();
  nlohmann::json report = Load();
  ASSERT_TRUE(report.contains("tables")) << report;
  const nlohmann::json* a = Table(report, "A");
  ASSERT_NE(a, nullptr) << report;
  EXPECT_EQ((*a)["sources"], nlohmann::json({"x_nodes_as", "y_nodes_as"}));
  EXPECT_EQ((*a)["lake_rows"], 3);
  EXPECT_EQ((*a)["graph_rows"], 3);
  const nlohmann::json* link = Table(report, "Link");
  ASSERT_NE(link, nullptr) << report;
  EXPECT_EQ((*link)["graph_rows"], 5);
  EXPECT_EQ((*link)["pairs"], nlohmann::json::parse(R"([{"from":"A","to":"B"},{"from":"B","to":"B"}])"));
  for (const auto& table : report["tables"]) EXPECT_EQ(table["lake_rows"], table["graph_rows"]) << table;
  EXPECT_EQ(Table(report, "NotAGraphTable"), nullptr);

  // The lake's counts, asked independently.
  std::string lake = project_.Query(
      "SELECT (SELECT count(*) FROM graphs.toy.x_nodes_as) + (SELECT count(*) FROM graphs.toy.y_nodes_as), "
      "(SELECT count(*) FROM graphs.toy.nodes_bs), (SELECT count(*) FROM graphs.toy.edges_links)");
  std::string graph = Cypher(
      "MATCH (a:A) WITH count(a) AS a MATCH (b:B) WITH a, count(b) AS b MATCH ()-[l:Link]->() RETURN a, b, count(l)");
  EXPECT_EQ(graph.substr(graph.find('\n') + 1), lake.substr(lake.find('\n') + 1));

  // Each pair holds its own edges; a property missing from one of the merged tables is NULL.
  EXPECT_EQ(Cypher("MATCH (a:A)-[l:Link]->(b:B) RETURN a.node_id, b.node_id, l.weight ORDER BY a.node_id"),
            "a.node_id,b.node_id,l.weight\n1,10,5\n2,11,6\n");
  EXPECT_EQ(Cypher("MATCH (a:B)-[l:Link]->(b:B) RETURN count(l)"), "COUNT(l._ID)\n3\n");
  EXPECT_EQ(Cypher("MATCH (a:A) RETURN a.node_id, a.name, a.born ORDER BY a.node_id"),
            "a.node_id,a.name,a.born\n1,one,\n2,two,\n3,three,2020-01-02\n");
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

TEST_F(GraphLoad, CypherResultsMatchTheLakeInCsvAndJson) {
  MakeMart();
  Load();
  std::string lake = project_.Query("SELECT source_id, target_id, weight FROM graphs.toy.edges_links ORDER BY ALL");
  std::string graph = Cypher("MATCH (a)-[l:Link]->(b) RETURN a.node_id, b.node_id, l.weight ORDER BY a.node_id, b.node_id");
  EXPECT_EQ(graph.substr(graph.find('\n')), lake.substr(lake.find('\n')));

  nlohmann::json rows = nlohmann::json::parse(
      Cypher("MATCH (b:B) RETURN b.node_id AS id, b.score AS score, b.tags AS tags ORDER BY id LIMIT 2", "json"));
  EXPECT_EQ(rows, nlohmann::json::parse(R"([{"id":10,"score":5,"tags":[10,11]},{"id":11,"score":5.5,"tags":[11,12]}])"));

  std::string table = Cypher("MATCH (b:B) RETURN count(b) AS n", "table");
  EXPECT_NE(table.find(" 4 │"), std::string::npos) << table;

  CommandResult bad = project_.Run({"graph", "query", "toy", "MATCH (x:Nope) RETURN x"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("Nope"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;

  CommandResult missing = project_.Run({"graph", "query", "other", "RETURN 1"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("dlctl graph load other"), std::string::npos) << missing.err;
}

// `graph query` prints values as `query` does: lists as arrays, structs and nodes as objects,
// maps as objects (string keys) or key/value arrays, NaN as null. (Kùzu refuses repeated names.)
TEST_F(GraphLoad, CypherJsonHasTheTypesQueryJsonHas) {
  MakeMart();
  Load();
  nlohmann::json graph = nlohmann::json::parse(Cypher(
      "MATCH (a:A) WHERE a.node_id = 3 RETURN a.born AS born, {x: 1, y: 'z', l: [1.5, 2.5]} AS s, [[1, 2], [3]] AS l, "
      "map(['k'], [1]) AS m, map([1], ['one']) AS m2, a AS node, true AS ok, CAST('nan' AS DOUBLE) AS nan",
      "json"));
  nlohmann::json query = nlohmann::json::parse(project_.Run({"query", "-f", "json",
      "SELECT DATE '2020-01-02' AS born, {'x': 1, 'y': 'z', 'l': [1.5, 2.5]} AS s, [[1, 2], [3]] AS l, "
      "MAP {'k': 1} AS m, MAP {1: 'one'} AS m2, true AS ok, 'nan'::DOUBLE AS nan"}).out);
  ASSERT_EQ(graph.size(), 1u);
  for (const char* key : {"born", "s", "l", "m", "m2", "ok", "nan"})
    EXPECT_EQ(graph[0][key], query[0][key]) << key << ": " << graph.dump() << " vs " << query.dump();
  nlohmann::json node = graph[0]["node"];
  EXPECT_EQ(node["_label"], "A") << node.dump();
  EXPECT_EQ(node["node_id"], 3) << node.dump();
  EXPECT_EQ(node["name"], "three") << node.dump();
}

TEST_F(GraphLoad, DanglingIdsFailWithExamplesAndKeepTheOldGraph) {
  MakeMart();
  Load();
  std::string before = Cypher("MATCH (n) RETURN count(n)");
  project_.Query("CREATE TABLE graphs.toy.edges_broken AS SELECT * FROM (VALUES (1, 99), (1, 10), (98, 2)) t(source_id, target_id)");
  CommandResult failed = project_.Run({"graph", "load", "toy"});
  EXPECT_EQ(failed.exit_code, 1) << failed.out;
  EXPECT_NE(failed.err.find("edges_broken"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("98, 99"), std::string::npos) << failed.err;
  EXPECT_EQ(std::count(failed.err.begin(), failed.err.end(), '\n'), 1) << failed.err;
  EXPECT_EQ(Cypher("MATCH (n) RETURN count(n)"), before);
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});

  // An id in two node tables is as bad.
  project_.Query("DROP TABLE graphs.toy.edges_broken; CREATE TABLE graphs.toy.nodes_cs AS SELECT 10 AS node_id");
  CommandResult ambiguous = project_.Run({"graph", "load", "toy"});
  EXPECT_EQ(ambiguous.exit_code, 1);
  EXPECT_NE(ambiguous.err.find("10"), std::string::npos) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("nodes_bs, nodes_cs"), std::string::npos) << ambiguous.err;

  // So is a node without an id.
  project_.Query("DROP TABLE graphs.toy.nodes_cs; CREATE TABLE graphs.toy.nodes_ds AS SELECT NULL::BIGINT AS node_id");
  CommandResult no_id = project_.Run({"graph", "load", "toy"});
  EXPECT_EQ(no_id.exit_code, 1);
  EXPECT_NE(no_id.err.find("NULL node_id: nodes_ds"), std::string::npos) << no_id.err;
  EXPECT_EQ(Cypher("MATCH (n) RETURN count(n)"), before);
}

TEST_F(GraphLoad, ReloadingGivesTheSameGraph) {
  MakeMart();
  nlohmann::json first = Load();
  std::string rows = Cypher("MATCH (a)-[l]->(b) RETURN a.node_id, b.node_id, label(l) ORDER BY a.node_id, b.node_id");
  nlohmann::json second = Load();
  nlohmann::json third = Load({"--overwrite"});
  first.erase("seconds"), second.erase("seconds"), third.erase("seconds");
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, third);
  EXPECT_EQ(Cypher("MATCH (a)-[l]->(b) RETURN a.node_id, b.node_id, label(l) ORDER BY a.node_id, b.node_id"), rows);
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

TEST_F(GraphLoad, TheMappingFileRenamesAndPicksProperties) {
  MakeMart();
  WriteFile(project_.dir() / "transform/graphs/toy.yml",
            "nodes:\n  as:\n    label: Person\n    properties: [name]\nrels:\n  links:\n    name: POINTS_TO\n");
  nlohmann::json report = Load();
  EXPECT_NE(Table(report, "Person"), nullptr) << report;
  EXPECT_NE(Table(report, "POINTS_TO"), nullptr) << report;
  EXPECT_EQ(Table(report, "A"), nullptr) << report;
  EXPECT_EQ(Cypher("MATCH (p:Person)-[:POINTS_TO]->(b:B) RETURN p.name ORDER BY p.name"), "p.name\none\ntwo\n");
  CommandResult no_born = project_.Run({"graph", "query", "toy", "MATCH (p:Person) RETURN p.born"});
  EXPECT_EQ(no_born.exit_code, 1);

  WriteFile(project_.dir() / "transform/graphs/toy.yml", "nodes:\n  users:\n    label: Person\n");
  CommandResult typo = project_.Run({"graph", "load", "toy"});
  EXPECT_EQ(typo.exit_code, 2) << typo.err;
  EXPECT_NE(typo.err.find("nodes_users"), std::string::npos) << typo.err;

  // x_nodes_as by its name, y_nodes_as by the stem: both are A, but they keep different columns.
  WriteFile(project_.dir() / "transform/graphs/toy.yml",
            "nodes:\n  x_nodes_as: {properties: [name]}\n  as: {properties: [name, born]}\n");
  CommandResult conflict = project_.Run({"graph", "load", "toy"});
  EXPECT_EQ(conflict.exit_code, 2) << conflict.err;
  EXPECT_NE(conflict.err.find("picks other properties"), std::string::npos) << conflict.err;
}

TEST_F(GraphLoad, SnapshotLoadsAnOlderMart) {
  MakeMart();
  nlohmann::json snapshots = nlohmann::json::parse(Must({"lake", "snapshots", "graphs", "--json"}).out);
  ASSERT_FALSE(snapshots.empty());
  int64_t old_snapshot = snapshots.back().value("snapshot_id", int64_t{-1});
  project_.Query("INSERT INTO graphs.toy.nodes_bs SELECT range, 1.0, [] FROM range(20, 30)");
  EXPECT_EQ((*Table(Load(), "B"))["graph_rows"], 14);
  nlohmann::json old = Load({"--snapshot", std::to_string(old_snapshot)});
  EXPECT_EQ((*Table(old, "B"))["graph_rows"], 4) << old;
  EXPECT_EQ(Cypher("MATCH (b:B) RETURN count(b)"), "COUNT(b._ID)\n4\n");
}

TEST_F(GraphLoad, WrittenEmbeddingsReadBackExactlyAndSimilarFindsTheNodeFirst) {
  MakeMart();
  Load();
  Settings settings = project_.settings();
  std::vector<int64_t> ids = {1, 2, 3, 10, 11, 12};  // node 13 gets none
  const int dimension = 8;
  std::vector<float> values(ids.size() * dimension);
  std::mt19937 random(7);
  std::normal_distribution<float> normal;
  for (float& value : values) value = normal(random);
  {
    auto graph = graph::OpenGraph(settings, "toy", false);
    graph->WriteNodeEmbeddings(ids, values, dimension);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string expected = "[";
    for (int j = 0; j < dimension; ++j) expected += fmt::format("{}{}", j ? "," : "", values[i * dimension + j]);
    std::string got = Cypher(fmt::format("MATCH (n) WHERE n.node_id = {} RETURN n.embedding", ids[i]));
    EXPECT_EQ(got, "n.embedding\n\"" + expected + "]\"\n") << ids[i];
  }
  EXPECT_EQ(Cypher("MATCH (n:B) WHERE n.node_id = 13 RETURN n.embedding IS NULL"), "IS_NULL(n.embedding)\ntrue\n");
  // The rebuild kept every rel and property.
  EXPECT_EQ(Cypher("MATCH ()-[l:Link]->() RETURN sum(l.weight)"), "SUM(l.weight)\n35\n");
  EXPECT_EQ(Cypher("MATCH (a:A {node_id: 3}) RETURN a.born"), "a.born\n2020-01-02\n");

  // Exact search first, then through the index; the node itself comes first either way.
  CommandResult exact = Must({"graph", "similar", "toy", "11", "-k", "3", "-f", "csv"});
  EXPECT_EQ(exact.out.substr(0, exact.out.find('\n', exact.out.find('\n') + 1)), "node_id,label,similarity\n11,B,1.000000");
  EXPECT_EQ(std::count(exact.out.begin(), exact.out.end(), '\n'), 4) << exact.out;
  EXPECT_NE(exact.err.find("exact search"), std::string::npos);
  CommandResult reindex = Must({"graph", "reindex", "toy"});
  EXPECT_NE(reindex.out.find("a_embedding_idx"), std::string::npos) << reindex.out;
  EXPECT_NE(reindex.out.find("b_embedding_idx"), std::string::npos) << reindex.out;
  CommandResult indexed = Must({"graph", "similar", "toy", "2", "-k", "4", "-f", "json"});
  nlohmann::json neighbours = nlohmann::json::parse(indexed.out);
  ASSERT_EQ(neighbours.size(), 4u) << indexed.out;
  EXPECT_EQ(neighbours[0]["node_id"], 2);
  EXPECT_EQ(neighbours[0]["label"], "A");
  EXPECT_EQ(indexed.err, "");
}

class GraphLoadFromExport : public GraphLoad, public ::testing::WithParamInterface<Bucket> {
 protected:
  GraphLoadFromExport() : GraphLoad(GetParam()) {}

  // Every node and rel with its properties, and the property types.
  std::string Dump() {
    return Cypher("MATCH (a:A) RETURN a.node_id, a.name, a.born ORDER BY a.node_id") +
           Cypher("MATCH (b:B) RETURN b.node_id, b.score, b.tags ORDER BY b.node_id") +
           Cypher("MATCH (x)-[l:Link]->(y) RETURN x.node_id, y.node_id, l.weight ORDER BY x.node_id, y.node_id") +
           Cypher("MATCH (x)-[k:Know]->(y) RETURN x.node_id, y.node_id") + Cypher("CALL table_info('A') RETURN name, type") +
           Cypher("CALL table_info('B') RETURN name, type") + Cypher("CALL table_info('Link') RETURN name, type");
  }
};

// `graph load --from-export` reads the latest `dlctl export dataset graphs toy`, not the lake.
TEST_P(GraphLoadFromExport, LoadsTheLatestExportWithTheLakesCounts) {
  MakeMart();
  CommandResult none = project_.Run({"graph", "load", "toy", "--from-export"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err, "dlctl: error: no export of graphs.toy: run dlctl export dataset graphs toy first\n");
  EXPECT_FALSE(fs::exists(GraphsDir() / "toy"));

  nlohmann::json lake = Load();
  std::string lake_dump = Dump();
  lake.erase("seconds"), lake.erase("source");
  for (const char* format : {"csv", "json", "parquet"}) {
    Must({"export", "dataset", "graphs", "toy", "-f", format});
    nlohmann::json exported = Load({"--from-export"});
    EXPECT_NE(exported["source"].get<std::string>().find("exports/graphs/toy/"), std::string::npos) << exported;
    exported.erase("seconds"), exported.erase("source");
    EXPECT_EQ(exported, lake) << format;
  }
  EXPECT_EQ(Dump(), lake_dump);  // Parquet keeps every type and value

  // The lake moves on; the export does not.
  project_.Query("INSERT INTO graphs.toy.nodes_bs SELECT range, 1.0, [] FROM range(20, 30)");
  nlohmann::json again = Load({"--from-export"});
  again.erase("seconds"), again.erase("source");
  EXPECT_EQ(again, lake);
  EXPECT_EQ((*Table(Load(), "B"))["graph_rows"], 14);
  EXPECT_EQ(project_.Run({"graph", "load", "toy", "--from-export", "--snapshot", "1"}).exit_code, 2);
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Buckets, GraphLoadFromExport, ::testing::Values(Bucket::kLocal, Bucket::kS3), BucketName);

// The node's embedding as floats, from `text` like "[0.5,-1]" (graph) or "[0.5, -1.0]" (lake).
std::vector<float> Floats(std::string text) {
  std::vector<float> values;
  std::replace(text.begin(), text.end(), ',', ' ');
  std::stringstream stream(text.substr(text.find('[') + 1, text.find(']') - text.find('[') - 1));
  for (float value; stream >> value;) values.push_back(value);
  return values;
}

// Each command is a new process: the index dropped by reindex or by the write-back was made by an
// earlier one.
TEST_F(GraphLoad, ReindexAndEmbeddingsRunAgainOnAnIndexedGraph) {
  MakeMart();
  Load();
  Must({"graph", "compute", "embeddings", "toy", "-d", "8", "-e", "2", "--seed", "1"});
  Must({"graph", "reindex", "toy"});
  Must({"graph", "reindex", "toy"});
  CommandResult similar = Must({"graph", "similar", "toy", "11", "-k", "3", "-f", "csv"});
  EXPECT_EQ(similar.err, "");  // through the index
  std::string before = Cypher("MATCH (n:B {node_id: 11}) RETURN n.embedding");

  Must({"graph", "compute", "embeddings", "toy", "-d", "8", "-e", "2", "--seed", "2"});
  std::string after = Cypher("MATCH (n:B {node_id: 11}) RETURN n.embedding");
  EXPECT_NE(after, before);
  std::string lake = project_.Query("SELECT embedding FROM graphs.toy.embeddings WHERE node_id = 11");
  EXPECT_EQ(Floats(after), Floats(lake)) << after << lake;
  EXPECT_EQ(Floats(after).size(), 8u) << after;

  // The write-back rebuilt the index: similar still searches through one, and finds the new vectors.
  similar = Must({"graph", "similar", "toy", "11", "-k", "3", "-f", "json"});
  EXPECT_EQ(similar.err, "");
  nlohmann::json neighbours = nlohmann::json::parse(similar.out.empty() ? "[]" : similar.out);
  ASSERT_EQ(neighbours.size(), 3u) << similar.out;
  EXPECT_EQ(neighbours[0]["node_id"], 11);
  Must({"graph", "reindex", "toy"});
  EXPECT_EQ(Must({"graph", "similar", "toy", "11", "-k", "3", "-f", "json"}).out, similar.out);
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

// A write-back that fails midway (here: the staging COPY, on a repeated node id, after the vector
// indexes were dropped) leaves the graph as it was, index included.
TEST_F(GraphLoad, AFailedWriteBackLeavesTheGraphAndItsIndexes) {
  MakeMart();
  Load();
  Must({"graph", "compute", "embeddings", "toy", "-d", "8", "-e", "2", "--seed", "1"});
  Must({"graph", "reindex", "toy"});
  std::string indexes = Cypher("CALL SHOW_INDEXES() RETURN table_name, index_name ORDER BY table_name");
  std::string embeddings = Cypher("MATCH (n) RETURN n.node_id, n.embedding ORDER BY n.node_id");
  {
    auto graph = graph::OpenGraph(project_.settings(), "toy", false);
    std::vector<int64_t> ids = {1, 1};
    std::vector<float> values(2 * 4, 0.5f);
    EXPECT_THROW(graph->WriteNodeEmbeddings(ids, values, 4), Error);
  }
  EXPECT_EQ(Cypher("CALL SHOW_INDEXES() RETURN table_name, index_name ORDER BY table_name"), indexes);
  EXPECT_EQ(Cypher("MATCH (n) RETURN n.node_id, n.embedding ORDER BY n.node_id"), embeddings);
  EXPECT_EQ(Cypher("MATCH ()-[l:Link]->() RETURN sum(l.weight)"), "SUM(l.weight)\n35\n");
  EXPECT_EQ(Must({"graph", "similar", "toy", "11", "-k", "2"}).err, "");
  Must({"graph", "reindex", "toy"});
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

// kill -9 at moments spread over the embeddings write-back, counted from the moment a Kùzu log
// appears (beside the graph, or beside the copy the write-back works on): the graph stays readable
// (read-only, as `graph query` opens it) with every node and either the old or the new embeddings,
// and the next run succeeds and removes what the killed ones left. Written in place, a graph
// killed during the checkpoint lost every node (Kùzu 0.11.3; found by tests/torture/).
TEST_F(GraphLoad, AKilledWriteBackLeavesTheOldGraphOrTheNew) {
  project_.Query(
      "CREATE SCHEMA graphs.toy;"
      "CREATE TABLE graphs.toy.nodes_as AS SELECT range AS node_id, 'n' || range AS name FROM range(3000);"
      "CREATE TABLE graphs.toy.nodes_bs AS SELECT range AS node_id, range * 0.5 AS score FROM range(10000, 12000);"
      "CREATE TABLE graphs.toy.edges_links AS SELECT range % 3000 AS source_id, 10000 + (range * 7) % 2000 AS "
      "target_id, range AS weight FROM range(20000)");
  Load();
  auto embeddings = [&](int seed) {
    return std::vector<std::string>{RequiredEnv("DLCTL_BINARY"), "graph", "compute", "embeddings", "toy", "-d", "8",
                                    "-e", "2", "--seed", std::to_string(seed)};
  };
  CommandOptions options;
  options.cwd = project_.dir();
  options.env = project_.env();
  std::function<bool()> writing = [&] {
    std::error_code ec;
    for (fs::recursive_directory_iterator it(GraphsDir(), ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".wal") return true;
    return false;
  };
  const std::string count = "COUNT(n._ID)\n5000\n";
  auto vector_of_node_7 = [&] { return Cypher("MATCH (n:A {node_id: 7}) RETURN n.embedding"); };
  Must({"graph", "compute", "embeddings", "toy", "-d", "8", "-e", "2", "--seed", "1"});
  const std::string first = vector_of_node_7();

  KilledCommandResult whole = RunCommandKilledAfterReady(embeddings(2), writing, 600, options);
  ASSERT_EQ(whole.result.exit_code, 0) << whole.result.err;
  ASSERT_GE(whole.ready_seconds, 0) << "no Kùzu log appeared during the write-back";
  const std::string second = vector_of_node_7();
  ASSERT_NE(first, second);
  const double window = whole.seconds - whole.ready_seconds;

  std::string current = second;
  int killed = 0;
  for (int i = 0; i < 10; ++i) {
    std::string other = current == first ? second : first;
    KilledCommandResult run =
        RunCommandKilledAfterReady(embeddings(current == first ? 2 : 1), writing, window * i / 10, options);
    killed += run.killed;
    EXPECT_EQ(Cypher("MATCH (n) RETURN count(n)"), count) << "after a kill " << window * i / 10 << " s into the write-back";
    std::string now = vector_of_node_7();
    EXPECT_TRUE(now == current || now == other) << now;
    current = now;
  }
  EXPECT_GE(killed, 8);
  Must({"graph", "compute", "embeddings", "toy", "-d", "8", "-e", "2", "--seed", "1"});
  EXPECT_EQ(Cypher("MATCH (n) RETURN count(n)"), count);
  EXPECT_EQ(vector_of_node_7(), first);
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

// kill -9 while a load builds the new graph beside the old one: the old graph stays readable, and
// the next load removes the builds of the killed ones.
TEST_F(GraphLoad, AKilledLoadLeavesTheOldGraphAndTheNextLoadItsBuilds) {
  MakeMart();
  Load();
  const std::string nodes = Cypher("MATCH (n) RETURN n.node_id ORDER BY n.node_id");
  CommandOptions options;
  options.cwd = project_.dir();
  options.env = project_.env();
  std::function<bool()> building = [&] {
    std::error_code ec;
    for (fs::directory_iterator it(GraphsDir(), ec), end; !ec && it != end; it.increment(ec))
      if (it->path().filename().string().starts_with("toy.loading-")) return true;
    return false;
  };
  int killed = 0;
  for (double delay : {0.0, 0.01, 0.03, 0.1}) {
    KilledCommandResult run =
        RunCommandKilledAfterReady({RequiredEnv("DLCTL_BINARY"), "graph", "load", "toy"}, building, delay, options);
    killed += run.killed;
    EXPECT_EQ(Cypher("MATCH (n) RETURN n.node_id ORDER BY n.node_id"), nodes) << "after a kill at " << delay << " s";
  }
  EXPECT_GE(killed, 3);
  EXPECT_NE(Leftovers(), std::vector<std::string>{});  // the killed builds
  Load();
  EXPECT_EQ(Cypher("MATCH (n) RETURN n.node_id ORDER BY n.node_id"), nodes);
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

// Kùzu creates its shadow file on every read-write close and removes it when the checkpoint is
// done; a writer killed in between leaves it, empty. A reader replays it (a read-only open alone
// fails on it), and a write-back starts from the replayed graph.
TEST_F(GraphLoad, ShadowPagesAKilledWriterLeftAreReplayedBeforeTheGraphIsRead) {
  MakeMart();
  Load();
  const std::string nodes = Cypher("MATCH (n) RETURN n.node_id ORDER BY n.node_id");
  WriteFile(GraphsDir() / "toy.shadow", "");
  EXPECT_EQ(Cypher("MATCH (n) RETURN n.node_id ORDER BY n.node_id"), nodes);
  WriteFile(GraphsDir() / "toy.shadow", "");
  Must({"graph", "compute", "embeddings", "toy", "-d", "4", "-e", "1"});
  EXPECT_EQ(Cypher("MATCH (n) WHERE n.embedding IS NOT NULL RETURN count(n)"), "COUNT(n._ID)\n7\n");
  EXPECT_EQ(Leftovers(), std::vector<std::string>{});
}

}  // namespace
}  // namespace dlctl::testing
