// `dlctl backup` with the stage catalog on PostgreSQL (the graphs mart stays on SQLite), on the
// local default and on S3: the schema is dumped into the backup and restored row for row; a
// schema holding a catalog needs --force, which replaces it in one transaction; a damaged dump is
// refused before anything changes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "lake/metadata/postgres_metadata_store.h"
#include "support/dlctl_project.h"
#include "support/test_postgres.h"

namespace dlctl {
namespace {

using testing::Bucket;
using testing::CommandResult;
using testing::DlctlProject;
using Env = std::map<std::string, std::string>;

class PostgresBackup : public ::testing::TestWithParam<Bucket> {
 protected:
  PostgresBackup() : project_(GetParam()), schema_(testing::MakeTestSchema("backup")) {
    env_ = testing::PostgresVariables(testing::TestPostgresSettings());
    env_["PSQL_CATALOG_STAGE_SCHEMA"] = schema_;
  }

  std::string Query(const std::string& sql, const std::vector<std::string>& options = {}) {
    std::vector<std::string> args = {"query", "-f", "csv"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(sql);
    CommandResult r = project_.Run(args, env_);
    EXPECT_EQ(r.exit_code, 0) << sql << "\n" << r.err;
    return r.out;
  }

  // Several commits on stage: create, a second table, a delete, a schema change, an insert.
  void MakeLake() {
    Query("CREATE SCHEMA stage.raw");
    Query("CREATE TABLE stage.raw.songs AS SELECT range AS id, 'song ' || range AS title FROM range(100)");
    Query("CREATE TABLE stage.raw.plays AS SELECT range % 10 AS song_id, range AS n FROM range(30)");
    Query("DELETE FROM stage.raw.songs WHERE id % 7 = 0");
    Query("ALTER TABLE stage.raw.songs ADD COLUMN rating INTEGER");
    Query("INSERT INTO stage.raw.songs VALUES (1000, 'it''s new', 5)");
    Query("CREATE SCHEMA graphs.music; CREATE TABLE graphs.music.nodes AS SELECT range AS id FROM range(5)");
  }

  // Every table at the latest snapshot and at an older one.
  std::string State() {
    std::string state;
    for (const char* table : {"stage.raw.songs", "stage.raw.plays", "graphs.music.nodes"})
      state += Query(std::string("SELECT * FROM ") + table + " ORDER BY ALL");
    state += Query("SELECT * FROM stage.raw.songs ORDER BY ALL", {"--snapshot", "stage=3"});
    return state;
  }

  CommandResult Run(const std::vector<std::string>& args) { return project_.Run(args, env_); }

  std::string CreateBackup() {
    CommandResult created = Run({"backup", "create"});
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return created.out.substr(0, created.out.size() - 1);
  }

  void ExpectVerified() {
    CommandResult verify = Run({"lake", "verify", "stage", "--json"});
    ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    EXPECT_EQ(nlohmann::json::parse(verify.out)["ok"], true) << verify.out;
  }

  int64_t SnapshotCount(const std::string& schema) {
    lake::PostgresMetadataStore store(testing::TestPostgresSettings().ConnectionString(), schema, false);
    return store.Query("SELECT COUNT(*) FROM ducklake_snapshot").at(0).Int(0);
  }

  DlctlProject project_;
  std::string schema_;
  Env env_;
};

TEST_P(PostgresBackup, RestoresTheSchemaRowForRow) {
  MakeLake();
  std::string before = State();
  int64_t snapshots = SnapshotCount(schema_);
  std::string id = CreateBackup();

  CommandResult ls = Run({"backup", "ls", "-a", "--json"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  nlohmann::json files = nlohmann::json::parse(ls.out).back()["files"];
  std::set<std::string> paths;
  for (const auto& file : files) {
    paths.insert(file["path"].get<std::string>());
    if (file["path"] == "postgres/stage.sqlite") {
      EXPECT_EQ(file["postgres_schema"], schema_) << ls.out;
    }
  }
  EXPECT_TRUE(paths.count("postgres/stage.sqlite")) << ls.out;
  EXPECT_TRUE(paths.count("marts/graphs.sqlite")) << ls.out;
  EXPECT_FALSE(paths.count("stage.sqlite")) << ls.out;

  // Later commits and direct damage to the schema.
  Query("DELETE FROM stage.raw.songs WHERE id < 50");
  Query("DROP TABLE stage.raw.plays");
  {
    lake::PostgresMetadataStore store(testing::TestPostgresSettings().ConnectionString(), schema_, false);
    store.ExecuteScript("DROP TABLE ducklake_column_tag; UPDATE ducklake_table SET table_name = 'mangled'");
  }
  int64_t damaged_snapshots = SnapshotCount(schema_);

  CommandResult refused = Run({"backup", "restore"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("catalog stage in postgresql " + schema_), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("is not empty: add --force"), std::string::npos) << refused.err;
  EXPECT_EQ(SnapshotCount(schema_), damaged_snapshots);

  CommandResult restored = Run({"backup", "restore", "--force"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_NE(restored.out.find("restored PostgreSQL catalog stage -> schema " + schema_), std::string::npos)
      << restored.out;
  EXPECT_EQ(SnapshotCount(schema_), snapshots);
  EXPECT_EQ(State(), before);
  ExpectVerified();
}

TEST_P(PostgresBackup, RestoresIntoAnEmptySchemaWithoutForce) {
  MakeLake();
  std::string before = State();
  CreateBackup();
  // The lab moved stage to a new, empty schema; the files go to another folder (the graphs mart
  // in LOCAL_DIR stays as it is).
  env_["PSQL_CATALOG_STAGE_SCHEMA"] = testing::MakeTestSchema("fresh");
  CommandResult restored = Run({"backup", "restore", "--target", (project_.dir() / "elsewhere").string()});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(project_.dir() / "elsewhere" / "marts" / "graphs.sqlite"));
  EXPECT_FALSE(std::filesystem::exists(project_.dir() / "elsewhere" / "postgres"));
  EXPECT_EQ(State(), before);
  ExpectVerified();
}

TEST_P(PostgresBackup, RefusesADamagedDumpBeforeChangingAnything) {
  MakeLake();
  std::string id = CreateBackup();
  Query("DELETE FROM stage.raw.songs WHERE id < 50");
  std::string after = State();
  int64_t snapshots = SnapshotCount(schema_);

  CommandResult ls = Run({"backup", "ls", "--json"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  std::string key = nlohmann::json::parse(ls.out).back()["key"].get<std::string>();
  std::string dump = project_.store()->Get(key + "/postgres/stage.sqlite");
  dump[dump.size() / 2] = static_cast<char>(dump[dump.size() / 2] ^ 0x5a);
  project_.store()->Put(key + "/postgres/stage.sqlite", dump);

  CommandResult r = Run({"backup", "restore", "--force"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("backup " + id + " is damaged: postgres/stage.sqlite has"), std::string::npos) << r.err;
  EXPECT_EQ(SnapshotCount(schema_), snapshots);
  EXPECT_EQ(State(), after);
}

// The dump's bytes depend only on the catalog's rows: an unchanged catalog gives the same
// checksum, one more commit another.
TEST_P(PostgresBackup, TheSameCatalogGivesTheSameDump) {
  MakeLake();
  auto dump_sha256 = [&] {
    CreateBackup();
    CommandResult ls = Run({"backup", "ls", "-a", "--json"});
    EXPECT_EQ(ls.exit_code, 0) << ls.err;
    nlohmann::json backups = nlohmann::json::parse(ls.out);
    for (const auto& file : backups.back()["files"])
      if (file["path"] == "postgres/stage.sqlite") return file["sha256"].get<std::string>();
    ADD_FAILURE() << "no postgres/stage.sqlite in " << ls.out;
    return std::string();
  };
  std::string first = dump_sha256();
  EXPECT_EQ(dump_sha256(), first);
  Query("INSERT INTO stage.raw.plays VALUES (1, 1000)");
  EXPECT_NE(dump_sha256(), first);
}

TEST_P(PostgresBackup, NeedsTheCatalogOnPostgresToRestoreItsDump) {
  MakeLake();
  CreateBackup();
  env_.erase("PSQL_CATALOG_STAGE_SCHEMA");
  CommandResult r = Run({"backup", "restore", "--force"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("from PostgreSQL schema " + schema_ + ": set PSQL_CATALOG_STAGE_SCHEMA"), std::string::npos)
      << r.err;
}

INSTANTIATE_TEST_SUITE_P(Buckets, PostgresBackup, ::testing::Values(Bucket::kLocal, Bucket::kS3),
                         testing::BucketName);

}  // namespace
}  // namespace dlctl
