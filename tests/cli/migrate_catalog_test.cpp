// `dlctl tools migrate-catalog`: a stage catalog built on SQLite moves to PostgreSQL and back
// with the same query results at every step (latest and an older snapshot), `lake verify` clean,
// and the round-tripped SQLite file holds exactly the rows of the original.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fixture_lake.h"
#include "lake/metadata/postgres_metadata_store.h"
#include "support/catalog_dump.h"
#include "support/dlctl_project.h"
#include "support/test_postgres.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::Bucket;
using testing::CommandResult;
using testing::DlctlProject;
using Env = std::map<std::string, std::string>;

class MigrateCatalog : public ::testing::TestWithParam<Bucket> {
 protected:
  MigrateCatalog() : project_(GetParam()), schema_(testing::MakeTestSchema("migrate")) {
    postgres_ = testing::PostgresVariables(testing::TestPostgresSettings());
    postgres_["PSQL_CATALOG_STAGE_SCHEMA"] = schema_;
  }

  std::string Query(const std::string& sql, const Env& env, const std::vector<std::string>& options = {}) {
    std::vector<std::string> args = {"query", "-f", "csv"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(sql);
    CommandResult r = project_.Run(args, env);
    EXPECT_EQ(r.exit_code, 0) << sql << "\n" << r.err;
    return r.out;
  }

  // Every table at the latest snapshot and two older ones, as `env` sees the stage catalog.
  std::string State(const Env& env) {
    std::string state;
    for (const char* table : {"stage.raw.songs", "stage.raw.plays"})
      state += Query(std::string("SELECT * FROM ") + table + " ORDER BY ALL", env);
    for (const char* snapshot : {"stage=2", "stage=4"})
      state += Query("SELECT * FROM stage.raw.songs ORDER BY ALL", env, {"--snapshot", snapshot});
    return state;
  }

  void ExpectVerified(const Env& env) {
    CommandResult verify = project_.Run({"lake", "verify", "stage", "--json"}, env);
    ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
    nlohmann::json report = nlohmann::json::parse(verify.out);
    EXPECT_EQ(report["ok"], true) << verify.out;
    EXPECT_GT(report["files_checked"].get<int>(), 0) << verify.out;
  }

  CommandResult Migrate(const std::string& from, const std::string& to, const Env& env, bool force = false) {
    std::vector<std::string> args = {"tools", "migrate-catalog", "stage", "--from", from, "--to", to};
    if (force) args.push_back("--force");
    return project_.Run(args, env);
  }

  DlctlProject project_;
  std::string schema_;
  Env postgres_;
};

TEST_P(MigrateCatalog, SqliteToPostgresAndBackKeepsEveryRow) {
  const Env sqlite;
  Query("CREATE SCHEMA stage.raw", sqlite);
  Query("CREATE TABLE stage.raw.songs AS SELECT range AS id, 'song ' || range AS title FROM range(100)", sqlite);
  Query("CREATE TABLE stage.raw.plays AS SELECT range % 10 AS song_id, range AS n FROM range(30)", sqlite);
  Query("DELETE FROM stage.raw.songs WHERE id % 7 = 0", sqlite);
  Query("ALTER TABLE stage.raw.songs ADD COLUMN rating INTEGER", sqlite);
  Query("INSERT INTO stage.raw.songs VALUES (1000, 'it''s new', 5)", sqlite);
  std::string before = State(sqlite);
  ExpectVerified(sqlite);

  CommandResult to_postgres = Migrate("sqlite", "postgres", postgres_);
  ASSERT_EQ(to_postgres.exit_code, 0) << to_postgres.err;
  EXPECT_NE(to_postgres.out.find("copied catalog stage:"), std::string::npos) << to_postgres.out;
  EXPECT_NE(to_postgres.out.find("to postgresql " + schema_), std::string::npos) << to_postgres.out;
  EXPECT_EQ(State(postgres_), before);
  ExpectVerified(postgres_);

  // Back into the SQLite file is refused while it holds the catalog; a new file is fine.
  CommandResult refused = Migrate("postgres", "sqlite", postgres_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not empty: add --force"), std::string::npos) << refused.err;
  Env back = postgres_;
  back["STAGE_DB"] = "back/stage.sqlite";
  CommandResult to_sqlite = Migrate("postgres", "sqlite", back);
  ASSERT_EQ(to_sqlite.exit_code, 0) << to_sqlite.err;
  back.erase("PSQL_CATALOG_STAGE_SCHEMA");
  EXPECT_EQ(State(back), before);
  ExpectVerified(back);

  lake::SqliteMetadataStore original(project_.local() / "stage.sqlite", false);
  lake::SqliteMetadataStore round_trip(project_.local() / "back" / "stage.sqlite", false);
  testing::CatalogDump expected = testing::DumpSqliteCatalog(original);
  // The 28 catalog tables and the inlined data tables (one per table and layout).
  EXPECT_EQ(expected.size(), 28u + 3u);
  EXPECT_EQ(expected["ducklake_inlined_data_tables"].size(), 3u);
  EXPECT_GT(expected["ducklake_snapshot"].size(), 5u);
  EXPECT_EQ(testing::DumpSqliteCatalog(round_trip), expected);
  EXPECT_EQ(testing::SqliteTableDefinitions(round_trip), testing::SqliteTableDefinitions(original));
}

TEST_P(MigrateCatalog, ForceReplacesATargetThatHoldsACatalog) {
  const Env sqlite;
  Query("CREATE TABLE stage.main.t AS SELECT 1 AS a", sqlite);
  ASSERT_EQ(Migrate("sqlite", "postgres", postgres_).exit_code, 0);
  Query("INSERT INTO stage.main.t VALUES (2)", sqlite);  // the SQLite side moves on

  CommandResult refused = Migrate("sqlite", "postgres", postgres_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not empty: add --force"), std::string::npos) << refused.err;
  EXPECT_EQ(Query("SELECT * FROM stage.main.t ORDER BY ALL", postgres_), "a\n1\n");

  CommandResult forced = Migrate("sqlite", "postgres", postgres_, true);
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(Query("SELECT * FROM stage.main.t ORDER BY ALL", postgres_), "a\n1\n2\n");
}

TEST_P(MigrateCatalog, RefusesWhatCannotBeMigrated) {
  CommandResult same = Migrate("sqlite", "sqlite", postgres_);
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_NE(same.err.find("nothing to migrate"), std::string::npos) << same.err;

  CommandResult no_schema = Migrate("sqlite", "postgres", {});
  EXPECT_EQ(no_schema.exit_code, 2);
  EXPECT_NE(no_schema.err.find("set PSQL_CATALOG_STAGE_SCHEMA"), std::string::npos) << no_schema.err;

  // No SQLite catalog to read: nothing is created on either side.
  CommandResult missing = Migrate("sqlite", "postgres", postgres_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  lake::PostgresMetadataStore store(testing::TestPostgresSettings().ConnectionString(), schema_, false);
  EXPECT_FALSE(store.TableExists("ducklake_metadata"));

  CommandResult unknown = project_.Run({"tools", "migrate-catalog", "nope", "--from", "sqlite", "--to", "postgres"},
                                       postgres_);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no catalog named nope"), std::string::npos) << unknown.err;
}

// The `inlined` fixture, written by DuckDB's own extension (inlined rows and deletes of every
// type, a partitioned table, a view), reads the same after moving to PostgreSQL.
class MigrateFixture : public FixtureLake {};

TEST_P(MigrateFixture, ADuckDbWrittenCatalogReadsTheSameOnPostgres) {
  auto state = [&] {
    std::map<std::string, std::string> out;  // "object@snapshot" -> its rows
    for (const char* object : {"dsn.edges", "dsn.heavy", "dsn.part", "dsn.replaced", "main.types"})
      for (const std::string& snapshot : {"stage=19", "stage=4"}) {
        CommandResult r =
            Query({"--snapshot", snapshot, "SELECT * FROM stage." + std::string(object) + " ORDER BY ALL"});
        out[std::string(object) + "@" + snapshot] = r.exit_code == 0 ? r.out : "missing";  // dsn.part is not at 4
      }
    return out;
  };
  auto before = state();
  ASSERT_NE(before["main.types@stage=4"].find("wörld 'quoted'"), std::string::npos) << before["main.types@stage=4"];

  options_.env["PSQL_CATALOG_STAGE_SCHEMA"] = testing::MakeTestSchema("fixture");
  for (const auto& [name, value] : testing::PostgresVariables(testing::TestPostgresSettings()))
    options_.env[name] = value;
  CommandResult migrated = Run({"tools", "migrate-catalog", "stage", "--from", "sqlite", "--to", "postgres"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  auto after = state();
  for (const auto& [what, rows] : before) EXPECT_TRUE(after[what] == rows) << what << ":\n" << after[what];
}

INSTANTIATE_TEST_SUITE_P(Stores, MigrateFixture, ::testing::Values("local", "s3"));

INSTANTIATE_TEST_SUITE_P(Buckets, MigrateCatalog, ::testing::Values(Bucket::kLocal, Bucket::kS3),
                         testing::BucketName);

}  // namespace
}  // namespace dlctl
