// Writes as DuckDB plans them on a lake catalog, end to end, on the local default and on S3:
// every write checked through the engine (the catalog attached as "stage") and through the
// catalog rows the official extension would have written (fixtures/ducklake/parquet_only).
#include <filesystem>

#include "lake/write/target_file_size.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

class WriteTransaction : public WriteLakeTest {
 protected:
  std::string Changes(SnapshotId id) {
    return CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = " + std::to_string(id))
        .at(0);
  }

  // CREATE SCHEMA dsn; CREATE TABLE dsn.edges AS ... (snapshots 1 and 2 of the fixture)
  void CreateEdges() {
    Commit("CREATE SCHEMA stage.dsn");
    EXPECT_EQ(Count("CREATE TABLE stage.dsn.edges AS SELECT i::INTEGER AS source_id, ((i*7)%1000)::INTEGER AS "
                    "target_id FROM range(1000) t(i)"),
              1000);
  }
};

TEST_P(WriteTransaction, CreateTableAsWritesTheFixturesRows) {
  CreateEdges();
  EXPECT_EQ(Changes(1), "created_schema:\"dsn\"");
  EXPECT_EQ(Changes(2), "created_table:\"dsn\".\"edges\",inserted_into_table:2");
  EXPECT_EQ(CatalogRows("SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot"),
            (Lines{"0|0|1|0", "1|1|2|0", "2|2|3|1"}));
  EXPECT_EQ(CatalogRows("SELECT schema_id, begin_snapshot, end_snapshot, schema_name, path, path_is_relative "
                        "FROM ducklake_schema WHERE schema_id = 1"),
            Lines{"1|1|NULL|dsn|dsn/|1"});
  EXPECT_EQ(CatalogRows("SELECT table_id, begin_snapshot, end_snapshot, schema_id, table_name, path, path_is_relative "
                        "FROM ducklake_table"),
            Lines{"2|2|NULL|1|edges|edges/|1"});
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_column"),
            (Lines{"1|2|NULL|2|1|source_id|int32|NULL|NULL|1|NULL|literal|duckdb",
                   "2|2|NULL|2|2|target_id|int32|NULL|NULL|1|NULL|literal|duckdb"}));
  auto file = CatalogRows(
      "SELECT data_file_id, table_id, begin_snapshot, end_snapshot, file_order, path_is_relative, "
      "file_format, record_count, row_id_start, partition_id, encryption_key, mapping_id, "
      "partial_max FROM ducklake_data_file");
  EXPECT_EQ(file, Lines{"0|2|2|NULL|NULL|1|parquet|1000|0|NULL|NULL|NULL|NULL"});
  std::string name = CatalogRows("SELECT path FROM ducklake_data_file").at(0);
  EXPECT_TRUE(name.rfind("ducklake-", 0) == 0 && name.size() == 53) << name;
  std::string uri = data_path_ + "dsn/edges/" + name;
  EXPECT_EQ(CatalogRows("SELECT file_size_bytes || '|' || footer_size FROM ducklake_data_file"),
            Rows("SELECT file_size_bytes || '|' || footer_size FROM parquet_file_metadata('" + uri + "')"));
  EXPECT_EQ(Rows("SELECT name, field_id FROM parquet_schema('" + uri + "') WHERE field_id IS NOT NULL"),
            (Lines{"source_id|1", "target_id|2"}));
  EXPECT_EQ(CatalogRows("SELECT data_file_id, table_id, column_id, value_count, null_count, min_value, max_value, "
                        "contains_nan, extra_stats FROM ducklake_file_column_stats ORDER BY column_id"),
            (Lines{"0|2|1|1000|0|0|999|NULL|NULL", "0|2|2|1000|0|0|999|NULL|NULL"}));
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_table_column_stats ORDER BY column_id"),
            (Lines{"2|1|0|NULL|0|999|NULL", "2|2|0|NULL|0|999|NULL"}));
  EXPECT_EQ(CatalogRows("SELECT table_id, record_count, next_row_id FROM ducklake_table_stats"), Lines{"2|1000|1000"});
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_schema_versions"), Lines{"2|2|2"});
  EXPECT_EQ(Rows("SELECT count(*), sum(source_id), sum(target_id) FROM stage.dsn.edges"), Lines{"1000|499500|499500"});
}

