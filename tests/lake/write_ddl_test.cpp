// DDL as SQL on the attached catalog, on the local default and on S3: the catalog rows each
// change writes (versions ended and begun, schema versions, tags) and what the engine then sees.
#include <gmock/gmock.h>

#include "attach_catalog.h"
#include "support/error_of.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

class WriteDdl : public WriteLakeTest {
 protected:
  std::string Snapshot(SnapshotId id) {
    return CatalogRows(
               "SELECT s.schema_version || '|' || c.changes_made FROM ducklake_snapshot s JOIN "
               "ducklake_snapshot_changes c USING (snapshot_id) WHERE snapshot_id = " +
               std::to_string(id))
        .at(0);
  }

  // dsn.edges (source_id, target_id) with rows 0..9, as snapshots 1 and 2 (table id 2).
  void CreateEdges() {
    Commit("CREATE SCHEMA stage.dsn");
    Commit("CREATE TABLE stage.dsn.edges AS SELECT i::INTEGER AS source_id, (i * 7)::INTEGER AS target_id "
           "FROM range(10) t(i)");
  }
};

TEST_P(WriteDdl, AddsColumnsWithDefaultsThatOldRowsRead) {
  CreateEdges();
  SnapshotId added = Commit("ALTER TABLE stage.dsn.edges ADD COLUMN weight DOUBLE DEFAULT 1.5");
  EXPECT_EQ(Snapshot(added), "3|altered_table:2");
  // Fixture parquet_only, column 3 of table 2.
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_column WHERE column_id = 3"),
            Lines{"3|3|NULL|2|3|weight|float64|1.5|1.5|1|NULL|literal|duckdb"});
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_schema_versions ORDER BY begin_snapshot"), (Lines{"2|2|2", "3|3|2"}));
  Commit("INSERT INTO stage.dsn.edges VALUES (5000, 1, 9.0), (5001, 2, NULL)");
  Commit("INSERT INTO stage.dsn.edges (source_id, target_id) VALUES (6000, 3)");
  EXPECT_EQ(Rows("SELECT weight, count(*) FROM stage.dsn.edges GROUP BY ALL ORDER BY ALL"),
            (Lines{"1.5|11", "9.0|1", "NULL|1"}));
  // Like the extension: no table-level stats for a column added after the first insert.
  EXPECT_EQ(CatalogRows("SELECT column_id, max_value FROM ducklake_table_column_stats ORDER BY 1"),
            (Lines{"1|6000", "2|63"}));

  EXPECT_THROW(Commit("ALTER TABLE stage.dsn.edges ADD COLUMN weight INTEGER"), Error);
  Commit("ALTER TABLE stage.dsn.edges ADD COLUMN IF NOT EXISTS weight INTEGER");
  SnapshotId nested = Commit("ALTER TABLE stage.dsn.edges ADD COLUMN tags VARCHAR[]");
  EXPECT_EQ(CatalogRows("SELECT column_id, column_name, parent_column FROM ducklake_column WHERE begin_snapshot = " +
                        std::to_string(nested) + " ORDER BY 1"),
            (Lines{"4|tags|NULL", "5|element|4"}));
}

TEST_P(WriteDdl, RenamesAndDropsColumnsAsNewVersions) {
  CreateEdges();
  SnapshotId renamed = Commit("ALTER TABLE stage.dsn.edges RENAME COLUMN target_id TO dst");
  EXPECT_EQ(Snapshot(renamed), "3|altered_table:2");
  EXPECT_EQ(
      CatalogRows("SELECT column_id, begin_snapshot, end_snapshot, column_order, column_name FROM ducklake_column "
                  "WHERE column_id = 2 ORDER BY begin_snapshot"),
      (Lines{"2|2|3|2|target_id", "2|3|NULL|2|dst"}));
  EXPECT_EQ(Rows("SELECT sum(dst) FROM stage.dsn.edges"), Lines{"315"});

  SnapshotId dropped = Commit("ALTER TABLE stage.dsn.edges DROP COLUMN source_id");
  EXPECT_EQ(Snapshot(dropped), "4|altered_table:2");
  EXPECT_EQ(CatalogRows("SELECT end_snapshot FROM ducklake_column WHERE column_id = 1"), Lines{"4"});
  EXPECT_EQ(Rows("SELECT * FROM stage.dsn.edges ORDER BY 1 LIMIT 2"), (Lines{"0", "7"}));
  EXPECT_THROW(Commit("ALTER TABLE stage.dsn.edges DROP COLUMN dst"), Error);  // the last one

  // Re-adding a dropped name gets a fresh column id: old files do not resurrect the old values.
  Commit("ALTER TABLE stage.dsn.edges ADD COLUMN source_id BIGINT");
  EXPECT_EQ(
      CatalogRows("SELECT column_id FROM ducklake_column WHERE column_name = 'source_id' AND end_snapshot IS NULL"),
      Lines{"3"});
  EXPECT_EQ(Rows("SELECT count(*), count(source_id) FROM stage.dsn.edges"), Lines{"10|0"});
  EXPECT_EQ(CatalogRows("SELECT begin_snapshot, schema_version FROM ducklake_schema_versions ORDER BY 1"),
            (Lines{"2|2", "3|3", "4|4", "5|5"}));
}

