// SQL on the attached lake catalog as `dlctl query` runs it, on the local default and on S3: the
// statements DuckDB 1.5.5's extension ran to build fixtures/ducklake/parquet_only, replayed on
// our catalog, must give the same snapshots, catalog rows and table contents.
#include <filesystem>
#include <fstream>

#include "attach_catalog.h"
#include "lake/lakehouse.h"
#include "util/error.h"
#include "write_lake_fixture.h"
#include "support/joined_rows.h"
#include "duckdb_cli_csv.h"
#include "fixture_build.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

fs::path Fixture() { return FixtureLake("parquet_only"); }

class WriteStatements : public WriteLakeTest {
 protected:
  void SetUp() override {
    WriteLakeTest::SetUp();
    settings_.local_dir = dir_.path();
    if (GetParam().data == StoreKind::kS3) settings_.s3 = testing::TestS3Settings();
    settings_.catalogs.push_back(catalog_);
    ASSERT_EQ(CatalogDataPath(settings_, catalog_), data_path_);
    Lakehouse(settings_).Attach(*engine_);  // as dlctl query does
  }

  std::vector<std::string> Run(const std::string& sql) { return testing::JoinedRows(engine_->Query(sql)); }
};

TEST_P(WriteStatements, ReplaysTheFixtureBuildLikeTheExtension) {
  SqliteMetadataStore fixture(Fixture() / "catalog.sqlite", false);
  FixtureBuild build = ReadFixtureBuild("parquet_only");
  const std::vector<std::string>& statements = build.statements;
  ASSERT_EQ(statements.size(), 20u);
  WriteOptions write;
  write.data_inlining_row_limit = build.inlining_row_limit;  // 0: every write in Parquet files
  ASSERT_EQ(write.data_inlining_row_limit, 0u);
  Lakehouse(settings_).Attach(*engine_, {}, {}, write);
  for (const std::string& statement : statements) {
    SCOPED_TRACE(statement);
    engine_->Query(statement);
  }
  // Every snapshot is the fixture's, SET PARTITIONED BY (snapshot 16) and the partitioned
  // insert (17) included.
  auto both = [&](const std::string& sql) { EXPECT_EQ(CatalogRows(sql), StoreRows(fixture, sql)) << sql; };
  both("SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot ORDER BY 1");
  both("SELECT * FROM ducklake_snapshot_changes ORDER BY 1");
  both("SELECT schema_id, begin_snapshot, end_snapshot, schema_name, path, path_is_relative FROM ducklake_schema");
  both(
      "SELECT table_id, begin_snapshot, end_snapshot, schema_id, table_name, path, path_is_relative FROM "
      "ducklake_table ORDER BY 1, 2");
  both("SELECT * FROM ducklake_column ORDER BY table_id, column_id, begin_snapshot");
  both(
      "SELECT view_id, begin_snapshot, end_snapshot, schema_id, view_name, dialect, \"sql\", column_aliases "
      "FROM ducklake_view");
  both("SELECT object_id, begin_snapshot, end_snapshot, \"key\", \"value\" FROM ducklake_tag");
  both("SELECT * FROM ducklake_schema_versions ORDER BY 1");
  both("SELECT * FROM ducklake_partition_info ORDER BY 1");
  both("SELECT * FROM ducklake_partition_column ORDER BY 1, 3");
  both(
      "SELECT data_file_id, table_id, begin_snapshot, end_snapshot, file_order, path_is_relative, file_format, "
      "record_count, row_id_start, partition_id, encryption_key, mapping_id, partial_max FROM ducklake_data_file "
      "ORDER BY 1");
  // The partitioned files under their hive folders (the file names are new uuids), with the
  // same values.
  both(
      "SELECT f.data_file_id, substr(f.path, 1, 11), v.partition_key_index, v.partition_value FROM "
      "ducklake_data_file f JOIN ducklake_file_partition_value v USING (data_file_id) ORDER BY 1, 3");
  both(
      "SELECT table_id, begin_snapshot, end_snapshot, data_file_id, path_is_relative, format, delete_count "
      "FROM ducklake_delete_file ORDER BY data_file_id");
  both("SELECT table_id, record_count, next_row_id FROM ducklake_table_stats ORDER BY 1");
  // File stats as the fixture has them, except what DuckDB 1.4's writer does not report: the
  // element counts inside lists and maps (value_count, null_count NULL here).
  both(
      "SELECT data_file_id, table_id, column_id, min_value, max_value, contains_nan, extra_stats FROM "
      "ducklake_file_column_stats ORDER BY 1, 3");
  both(
      "SELECT data_file_id, column_id, value_count, null_count FROM ducklake_file_column_stats WHERE "
      "column_id NOT IN (17, 22, 23) ORDER BY 1, 2");
  both(
      "SELECT table_id, column_id, contains_nan, min_value, max_value, extra_stats FROM ducklake_table_column_stats "
      "ORDER BY 1, 2");
  both(
      "SELECT table_id, column_id, contains_null FROM ducklake_table_column_stats WHERE column_id NOT IN (17, 22, 23) "
      "ORDER BY 1, 2");

  // Every table and view at every snapshot reads as the extension read it.
  engine_->Query("SET TimeZone = 'UTC'");
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(Fixture() / "expected")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("snap", 0) != 0 || name.find("__") == std::string::npos) continue;
    SnapshotId snapshot = std::stoll(name.substr(4, name.find("__") - 4));
    std::string object = name.substr(name.find("__") + 2, name.size() - name.find("__") - 6);
    AttachTestCatalog(*engine_, [this](bool create) { return OpenMetadata(create); }, data_path_, "snap", snapshot);
    QueryResult result = engine_->Query("SELECT * FROM snap." + object + " ORDER BY ALL");
    EXPECT_EQ(CliCsv(result), testing::ReadFile(entry.path())) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 52);  // every expected file
}