TEST_P(WriteTransaction, InsertsEveryTypeWithTheFixturesStats) {
  Commit(
      "CREATE TABLE stage.main.types (id INTEGER, b BOOLEAN, i8 TINYINT, i16 SMALLINT, i64 BIGINT, u32 UINTEGER, "
      "f FLOAT, d DOUBLE, dec DECIMAL(18,3), s VARCHAR, dt DATE, ts TIMESTAMP, tstz TIMESTAMPTZ, bl BLOB, u UUID, "
      "l INTEGER[], st STRUCT(a INTEGER, b VARCHAR), m MAP(VARCHAR, INTEGER))");
  EXPECT_EQ(Changes(1), "created_table:\"main\".\"types\"");
  EXPECT_EQ(CatalogRows("SELECT column_id, column_order, column_name, column_type, parent_column, default_value_type "
                        "FROM ducklake_column WHERE column_id >= 15 ORDER BY column_id"),
            (Lines{"15|15|u|uuid|NULL|literal", "16|16|l|list|NULL|", "17|17|element|int32|16|literal",
                   "18|18|st|struct|NULL|", "19|19|a|int32|18|literal", "20|20|b|varchar|18|literal",
                   "21|21|m|map|NULL|", "22|22|key|varchar|21|literal", "23|23|value|int32|21|literal"}));
  SnapshotId inserted = Commit(R"(INSERT INTO stage.main.types VALUES
 (1, true, -8, 1600, 9000000000, 4000000000, 1.5, 2.25, 12345.678, 'hello', DATE '2024-02-29', TIMESTAMP '2024-02-29 12:34:56.789', TIMESTAMPTZ '2024-02-29 12:34:56+00', '\xAA\xBB'::BLOB, '0190e1a4-1f5b-7cc0-8b8e-6a9c1d2e3f40', [1,2,3], {'a': 1, 'b': 'x'}, MAP {'k1': 1, 'k2': 2}),
 (2, false, NULL, NULL, NULL, NULL, NULL, 'nan'::DOUBLE, NULL, 'wörld ''quoted''', NULL, NULL, NULL, NULL, NULL, [], {'a': NULL, 'b': NULL}, MAP {}),
 (3, NULL, 127, -32768, -1, 0, 'inf'::FLOAT, -0.0, -0.001, '', DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00', NULL, ''::BLOB, NULL, NULL, NULL, NULL))");
  EXPECT_EQ(Changes(inserted), "inserted_into_table:1");
  // The fixture's file 1 (ducklake_file_column_stats), except the element counts inside lists and
  // maps that DuckDB 1.4's writer does not report.
  EXPECT_EQ(CatalogRows("SELECT column_id, value_count, null_count, min_value, max_value, contains_nan "
                        "FROM ducklake_file_column_stats ORDER BY column_id"),
            (Lines{"1|3|0|1|3|NULL",
                   "2|2|1|0|1|NULL",
                   "3|2|1|-8|127|NULL",
                   "4|2|1|-32768|1600|NULL",
                   "5|2|1|-1|9000000000|NULL",
                   "6|2|1|0|4000000000|NULL",
                   "7|2|1|1.5|inf|0",
                   "8|3|0|0.0|2.25|1",
                   "9|2|1|-0.001|12345.678|NULL",
                   "10|3|0||wörld 'quoted'|NULL",
                   "11|2|1|1970-01-01|2024-02-29|NULL",
                   "12|2|1|1970-01-01 00:00:00|2024-02-29 12:34:56.789|NULL",
                   "13|1|2|2024-02-29 12:34:56+00|2024-02-29 12:34:56+00|NULL",
                   "14|2|1||AABB|NULL",
                   "15|1|2|0190e1a4-1f5b-7cc0-8b8e-6a9c1d2e3f40|0190e1a4-1f5b-7cc0-8b8e-6a9c1d2e3f40|NULL",
                   "17|NULL|NULL|1|3|NULL",
                   "19|1|2|1|1|NULL",
                   "20|1|2|x|x|NULL",
                   "22|NULL|NULL|k1|k2|NULL",
                   "23|NULL|NULL|1|2|NULL"}));
  EXPECT_EQ(CatalogRows("SELECT column_id, contains_null, contains_nan, min_value, max_value FROM "
                        "ducklake_table_column_stats WHERE column_id IN (2, 7, 8, 13, 17) ORDER BY column_id"),
            (Lines{"2|1|NULL|0|1", "7|1|0|1.5|inf", "8|0|1|0.0|2.25",
                   "13|1|NULL|2024-02-29 12:34:56+00|2024-02-29 12:34:56+00", "17|NULL|NULL|1|3"}));
  engine_->Query("SET TimeZone = 'UTC'");
  EXPECT_EQ(Rows("SELECT id, b, s, tstz, bl, l, st, m FROM stage.main.types ORDER BY id"),
            (Lines{"1|true|hello|2024-02-29 12:34:56+00|\\xAA\\xBB|[1, 2, 3]|{'a': 1, 'b': x}|{k1=1, k2=2}",
                   "2|false|wörld 'quoted'|NULL|NULL|[]|{'a': NULL, 'b': NULL}|{}", "3|NULL||NULL||NULL|NULL|NULL"}));
}

TEST_P(WriteTransaction, DeletesWithPositionalDeleteFilesReplacingThePreviousOne) {
  CreateEdges();
  EXPECT_EQ(Count("DELETE FROM stage.dsn.edges WHERE source_id % 10 = 0"), 100);
  SnapshotId first = Commit("SELECT 1");
  EXPECT_EQ(Changes(first), "deleted_from_table:2");
  EXPECT_EQ(
      CatalogRows("SELECT delete_file_id, table_id, begin_snapshot, end_snapshot, data_file_id, path_is_relative, "
                  "format, delete_count, encryption_key, partial_max FROM ducklake_delete_file"),
      Lines{"1|2|3|NULL|0|1|parquet|100|NULL|NULL"});
  EXPECT_EQ(CatalogRows("SELECT schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                        "WHERE snapshot_id = 3"),
            Lines{"2|3|2"});
  EXPECT_EQ(Rows("SELECT count(*), min(source_id) FROM stage.dsn.edges"), Lines{"900|1"});

  // The delete file holds the data file's absolute path and 0-based positions, with field ids.
  std::string delete_uri = data_path_ + "dsn/edges/" + CatalogRows("SELECT path FROM ducklake_delete_file").at(0);
  std::string data_uri = data_path_ + "dsn/edges/" + CatalogRows("SELECT path FROM ducklake_data_file").at(0);
  EXPECT_EQ(Rows("SELECT count(*), min(pos), max(pos), min(file_path), max(file_path) FROM read_parquet('" +
                 delete_uri + "')"),
            Lines{"100|0|990|" + data_uri + "|" + data_uri});
  EXPECT_EQ(Rows("SELECT name, field_id FROM parquet_schema('" + delete_uri + "') WHERE field_id IS NOT NULL"),
            (Lines{"file_path|2147483646", "pos|2147483645"}));

  // The same file twice in one transaction: one delete file.
  SnapshotId second = Commit(
      "BEGIN; DELETE FROM stage.dsn.edges AS e WHERE e.source_id < 5; "
      "DELETE FROM stage.dsn.edges WHERE source_id BETWEEN 5 AND 6; COMMIT");
  EXPECT_EQ(CatalogRows("SELECT delete_file_id, begin_snapshot, end_snapshot, data_file_id, delete_count "
                        "FROM ducklake_delete_file ORDER BY delete_file_id"),
            (Lines{"1|3|4|0|100", "2|4|NULL|0|106"}));
  EXPECT_EQ(Rows("SELECT count(*), min(source_id) FROM stage.dsn.edges"), Lines{"894|7"});
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats"), Lines{"1000|1000"});
  EXPECT_EQ(Count("DELETE FROM stage.dsn.edges WHERE false"), 0);
  EXPECT_EQ(Commit("SELECT 1"), second);
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{std::to_string(second)});
}

TEST_P(WriteTransaction, DeletingEveryRowOfAFileEndsTheFile) {
  CreateEdges();
  Commit("INSERT INTO stage.dsn.edges VALUES (2000, 1), (2001, 2)");
  EXPECT_EQ(Count("DELETE FROM stage.dsn.edges WHERE source_id < 10"), 10);
  EXPECT_EQ(Count("DELETE FROM stage.dsn.edges WHERE source_id < 2000"), 990);
  SnapshotId emptied = Commit("SELECT 1");
  EXPECT_EQ(Changes(emptied), "deleted_from_table:2");
  // The data file and its delete file end together; no new delete file is written.
  EXPECT_EQ(CatalogRows("SELECT data_file_id, end_snapshot FROM ducklake_data_file ORDER BY 1"),
            (Lines{"0|5", "1|NULL"}));
  EXPECT_EQ(CatalogRows("SELECT delete_file_id, data_file_id, begin_snapshot, end_snapshot FROM ducklake_delete_file"),
            Lines{"2|0|4|5"});
  EXPECT_EQ(CatalogRows("SELECT next_file_id FROM ducklake_snapshot WHERE snapshot_id = 5"), Lines{"3"});
  EXPECT_EQ(Rows("SELECT count(*), min(source_id) FROM stage.dsn.edges"), Lines{"2|2000"});
  EXPECT_EQ(Count("DELETE FROM stage.dsn.edges"), 2);
  SnapshotId all = Commit("SELECT 1");
  EXPECT_EQ(Changes(all), "deleted_from_table:2");
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"0"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_data_file WHERE end_snapshot IS NULL"), Lines{"0"});
}

TEST_P(WriteTransaction, DeletesAndUpdatesRowsItInsertedItself) {
  CreateEdges();
  engine_->Query("BEGIN; INSERT INTO stage.dsn.edges VALUES (2000, 1), (2001, 2), (2002, 3)");
  EXPECT_EQ(Count("DELETE FROM stage.dsn.edges WHERE source_id IN (2001, 5)"), 2);
  EXPECT_EQ(Count("UPDATE stage.dsn.edges SET target_id = -1 WHERE source_id IN (2000, 6)"), 2);
  // The transaction sees its own changes; nobody else does until it commits.
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"1001"});
  EXPECT_EQ(Commit("COMMIT"), 3);
  EXPECT_EQ(Changes(3), "inserted_into_table:2,deleted_from_table:2");
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"1001"});
  EXPECT_EQ(Rows("SELECT source_id, target_id FROM stage.dsn.edges WHERE source_id IN (5, 6, 2000, 2001, 2002) "
                 "ORDER BY 1"),
            (Lines{"6|-1", "2000|-1", "2002|3"}));
  // Registered: the inserted file (3 rows, 2001 and 2000 deleted from it by a delete file of
  // the same snapshot), the new version of 6 with its row id and the new version of 2000.
  EXPECT_EQ(CatalogRows("SELECT record_count, row_id_start FROM ducklake_data_file WHERE begin_snapshot = 3 "
                        "ORDER BY row_id_start"),
            (Lines{"3|1000", "1|1003", "1|1004"}));
  EXPECT_EQ(CatalogRows("SELECT delete_count, begin_snapshot FROM ducklake_delete_file ORDER BY 1"),
            (Lines{"2|3", "2|3"}));
  EXPECT_EQ(store_->List("stage/dsn/edges/").size(), 6u);  // 4 data files, 2 delete files
  EXPECT_EQ(Rows("SELECT source_id, rowid FROM stage.dsn.edges WHERE source_id IN (6, 2000, 2002) ORDER BY 1"),
            (Lines{"6|6", "2000|1004", "2002|1002"}));
}

