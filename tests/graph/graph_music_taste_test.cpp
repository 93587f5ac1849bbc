// The example project's music_taste mart built from sample data (as `make demo` does), loaded
// into Kùzu: every table's count matches the lake; FastRP embeddings land in the graph and the lake.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include "support/dlctl_project.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

CommandResult Must(const DlctlProject& project, const std::vector<std::string>& args) {
  CommandResult result = project.Run(args);
  EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
  return result;
}

int64_t LakeCount(const DlctlProject& project, const std::string& table) {
  std::string out = project.Query("SELECT count(*) FROM graphs.music_taste." + table);
  return std::stoll(out.substr(out.find('\n') + 1));
}

// The example project and its music_taste mart, built from sample data as `make demo` does.
void BuildMart(const DlctlProject& project) {
  fs::copy(fs::path(RequiredEnv("DLCTL_SOURCE_DIR")) / "transform", project.dir() / "transform",
           fs::copy_options::recursive);
  fs::remove_all(project.dir() / "transform" / "target");
  Must(project, {"tools", "generate-sample-data", "--scale", "0.01", "--seed", "7", "data"});
  Must(project, {"ingest", "dataset", "data/deezer-social-networks", "deezer_social_networks"});
  Must(project, {"ingest", "dataset", "data/million-song-dataset-spotify-lastfm", "million_song_dataset_spotify_lastfm"});
  Must(project, {"transform", "--threads", "2", "--select", "+marts.graphs.music_taste"});
}

// `graph load --json`'s tables by Kùzu name.
std::map<std::string, nlohmann::json> LoadedTables(const DlctlProject& project) {
  CommandResult load = Must(project, {"graph", "load", "music_taste", "--json"});
  nlohmann::json report = nlohmann::json::parse(load.out.empty() ? "{}" : load.out);
  std::map<std::string, nlohmann::json> tables;
  for (const auto& table : report["tables"]) tables[table["name"]] = table;
  return tables;
}

TEST(GraphMusicTaste, LoadsTheExampleMartAndComputesEmbeddings) {
  DlctlProject project(Bucket::kLocal);
  BuildMart(project);

  std::map<std::string, nlohmann::json> tables = LoadedTables(project);
  ASSERT_EQ(tables.size(), 7u) << nlohmann::json(tables);
  EXPECT_EQ(tables["User"]["sources"], nlohmann::json({"dsn_nodes_users", "msdsl_nodes_users"}));
  EXPECT_EQ(tables["User"]["graph_rows"], LakeCount(project, "dsn_nodes_users") + LakeCount(project, "msdsl_nodes_users"));
  EXPECT_EQ(tables["Track"]["graph_rows"], LakeCount(project, "msdsl_nodes_tracks"));
  EXPECT_EQ(tables["Genre"]["graph_rows"], LakeCount(project, "nodes_genres"));
  EXPECT_EQ(tables["Friendship"]["graph_rows"], LakeCount(project, "dsn_edges_friendships"));
  EXPECT_EQ(tables["UserGenre"]["graph_rows"], LakeCount(project, "dsn_edges_user_genres"));
  EXPECT_EQ(tables["UserTrack"]["graph_rows"], LakeCount(project, "msdsl_edges_user_tracks"));
  EXPECT_EQ(tables["TrackTag"]["graph_rows"], LakeCount(project, "msdsl_edges_track_tags"));
  EXPECT_EQ(tables["UserTrack"]["pairs"], nlohmann::json::parse(R"([{"from":"User","to":"Track"}])"));
  EXPECT_GT(tables["UserTrack"]["graph_rows"].get<int64_t>(), 0);

  // The play counts made it across, edge by edge.
  std::string lake = project.Query(
      "SELECT source_id, target_id, play_count FROM graphs.music_taste.msdsl_edges_user_tracks ORDER BY ALL");
  std::string graph = Must(project, {"graph", "query", "music_taste",
                                     "MATCH (u:User)-[r:UserTrack]->(t:Track) RETURN u.node_id, t.node_id, "
                                     "r.play_count ORDER BY u.node_id, t.node_id",
                                     "-f", "csv"})
                          .out;
  EXPECT_EQ(graph.substr(graph.find('\n')), lake.substr(lake.find('\n')));

  CommandResult embeddings =
      Must(project, {"graph", "compute", "embeddings", "music_taste", "-d", "16", "-e", "2", "--seed", "3", "--json"});
  nlohmann::json computed = nlohmann::json::parse(embeddings.out.empty() ? "{}" : embeddings.out);
  int64_t nodes = tables["User"]["graph_rows"].get<int64_t>() + tables["Track"]["graph_rows"].get<int64_t>() +
                  tables["Genre"]["graph_rows"].get<int64_t>();
  EXPECT_EQ(computed["nodes"], nodes) << embeddings.out;
  EXPECT_EQ(computed["graph_written"], true) << embeddings.out;
  EXPECT_EQ(LakeCount(project, "embeddings"), nodes);
  std::string with_embedding = Must(project, {"graph", "query", "music_taste",
                                              "MATCH (n) WHERE n.embedding IS NOT NULL RETURN count(n)", "-f", "csv"})
                                   .out;
  EXPECT_EQ(with_embedding.substr(with_embedding.find('\n') + 1), std::to_string(nodes) + "\n");
  std::string type = Must(project, {"graph", "query", "music_taste", "CALL table_info('Track') WHERE name = 'embedding' "
                                    "RETURN type", "-f", "csv"})
                         .out;
  EXPECT_EQ(type, "type\nFLOAT[16]\n");
}