// With the default data_inlining_row_limit (10), as a user gets it: small writes stay in the catalog.
TEST_P(WriteStatements, RoutesQualifiedAndUseStatementsAndGroupsTransactions) {
  EXPECT_EQ(Run("CREATE SCHEMA stage.dsn; CREATE TABLE stage.dsn.t (id INTEGER NOT NULL, name VARCHAR DEFAULT 'n/a');"
                "INSERT INTO stage.dsn.t (id) SELECT range FROM range(5)"),
            Lines{"5"});
  EXPECT_EQ(Run("SELECT count(*), min(name) FROM stage.dsn.t"), Lines{"5|n/a"});
  EXPECT_EQ(CatalogRows("SELECT snapshot_id, changes_made FROM ducklake_snapshot_changes WHERE snapshot_id > 0"),
            (Lines{"1|created_schema:\"dsn\"", "2|created_table:\"dsn\".\"t\"", "3|inlined_insert:2"}));

  // After USE, unqualified names are the lake's; the engine's own tables stay the engine's.
  EXPECT_EQ(Run("USE stage.dsn; UPDATE t SET name = 'x' || id WHERE id < 2; DELETE FROM t WHERE id = 4;"
                "SELECT string_agg(name, ',' ORDER BY id) FROM t"),
            Lines{"x0,x1,n/a,n/a"});
  EXPECT_EQ(Run("SELECT current_database(), current_schema()"), Lines{"stage|dsn"});
  Run("USE memory; CREATE TABLE scratch AS SELECT 1 AS a; INSERT INTO scratch VALUES (2)");
  EXPECT_EQ(Run("SELECT sum(a) FROM scratch"), Lines{"3"});

  // BEGIN ... COMMIT: one snapshot for everything in between.
  Run("BEGIN; ALTER TABLE stage.dsn.t RENAME COLUMN name TO label; INSERT INTO stage.dsn.t VALUES (10, 'ten');"
      "COMMENT ON TABLE stage.dsn.t IS 'demo'; COMMIT");
  EXPECT_EQ(CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes ORDER BY snapshot_id DESC LIMIT 1"),
            Lines{"altered_table:2,inlined_insert:2"});
  EXPECT_EQ(Run("SELECT count(*), max(label) FROM stage.dsn.t"), Lines{"5|x1"});
  Run("BEGIN; CALL stage.set_commit_message('tester', 'with a message', extra_info => '{\"ticket\": 1}');"
      "INSERT INTO stage.dsn.t VALUES (11, 'eleven'); COMMIT");
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_snapshot_changes ORDER BY snapshot_id DESC LIMIT 1").at(0),
            "7|inlined_insert:2|tester|with a message|{\"ticket\": 1}");
  Run("BEGIN; DROP TABLE stage.dsn.t; ROLLBACK");
  EXPECT_EQ(Run("SELECT count(*) FROM stage.dsn.t"), Lines{"6"});

  EXPECT_EQ(
      Run("CREATE OR REPLACE VIEW stage.dsn.v AS SELECT id FROM dsn.t WHERE id > 2; SELECT count(*) FROM stage.dsn.v"),
      Lines{"3"});
  // Statement boundaries survive comments, quoted semicolons and empty statements.
  EXPECT_EQ(Run("-- first\nINSERT INTO stage.dsn.t VALUES (100, 'a;b');; ; /* x; */ SELECT max(label) FROM stage.dsn.t;"
                "DELETE FROM stage.dsn.t WHERE label = 'a;b'"),
            Lines{"1"});
  EXPECT_THROW(Run("CREATE TABLE stage.dsn.p (id INTEGER PRIMARY KEY)"), Error);
  EXPECT_THROW(Run("INSERT INTO stage.dsn.t VALUES (NULL, 'no id')"), Error);
  EXPECT_THROW(Run("DELETE FROM stage.dsn.missing"), Error);
  EXPECT_EQ(Run("DROP VIEW stage.dsn.v; DROP TABLE stage.dsn.t; DROP SCHEMA stage.dsn; "
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'stage'"),
            Lines{"0"});
}

TEST_P(WriteStatements, CreatesTheCatalogOnItsFirstWrite) {
  if (catalog_.postgres_schema) {
    metadata_->ExecuteScript("DROP SCHEMA " + *catalog_.postgres_schema + " CASCADE");
    metadata_.reset();
  } else {
    metadata_.reset();
    fs::remove(catalog_path_);
  }
  EXPECT_EQ(Run("CREATE TABLE stage.main.first AS SELECT 1 AS one; SELECT * FROM stage.main.first"), Lines{"1"});
  auto created = OpenMetadata();
  EXPECT_EQ(created->Query("SELECT \"value\" FROM ducklake_metadata WHERE \"key\" = 'data_path'").at(0).Text(0),
            data_path_);
}

INSTANTIATE_TEST_SUITE_P(Write, WriteStatements, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