TEST_P(WriteTransaction, UpdatesAsDeletePlusInsertKeepingRowIds) {
  CreateEdges();
  EXPECT_EQ(Count("UPDATE stage.dsn.edges SET target_id = target_id + 1000000 WHERE source_id IN (3, 500)"), 2);
  SnapshotId updated = Commit("SELECT 1");
  EXPECT_EQ(Changes(updated), "inserted_into_table:2,deleted_from_table:2");
  EXPECT_EQ(CatalogRows("SELECT data_file_id, record_count, row_id_start FROM ducklake_data_file ORDER BY 1"),
            (Lines{"0|1000|0", "1|2|1000"}));
  EXPECT_EQ(CatalogRows("SELECT delete_file_id, data_file_id, delete_count FROM ducklake_delete_file"), Lines{"2|0|2"});
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats"), Lines{"1002|1002"});
  EXPECT_EQ(Rows("SELECT source_id, target_id FROM stage.dsn.edges WHERE target_id > 1000 ORDER BY 1"),
            (Lines{"3|1000021", "500|1000500"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"1000"});
  std::string uri =
      data_path_ + "dsn/edges/" + CatalogRows("SELECT path FROM ducklake_data_file WHERE data_file_id = 1").at(0);
  EXPECT_EQ(Rows("SELECT source_id, _ducklake_internal_row_id FROM read_parquet('" + uri + "') ORDER BY 1"),
            (Lines{"3|3", "500|500"}));
  EXPECT_EQ(Rows("SELECT name, field_id FROM parquet_schema('" + uri + "') WHERE field_id IS NOT NULL"),
            (Lines{"source_id|1", "target_id|2", "_ducklake_internal_row_id|2147483540"}));

  // Updating an updated row deletes it from the second file and keeps its id again.
  EXPECT_EQ(Count("UPDATE stage.dsn.edges SET target_id = -1 WHERE source_id = 3"), 1);
  std::string last = CatalogRows("SELECT path FROM ducklake_data_file WHERE data_file_id = 3").at(0);
  EXPECT_EQ(Rows("SELECT _ducklake_internal_row_id FROM read_parquet('" + data_path_ + "dsn/edges/" + last + "')"),
            Lines{"3"});
  EXPECT_EQ(CatalogRows("SELECT delete_file_id, data_file_id, delete_count FROM ducklake_delete_file "
                        "WHERE end_snapshot IS NULL ORDER BY 1"),
            (Lines{"2|0|2", "4|1|1"}));
  EXPECT_EQ(Rows("SELECT count(*), count(*) FILTER (target_id = -1) FROM stage.dsn.edges"), Lines{"1000|1"});
}

TEST_P(WriteTransaction, WritesLargeResultsAsSeveralFilesOfTheTargetSize) {
  WriteOptions options;
  options.target_file_size = 4 * 1024 * 1024;
  Attach(*engine_, options);
  EXPECT_EQ(Count("CREATE TABLE stage.main.big AS SELECT i, md5(i::VARCHAR) AS s FROM range(600000) t(i)"), 600000);
  auto files = CatalogRows("SELECT record_count, row_id_start, file_size_bytes FROM ducklake_data_file ORDER BY 1");
  ASSERT_GE(files.size(), 3u);
  // Row ids run on from file to file, whatever order the files were finished in.
  int64_t rows = 0;
  for (const auto& row :
       CatalogRows("SELECT row_id_start, record_count FROM ducklake_data_file ORDER BY row_id_start")) {
    EXPECT_EQ(std::stoll(row.substr(0, row.find('|'))), rows);
    rows += std::stoll(row.substr(row.find('|') + 1));
  }
  EXPECT_EQ(rows, 600000);
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id, file_size_bytes = (SELECT sum(file_size_bytes) FROM "
                        "ducklake_data_file) FROM ducklake_table_stats"),
            Lines{"600000|600000|1"});
  EXPECT_EQ(
      CatalogRows("SELECT min(CAST(min_value AS INTEGER)), max(CAST(max_value AS INTEGER)), sum(value_count) FROM "
                  "ducklake_file_column_stats WHERE column_id = 1"),
      Lines{"0|599999|600000"});
  EXPECT_EQ(Rows("SELECT count(*), count(DISTINCT s), sum(i) FROM stage.main.big"),
            Lines{"600000|600000|179999700000"});

  // The catalog's own target_file_size option (set_option) applies when the caller sets none.
  metadata_->Execute("INSERT INTO ducklake_metadata VALUES ('target_file_size', '2MB', 'table', 1)");
  Attach(*engine_);
  Commit("INSERT INTO stage.main.big SELECT i, md5(i::VARCHAR) FROM range(300000) t(i)");
  EXPECT_GE(std::stoll(CatalogRows("SELECT count(*) FROM ducklake_data_file WHERE begin_snapshot = 2").at(0)), 3);
}