// The two users tables share the stem `users`: a key with a table's full name renames that table
// alone, and wins over the stem's key, which applies to the other.
TEST(GraphMusicTaste, TheMappingFileRenamesLabelsTableByTable) {
  DlctlProject project(Bucket::kLocal);
  BuildMart(project);
  const fs::path mapping = project.dir() / "transform" / "graphs" / "music_taste.yml";
  WriteFile(mapping,
            "nodes:\n"
            "  users: {label: Listener}\n"
            "  dsn_nodes_users: {label: DeezerUser, properties: [country]}\n"
            "  tracks: {label: Song}\n"
            "rels:\n"
            "  msdsl_edges_user_tracks: {name: LISTENED_TO}\n"
            "  friendships: {name: FRIEND_OF}\n");
  std::map<std::string, nlohmann::json> tables = LoadedTables(project);
  ASSERT_EQ(tables.size(), 8u) << nlohmann::json(tables);
  EXPECT_EQ(tables.count("User"), 0u);
  EXPECT_EQ(tables["DeezerUser"]["sources"], nlohmann::json({"dsn_nodes_users"}));
  EXPECT_EQ(tables["DeezerUser"]["graph_rows"], LakeCount(project, "dsn_nodes_users"));
  EXPECT_EQ(tables["Listener"]["sources"], nlohmann::json({"msdsl_nodes_users"}));
  EXPECT_EQ(tables["Listener"]["graph_rows"], LakeCount(project, "msdsl_nodes_users"));
  EXPECT_EQ(tables["Song"]["graph_rows"], LakeCount(project, "msdsl_nodes_tracks"));
  EXPECT_EQ(tables["Genre"]["graph_rows"], LakeCount(project, "nodes_genres"));
  EXPECT_EQ(tables["LISTENED_TO"]["pairs"], nlohmann::json::parse(R"([{"from":"Listener","to":"Song"}])"));
  EXPECT_EQ(tables["FRIEND_OF"]["pairs"], nlohmann::json::parse(R"([{"from":"DeezerUser","to":"DeezerUser"}])"));
  EXPECT_EQ(tables["UserGenre"]["pairs"], nlohmann::json::parse(R"([{"from":"DeezerUser","to":"Genre"}])"));
  EXPECT_EQ(tables["FRIEND_OF"]["graph_rows"], LakeCount(project, "dsn_edges_friendships"));

  // DeezerUser kept only the picked column; Listener all of its own.
  std::string deezer = Must(project, {"graph", "query", "music_taste", "CALL table_info('DeezerUser') RETURN name",
                                      "-f", "csv"}).out;
  EXPECT_EQ(deezer, "name\nnode_id\ncountry\n");
  std::string listener = Must(project, {"graph", "query", "music_taste", "CALL table_info('Listener') RETURN name",
                                        "-f", "csv"}).out;
  EXPECT_EQ(listener, "name\nnode_id\nuser_id\nsource\n");
  std::string listened = Must(project, {"graph", "query", "music_taste",
                                        "MATCH (:Listener)-[r:LISTENED_TO]->(:Song) RETURN count(r)", "-f", "csv"}).out;
  EXPECT_EQ(listened.substr(listened.find('\n') + 1),
            std::to_string(LakeCount(project, "msdsl_edges_user_tracks")) + "\n");

  // A key naming no table is a one-line usage error naming the file and the key.
  WriteFile(mapping, "nodes:\n  dsn_nodes_user: {label: DeezerUser}\n");
  CommandResult typo = project.Run({"graph", "load", "music_taste"});
  EXPECT_EQ(typo.exit_code, 2) << typo.err;
  EXPECT_NE(typo.err.find("transform/graphs/music_taste.yml: "), std::string::npos) << typo.err;
  EXPECT_NE(typo.err.find("dsn_nodes_user "), std::string::npos) << typo.err;
  EXPECT_EQ(std::count(typo.err.begin(), typo.err.end(), '\n'), 1) << typo.err;
  // The graph of the previous load is still there.
  EXPECT_EQ(Must(project, {"graph", "query", "music_taste", "MATCH (n:Song) RETURN count(n)", "-f", "csv"}).out,
            "COUNT(n._ID)\n" + std::to_string(LakeCount(project, "msdsl_nodes_tracks")) + "\n");
}

}  // namespace
}  // namespace dlctl::testing
