// Catalogs whose metadata is in PostgreSQL (PSQL_CATALOG_*), driven through the dlctl binary:
// everything above the metadata store works unchanged. The same statements give the same answers
// as on SQLite catalogs, and the example project transforms and tests end to end.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/dlctl_project.h"
#include "support/test_env.h"
#include "support/test_postgres.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

// Stage and the graphs mart in two fresh schemas of the test server.
std::map<std::string, std::string> PostgresCatalogs() {
  std::map<std::string, std::string> env = PostgresVariables(TestPostgresSettings());
  env["PSQL_CATALOG_STAGE_SCHEMA"] = MakeTestSchema("cli_stage");
  env["PSQL_CATALOG_GRAPHS_MART_SCHEMA"] = MakeTestSchema("cli_graphs");
  return env;
}

// Writes, time travel and the lake listings, as a user runs them; what the user sees.
std::vector<std::string> Session(const DlctlProject& project, const std::map<std::string, std::string>& env) {
  std::vector<std::string> seen;
  auto run = [&](const std::vector<std::string>& args) {
    CommandResult result = project.Run(args, env);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.err;
    seen.push_back(result.out);
  };
  run({"query", "CREATE SCHEMA stage.dsn; CREATE TABLE stage.dsn.edges AS "
                "SELECT i AS source_id, i * 2 AS target_id, 'e' || i AS label FROM range(100) t(i)"});
  run({"query", "BEGIN; DELETE FROM stage.dsn.edges WHERE source_id < 10; "
                "UPDATE stage.dsn.edges SET label = 'changed' WHERE source_id = 50; COMMIT"});
  run({"query", "ALTER TABLE stage.dsn.edges ADD COLUMN weight DOUBLE DEFAULT 1.5; "
                "CREATE TABLE graphs.main.degrees AS SELECT source_id, count(*) AS n FROM stage.dsn.edges GROUP BY 1; "
                "CREATE VIEW stage.dsn.long_edges AS SELECT * FROM stage.dsn.edges WHERE target_id > 150"});
  run({"query", "-f", "csv", "SELECT count(*), sum(source_id), min(label), max(label), sum(weight) FROM stage.dsn.edges"});
  run({"query", "-f", "csv", "--snapshot", "stage=2", "SELECT count(*) FROM stage.dsn.edges"});
  run({"query", "-f", "csv", "SELECT count(*), sum(n) FROM graphs.main.degrees"});
  run({"query", "-f", "csv", "SELECT count(*) FROM stage.dsn.long_edges"});
  CommandResult tables = project.Run({"lake", "tables", "stage", "--json"}, env);
  EXPECT_EQ(tables.exit_code, 0) << tables.err;
  auto listed = nlohmann::json::parse(tables.out);
  for (auto& table : listed) table.erase("bytes");  // Parquet files hold random uuids
  seen.push_back(listed.dump());
  CommandResult snapshots = project.Run({"lake", "snapshots", "stage", "--json"}, env);
  EXPECT_EQ(snapshots.exit_code, 0) << snapshots.err;
  seen.push_back(std::to_string(nlohmann::json::parse(snapshots.out).size()) + " snapshots");
  CommandResult verify = project.Run({"lake", "verify", "stage"}, env);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  return seen;
}

TEST(PostgresCatalogs, TheSameSessionSeesTheSameAsOnSqlite) {
  DlctlProject on_sqlite(Bucket::kLocal), on_postgres(Bucket::kS3);
  std::map<std::string, std::string> env = PostgresCatalogs();
  std::vector<std::string> expected = Session(on_sqlite, {});
  EXPECT_EQ(Session(on_postgres, env), expected);
  EXPECT_NE(expected.at(3).find("\n90,4905,changed,e99,135"), std::string::npos) << expected.at(3);
  // The metadata went to PostgreSQL, not to local SQLite files.
  EXPECT_FALSE(fs::exists(on_postgres.local() / "stage.sqlite"));
  EXPECT_FALSE(fs::exists(on_postgres.local() / "marts" / "graphs.sqlite"));
  EXPECT_TRUE(fs::exists(on_sqlite.local() / "stage.sqlite"));
}

TEST(PostgresCatalogs, TheExampleProjectTransformsAndTests) {
  DlctlProject project(Bucket::kLocal);
  std::map<std::string, std::string> env = PostgresCatalogs();
  auto must = [&](const std::vector<std::string>& args) {
    CommandResult result = project.Run(args, env);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
    return result;
  };
  fs::copy(fs::path(RequiredEnv("DLCTL_SOURCE_DIR")) / "transform", project.dir() / "transform",
           fs::copy_options::recursive);
  fs::remove_all(project.dir() / "transform" / "target");
  must({"tools", "generate-sample-data", "--scale", "0.01", "--seed", "7", "data"});
  must({"ingest", "dataset", "data/deezer-social-networks", "deezer_social_networks"});
  must({"ingest", "dataset", "data/million-song-dataset-spotify-lastfm", "million_song_dataset_spotify_lastfm"});
  CommandResult transform = must({"transform", "--threads", "2"});
  EXPECT_NE(transform.out.find("ERROR=0 SKIP=0 TOTAL=16"), std::string::npos) << transform.out;
  CommandResult test = must({"test"});
  EXPECT_NE(test.out.find("WARN=0 ERROR=0 SKIP=0"), std::string::npos) << test.out;
  CommandResult users = must({"query", "-f", "csv", "SELECT count(*) > 100 AS many FROM graphs.music_taste.dsn_nodes_users"});
  EXPECT_EQ(users.out, "many\ntrue\n");
  EXPECT_FALSE(fs::exists(project.local() / "stage.sqlite"));
}

}  // namespace
}  // namespace dlctl::testing