// Keys of the data and delete files under the table folder stage/<schema>/<table>/.
std::set<std::string> StoredFiles(ObjectStore& store, const std::string& folder) {
  std::set<std::string> keys;
  for (const auto& object : store.List("stage/" + folder)) keys.insert(object.key);
  return keys;
}

TEST_P(WriteTransaction, RemovesTheFilesOfTransactionsThatDoNotCommit) {
  CreateEdges();
  std::set<std::string> before = StoredFiles(*store_, "dsn/edges/");
  ASSERT_EQ(before.size(), 1u);
  engine_->Query("BEGIN; DELETE FROM stage.dsn.edges WHERE source_id = 7; INSERT INTO stage.dsn.edges VALUES (1, 2)");
  EXPECT_EQ(StoredFiles(*store_, "dsn/edges/").size(), 3u);
  engine_->Query("ROLLBACK");
  EXPECT_EQ(StoredFiles(*store_, "dsn/edges/"), before);

  // A failed commit removes its files too: another engine (process) drops the table meanwhile.
  Engine other(store_, settings_);
  Attach(other);
  engine_->Query("BEGIN; INSERT INTO stage.dsn.edges VALUES (1, 2)");
  other.Query("DROP TABLE stage.dsn.edges");
  EXPECT_THROW(engine_->Query("COMMIT"), Error);
  EXPECT_EQ(StoredFiles(*store_, "dsn/edges/"), before);

  // A committed one keeps what it registered and removes what it superseded: the first of two
  // delete files of one data file, the empty file of an empty result.
  Commit("BEGIN; CREATE TABLE stage.dsn.empty AS SELECT 1 AS x WHERE false; "
         "CREATE TABLE stage.dsn.t AS SELECT range::INTEGER AS x FROM range(10); COMMIT");
  Commit("BEGIN; DELETE FROM stage.dsn.t WHERE x = 1; DELETE FROM stage.dsn.t WHERE x = 2; COMMIT");
  EXPECT_EQ(StoredFiles(*store_, "dsn/empty/").size(), 0u);
  EXPECT_EQ(StoredFiles(*store_, "dsn/t/").size(), 2u);
  EXPECT_EQ(CatalogRows("SELECT delete_count FROM ducklake_delete_file"), Lines{"2"});
}