TEST_P(WriteDdl, RenamesTablesKeepingIdUuidAndFolder) {
  CreateEdges();
  std::string uuid = CatalogRows("SELECT table_uuid FROM ducklake_table").at(0);
  SnapshotId renamed = Commit("ALTER TABLE stage.dsn.edges RENAME TO links");
  EXPECT_EQ(Snapshot(renamed), "3|altered_table:2");
  EXPECT_EQ(CatalogRows("SELECT table_id, table_uuid, begin_snapshot, end_snapshot, table_name, path FROM "
                        "ducklake_table ORDER BY begin_snapshot"),
            (Lines{"2|" + uuid + "|2|3|edges|edges/", "2|" + uuid + "|3|NULL|links|edges/"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.links"), Lines{"10"});
  Commit("INSERT INTO stage.dsn.links VALUES (10, 70)");
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.links"), Lines{"11"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_data_file WHERE path LIKE 'ducklake-%'"), Lines{"2"});
  EXPECT_THROW(Commit("BEGIN; ALTER TABLE stage.dsn.links RENAME TO links2; "
                      "CREATE VIEW stage.dsn.links2 AS SELECT 1; COMMIT"),
               Error);
  engine_->Query("ROLLBACK");
}

TEST_P(WriteDdl, CreatesReplacesAndDropsViews) {
  CreateEdges();
  SnapshotId created =
      Commit("CREATE VIEW stage.dsn.heavy AS SELECT source_id, count(*) AS n FROM stage.dsn.edges GROUP BY source_id");
  EXPECT_EQ(Snapshot(created), "3|created_view:\"dsn\".\"heavy\"");
  EXPECT_EQ(CatalogRows("SELECT view_id, begin_snapshot, end_snapshot, schema_id, view_name, dialect, \"sql\", "
                        "column_aliases FROM ducklake_view"),
            Lines{"3|3|NULL|1|heavy|duckdb|SELECT source_id, count_star() AS n FROM {DUCKLAKE_CATALOG}.dsn.edges "
                  "GROUP BY source_id|"});
  EXPECT_EQ(CatalogRows("SELECT next_catalog_id FROM ducklake_snapshot WHERE snapshot_id = 3"), Lines{"4"});
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.heavy"), Lines{"10"});

  EXPECT_THROW(Commit("CREATE VIEW stage.dsn.heavy AS SELECT 1"), Error);
  SnapshotId replaced = Commit("CREATE OR REPLACE VIEW stage.dsn.heavy AS SELECT 42 AS answer");
  EXPECT_EQ(Snapshot(replaced), "4|dropped_view:3,created_view:\"dsn\".\"heavy\"");
  EXPECT_EQ(Rows("SELECT * FROM stage.dsn.heavy"), Lines{"42"});
  SnapshotId dropped = Commit("DROP VIEW stage.dsn.heavy");
  EXPECT_EQ(Snapshot(dropped), "5|dropped_view:4");
  EXPECT_EQ(CatalogRows("SELECT view_id, begin_snapshot, end_snapshot FROM ducklake_view ORDER BY 1"),
            (Lines{"3|3|4", "4|4|5"}));
  EXPECT_EQ(Commit("DROP VIEW IF EXISTS stage.dsn.heavy"), dropped);
}

// The views fixture's views, created by dlctl on a catalog attached as "stage" (the fixture's was
// "lake"): the stored SQL has the placeholder exactly where DuckDB's extension put it, a string
// literal naming the catalog stays, an unqualified name stays as written; all read under another
// catalog name.
TEST_P(WriteDdl, StoresViewsWithTheCatalogPlaceholderAsTheExtensionDoes) {
  Commit("CREATE SCHEMA stage.sales");
  Commit("CREATE TABLE stage.sales.orders (id INTEGER, d DATE, amount DECIMAL(10,2), country VARCHAR)");
  Commit("INSERT INTO stage.sales.orders SELECT i, DATE '2022-11-01' + (i * 5)::INTEGER, (i % 17) * 1.25, "
         "['HR','HU','RO'][1 + i % 3] FROM range(400) t(i)");
  Commit("CREATE VIEW stage.sales.by_country AS SELECT country, count(*) AS n, sum(amount) AS total FROM "
         "stage.sales.orders GROUP BY country");
  Commit("CREATE VIEW stage.sales.quoted AS SELECT \"id\", 'lake.sales.orders' AS label FROM "
         "\"stage\".\"sales\".\"orders\" WHERE id < 3");
  Commit("CREATE VIEW stage.main.nested AS SELECT n FROM stage.sales.by_country WHERE country = 'HR'");
  Commit("CREATE VIEW stage.sales.unqualified AS SELECT id FROM sales.orders WHERE id < 3");

  const std::string views = "SELECT view_name, \"sql\" FROM ducklake_view WHERE view_name <> 'unqualified' ORDER BY 1";
  SqliteMetadataStore fixture(
      std::filesystem::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures/ducklake/views/catalog.sqlite", false);
  Lines expected = testing::JoinedRows(fixture.Query(views));
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(CatalogRows(views), expected);
  EXPECT_EQ(CatalogRows("SELECT \"sql\" FROM ducklake_view WHERE view_name = 'unqualified'"),
            Lines{"SELECT id FROM sales.orders WHERE (id < 3)"});

  AttachTestCatalog(*engine_, [this](bool create) { return OpenMetadata(create); }, data_path_, "elsewhere");
  EXPECT_EQ(Rows("SELECT country, n, total FROM elsewhere.sales.by_country ORDER BY 1"),
            (Lines{"HR|134|1328.75", "HU|133|1315.00", "RO|133|1311.25"}));
  EXPECT_EQ(Rows("SELECT * FROM elsewhere.sales.quoted ORDER BY 1"),
            (Lines{"0|lake.sales.orders", "1|lake.sales.orders", "2|lake.sales.orders"}));
  EXPECT_EQ(Rows("SELECT * FROM elsewhere.main.nested"), Lines{"134"});
  EXPECT_EQ(Rows("SELECT * FROM elsewhere.sales.unqualified ORDER BY 1"), (Lines{"0", "1", "2"}));
}

TEST_P(WriteDdl, CommentsBecomeTags) {
  CreateEdges();
  SnapshotId commented = Commit("COMMENT ON TABLE stage.dsn.edges IS 'friendship edges'");
  EXPECT_EQ(Snapshot(commented), "3|altered_table:2");  // fixture snapshot 14
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_tag"), Lines{"2|3|NULL|comment|friendship edges"});
  Commit("BEGIN; COMMENT ON COLUMN stage.dsn.edges.source_id IS 'who'; "
         "COMMENT ON TABLE stage.dsn.edges IS 'edges v2'; COMMIT");
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_tag ORDER BY begin_snapshot"),
            (Lines{"2|3|4|comment|friendship edges", "2|4|NULL|comment|edges v2"}));
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_column_tag"), Lines{"2|1|4|NULL|comment|who"});
  Commit("COMMENT ON TABLE stage.dsn.edges IS NULL");
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_tag WHERE end_snapshot IS NULL"), Lines{"0"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_schema_versions"), Lines{"1"});
  EXPECT_EQ(Rows("SELECT comment FROM duckdb_columns() WHERE database_name = 'stage' AND column_name = 'source_id'"),
            Lines{"who"});
}

