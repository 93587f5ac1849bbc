// `dlctl query` sees every configured DuckLake catalog: the `inlined` fixture lake (written by
// DuckDB's own extension) laid out as the stage catalog (local/stage.sqlite, data under the
// bucket's stage/ prefix), on the local default and on S3.
#include <nlohmann/json.hpp>

#include "fixture_lake.h"

namespace dlctl {
namespace {

using testing::CommandResult;
using QueryLake = FixtureLake;

TEST_P(QueryLake, SeesTheStageCatalogAtTheLatestOrAChosenSnapshot) {
  const std::string sql =
      "SELECT (SELECT count(*) FROM stage.dsn.edges) AS edges, (SELECT count(*) FROM stage.main.types) AS types";
  CommandResult latest = Query({sql});
  ASSERT_EQ(latest.exit_code, 0) << latest.err;
  EXPECT_EQ(latest.out, "edges,types\n902,53\n");

  CommandResult at_five = Query({"--snapshot", "5", sql});
  ASSERT_EQ(at_five.exit_code, 0) << at_five.err;
  EXPECT_EQ(at_five.out, "edges,types\n1000,53\n");
  CommandResult named = Query({"--snapshot", "stage=6", sql});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(named.out, "edges,types\n900,53\n");

  // A view of the catalog reads the catalog's own tables; inlined rows and deletes count.
  CommandResult view = Query({"SELECT count(*) AS n, sum(n) AS rows FROM stage.dsn.heavy"});
  ASSERT_EQ(view.exit_code, 0) << view.err;
  EXPECT_EQ(view.out, "n,rows\n902,902\n");
  CommandResult renamed = Query({"--snapshot", "10", "SELECT label FROM stage.main.types WHERE id = 2"});
  ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
  EXPECT_EQ(renamed.out, "label\nupdated\n");
}

TEST_P(QueryLake, BadSnapshotChoicesAreOneLineErrors) {
  CommandResult missing = Query({"--snapshot", "99", "SELECT 1"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("has no snapshot 99"), std::string::npos) << missing.err;
  CommandResult not_a_number = Query({"--snapshot", "latest", "SELECT 1"});
  EXPECT_EQ(not_a_number.exit_code, 2);
  EXPECT_NE(not_a_number.err.find("--snapshot"), std::string::npos) << not_a_number.err;
  CommandResult unknown = Query({"--snapshot", "graphs=1", "SELECT 1"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no catalog named graphs"), std::string::npos) << unknown.err;
  for (const CommandResult& r : {missing, not_a_number, unknown})
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A write at a past snapshot would commit on top of the latest one: refused, nothing written.
TEST_P(QueryLake, AWriteAtAPastSnapshotIsRefused) {
  const std::string count = "SELECT count(*) AS n FROM stage.dsn.edges";
  CommandResult before = Query({count});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  CommandResult write = Query({"--snapshot", "stage=5", "INSERT INTO stage.dsn.edges SELECT * FROM stage.dsn.edges"});
  EXPECT_EQ(write.exit_code, 1) << write.out;
  EXPECT_NE(write.err.find("read-only"), std::string::npos) << write.err;
  EXPECT_EQ(std::count(write.err.begin(), write.err.end(), '\n'), 1) << write.err;
  EXPECT_EQ(Query({count}).out, before.out);
}

TEST_P(QueryLake, CatalogsWithoutADatabaseFileAreSimplyAbsent) {
  fs::remove(dir_.path() / "local" / "stage.sqlite");
  CommandResult plain = Query({"SELECT 42 AS answer"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out, "answer\n42\n");
  CommandResult lake = Query({"SELECT * FROM stage.dsn.edges"});
  EXPECT_EQ(lake.exit_code, 1);
}

TEST_P(QueryLake, ATableWithAMissingFileFailsAlone) {
  store_->Delete("stage/dsn/part/country=HU/ducklake-01a21315-4095-70f4-a80d-49b54f79c20e.parquet");
  // A table's files are opened only when a query reads it, so other tables do not notice.
  CommandResult other = Query({"SELECT count(*) AS n FROM stage.dsn.edges"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(other.out, "n\n902\n");
  EXPECT_EQ(other.err, "");
  CommandResult broken = Query({"SELECT count(*) FROM stage.dsn.part"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("country=HU"), std::string::npos) << broken.err;
}

TEST_P(QueryLake, LakeCommandsListSnapshotsTablesAndFiles) {
  CommandResult snapshots = RunDlctl({"lake", "snapshots", "stage", "--json"}, options_);
  ASSERT_EQ(snapshots.exit_code, 0) << snapshots.err;
  auto history = nlohmann::json::parse(snapshots.out);
  ASSERT_EQ(history.size(), 20u);
  EXPECT_EQ(history[0]["snapshot_id"], 0);
  EXPECT_EQ(history[0]["changes_made"], "created_schema:\"main\"");
  EXPECT_EQ(history[19]["snapshot_id"], 19);

  CommandResult tables = RunDlctl({"lake", "tables", "stage", "--json", "--snapshot", "2"}, options_);
  ASSERT_EQ(tables.exit_code, 0) << tables.err;
  auto at_two = nlohmann::json::parse(tables.out);
  ASSERT_EQ(at_two.size(), 1u);
  EXPECT_EQ(at_two[0]["schema"], "dsn");
  EXPECT_EQ(at_two[0]["table"], "edges");
  EXPECT_EQ(at_two[0]["rows_in_files"], 1000);

  CommandResult files = RunDlctl({"lake", "files", "stage", "--json"}, options_);
  ASSERT_EQ(files.exit_code, 0) << files.err;
  auto latest = nlohmann::json::parse(files.out);
  ASSERT_EQ(latest.size(), 5u);
  for (const auto& file : latest) {
    std::string path = file["path"];
    auto key = store_->KeyOf(path);
    ASSERT_TRUE(key) << path;
    EXPECT_EQ(store_->Head(*key)->size, file["file_size_bytes"].get<uint64_t>()) << path;
  }

  CommandResult table = RunDlctl({"lake", "tables", "stage"}, options_);
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("│ dsn     │ edges"), std::string::npos) << table.out;
  CommandResult unknown = RunDlctl({"lake", "tables", "nope"}, options_);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown catalog 'nope' (configured: stage, graphs)"), std::string::npos) << unknown.err;
  CommandResult absent = RunDlctl({"lake", "tables", "graphs"}, options_);
  EXPECT_EQ(absent.exit_code, 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, QueryLake, ::testing::Values("local", "s3"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dlctl