// A process keeps its catalog connections between transactions; a catalog file renamed over
// the old one meanwhile (what `dlctl backup restore` does) is another catalog from then on.
class WriteAfterRestore : public WriteLakeTest {};

TEST_P(WriteAfterRestore, AKeptConnectionFollowsACatalogFileRenamedOverIt) {
  Commit("CREATE TABLE stage.main.t AS SELECT 1 AS i");
  std::filesystem::path saved = dir_.path() / "saved.sqlite";
  std::filesystem::copy_file(catalog_path_, saved);
  SnapshotId before_restore = Commit("INSERT INTO stage.main.t VALUES (2)");
  EXPECT_EQ(Rows("SELECT i FROM stage.main.t ORDER BY i"), (Lines{"1", "2"}));

  std::filesystem::rename(saved, catalog_path_);
  SnapshotId after_restore = Commit("INSERT INTO stage.main.t VALUES (3)");
  EXPECT_EQ(after_restore, before_restore) << "the restored catalog had one snapshot less";
  EXPECT_EQ(Rows("SELECT i FROM stage.main.t ORDER BY i"), (Lines{"1", "3"}));

  // What the file on disk holds, as another process reads it.
  Engine other(store_, settings_);
  Attach(other);
  EXPECT_EQ(testing::JoinedRows(other.Query("SELECT i FROM stage.main.t ORDER BY i")), (Lines{"1", "3"}));
}

TEST(WriteTargetFileSize, ParsesSizesAsDuckDBDoes) {
  EXPECT_EQ(ParseByteSize("536870912"), 536870912u);
  EXPECT_EQ(ParseByteSize("512MB"), 512000000u);
  EXPECT_EQ(ParseByteSize("1.5 GiB"), 1610612736u);
  EXPECT_EQ(ParseByteSize("10kib"), 10240u);
  EXPECT_THROW(ParseByteSize("big"), Error);
  EXPECT_THROW(ParseByteSize("5 parsecs"), Error);
}

INSTANTIATE_TEST_SUITE_P(Write, WriteTransaction, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);
// A file renamed over another is SQLite's case; a PostgreSQL schema is restored in place.
INSTANTIATE_TEST_SUITE_P(Write, WriteAfterRestore,
                         ::testing::Values(LakeSetup{StoreKind::kLocal, MetadataKind::kSqlite}), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