TEST_P(WriteDdl, DropsTablesAndSchemas) {
  CreateEdges();
  Commit("CREATE VIEW stage.dsn.v AS SELECT 1 AS x");
  EXPECT_THROW(Commit("DROP SCHEMA stage.dsn"), Error);  // not empty
  SnapshotId dropped = Commit("DROP TABLE stage.dsn.edges");
  EXPECT_EQ(Snapshot(dropped), "4|dropped_table:2");
  for (const char* table : {"ducklake_table", "ducklake_column", "ducklake_data_file"})
    EXPECT_EQ(CatalogRows(std::string("SELECT DISTINCT end_snapshot FROM ") + table), Lines{"4"}) << table;
  EXPECT_THROW(Rows("SELECT * FROM stage.dsn.edges"), Error);

  SnapshotId cascade = Commit("DROP SCHEMA stage.dsn CASCADE");
  EXPECT_EQ(Snapshot(cascade), "5|dropped_schema:1,dropped_view:3");
  EXPECT_EQ(CatalogRows("SELECT end_snapshot FROM ducklake_schema WHERE schema_id = 1"), Lines{"5"});
  EXPECT_EQ(Commit("DROP SCHEMA IF EXISTS stage.dsn"), cascade);
  EXPECT_THROW(Commit("DROP TABLE stage.dsn.edges"), Error);
}

TEST_P(WriteDdl, TheMainSchemaStays) {
  Commit("CREATE TABLE stage.main.t (x INTEGER)");
  for (const char* drop : {"DROP SCHEMA stage.main", "DROP SCHEMA stage.MAIN CASCADE", "DROP SCHEMA IF EXISTS stage.main"})
    EXPECT_THAT(dlctl::testing::ErrorOf([&] { Commit(drop); }), ::testing::HasSubstr("Cannot drop schema \"main\" of catalog stage")) << drop;
  Commit("DROP TABLE stage.main.t");
  EXPECT_THROW(Commit("DROP SCHEMA stage.main"), Error) << "empty or not";
  Commit("CREATE TABLE stage.main.t (x INTEGER)");
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.t"), Lines{"0"});
}

TEST_P(WriteDdl, ChangesWithinOneTransactionLandAsOneSnapshot) {
  SnapshotId id = Commit(
      "BEGIN; CREATE SCHEMA stage.s1; CREATE TABLE stage.s1.t1 (a INTEGER NOT NULL, b VARCHAR DEFAULT 'n/a'); "
      "INSERT INTO stage.s1.t1 (a) SELECT range::INTEGER FROM range(100); "
      "ALTER TABLE stage.s1.t1 RENAME COLUMN b TO label; COMMENT ON TABLE stage.s1.t1 IS 'made in one go'; "
      "CREATE TABLE stage.s1.scratch (x INTEGER); DROP TABLE stage.s1.scratch; "
      "CALL stage.set_commit_message('tester', 'one snapshot', extra_info => '{\"ticket\": 1}'); COMMIT");
  EXPECT_EQ(id, 1);
  // Appendix C of the spec notes: schema 1, table 2, file 0.
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_snapshot_changes WHERE snapshot_id = 1"),
            Lines{"1|created_schema:\"s1\",created_table:\"s1\".\"t1\",inserted_into_table:2|tester|one snapshot|"
                  "{\"ticket\": 1}"});
  EXPECT_EQ(CatalogRows("SELECT schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot WHERE "
                        "snapshot_id = 1"),
            Lines{"1|3|1"});
  EXPECT_EQ(CatalogRows("SELECT column_id, column_name, default_value, nulls_allowed FROM ducklake_column ORDER BY 1"),
            (Lines{"1|a|NULL|0", "2|label|n/a|1"}));
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_schema_versions"), Lines{"1|1|2"});
  EXPECT_EQ(Rows("SELECT count(*), sum(a), min(label), max(label) FROM stage.s1.t1"), Lines{"100|4950|n/a|n/a"});
  EXPECT_THROW(Commit("INSERT INTO stage.s1.t1 SELECT NULL::INTEGER, 'x'"), Error);
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{"1"});
}

INSTANTIATE_TEST_SUITE_P(Write, WriteDdl, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
