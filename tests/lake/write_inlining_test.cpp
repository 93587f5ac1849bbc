// Data inlining (spec notes §7) with the default data_inlining_row_limit, on SQLite and
// PostgreSQL catalogs, local and S3 data: small inserts and updates kept in the catalog, deletes
// of inlined rows and of a few Parquet rows listed there, inside and across transactions; the
// limit from the catalog's option or the session; ducklake_flush_inlined_data writing it all to
// Parquet with every snapshot reading the same; RETURNING.
#include <algorithm>
#include <map>

#include "attach_catalog.h"
#include "lake/maintenance/catalog_copy.h"
#include "lake/metadata/catalog_time.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

class WriteInlining : public WriteLakeTest {
 protected:
  void SetUp() override {
    inlining_row_limit_ = std::nullopt;  // as a user gets it: the default (10)
    WriteLakeTest::SetUp();
  }

  std::string Changes(SnapshotId id) {
    return CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = " + std::to_string(id))
        .at(0);
  }

  // The error a statement fails with.
  std::string ErrorOf(const std::string& sql) {
    try {
      engine_->Query(sql);
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error: " << sql;
    return {};
  }

  // Every row (with its row id) of `table` at every snapshot that has it.
  std::map<SnapshotId, Lines> History(const std::string& table) {
    std::map<SnapshotId, Lines> history;
    SnapshotId last = std::stoll(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot").at(0));
    for (SnapshotId s = 0; s <= last; ++s) {
      try {
        history[s] = Rows("SELECT rowid, * FROM " + table + " AT (VERSION => " + std::to_string(s) + ") ORDER BY ALL");
      } catch (const Error&) {
        // not there yet
      }
    }
    return history;
  }
};

TEST_P(WriteInlining, SmallInsertsStayInTheCatalogLargeOnesGoToParquet) {
  Commit("CREATE TABLE stage.main.t (id INTEGER, name VARCHAR, score DOUBLE, tags INTEGER[], "
         "info STRUCT(a INTEGER, b VARCHAR), raw BLOB, \"at\" TIMESTAMPTZ, ok BOOLEAN)");
  // Every table that can inline gets an inlined data table for its layout, as the extension does.
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_inlined_data_tables"), Lines{"1|ducklake_inlined_data_1_1|1"});
  engine_->Query("SET TimeZone = 'America/New_York'");  // stored as UTC whatever the session's zone
  EXPECT_EQ(Commit("INSERT INTO stage.main.t VALUES "
                   "(1, 'a', 1.5, [1, 2], {'a': 1, 'b': 'x'}, '\\xAA'::BLOB, TIMESTAMPTZ '2024-01-02 03:04:05+00', true), "
                   "(2, NULL, 'nan'::DOUBLE, [], NULL, NULL, NULL, false), "
                   "(3, 'it''s', -0.5, NULL, {'a': NULL, 'b': NULL}, ''::BLOB, NULL, NULL)"),
            2);
  EXPECT_EQ(Changes(2), "inlined_insert:1");
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_data_file"), Lines{"0"});
  // No file, yet a file id taken, as the extension does.
  EXPECT_EQ(CatalogRows("SELECT schema_version, next_file_id FROM ducklake_snapshot WHERE snapshot_id = 2"),
            Lines{"1|1"});
  EXPECT_EQ(CatalogRows("SELECT row_id, begin_snapshot, end_snapshot, id FROM ducklake_inlined_data_1_1 ORDER BY 1"),
            (Lines{"0|2|NULL|1", "1|2|NULL|2", "2|2|NULL|3"}));
  if (GetParam().metadata == MetadataKind::kSqlite) {  // the extension's forms, as in the inlined fixture
    EXPECT_EQ(CatalogRows("SELECT name, score, tags, info, hex(raw), \"at\", ok FROM ducklake_inlined_data_1_1 "
                          "ORDER BY row_id"),
              (Lines{"a|1.5|[1, 2]|{'a': 1, 'b': 'x'}|AA|2024-01-02 03:04:05+00|1",
                     "NULL|nan|[]|NULL||NULL|0", "it's|-0.5|NULL|{'a': NULL, 'b': NULL}||NULL|NULL"}));
  }
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id, file_size_bytes FROM ducklake_table_stats"),
            Lines{"3|3|0"});
  // Bounds as DuckDB's text of the values (booleans false/true, NaN the largest), no NaN flag.
  EXPECT_EQ(CatalogRows("SELECT column_id, contains_null, contains_nan, min_value, max_value FROM "
                        "ducklake_table_column_stats ORDER BY column_id"),
            (Lines{"1|0|NULL|1|3", "2|1|NULL|a|it's", "3|0|NULL|-0.5|nan", "5|0|NULL|1|2", "7|1|NULL|1|1",
                   "8|1|NULL|x|x", "9|1|NULL||\\xAA", "10|1|NULL|2024-01-02 03:04:05+00|2024-01-02 03:04:05+00",
                   "11|1|NULL|false|true"}));
  engine_->Query("SET TimeZone = 'UTC'");
  EXPECT_EQ(Rows("SELECT rowid, * FROM stage.main.t ORDER BY id"),
            (Lines{"0|1|a|1.5|[1, 2]|{'a': 1, 'b': x}|\\xAA|2024-01-02 03:04:05+00|true",
                   "1|2|NULL|nan|[]|NULL|NULL|NULL|false", "2|3|it's|-0.5|NULL|{'a': NULL, 'b': NULL}||NULL|NULL"}));

  // Past the limit: a Parquet file, its row ids after the inlined ones.
  EXPECT_EQ(Count("INSERT INTO stage.main.t (id) SELECT range FROM range(100, 111)"), 11);
  EXPECT_EQ(Changes(3), "inserted_into_table:1");
  EXPECT_EQ(CatalogRows("SELECT data_file_id, begin_snapshot, record_count, row_id_start FROM ducklake_data_file"),
            Lines{"1|3|11|3"});
  EXPECT_EQ(Rows("SELECT count(*), min(rowid), max(rowid) FROM stage.main.t"), Lines{"14|0|13"});
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.t AT (VERSION => 2)"), Lines{"3"});

  // CREATE TABLE AS of a few rows inlines them too, into the new table's inlined table.
  EXPECT_EQ(Count("CREATE TABLE stage.main.c AS SELECT 42 AS answer"), 1);
  EXPECT_EQ(Changes(4), "created_table:\"main\".\"c\",inlined_insert:2");
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_inlined_data_2_2"), Lines{"0|4|NULL|42"});
  EXPECT_EQ(Rows("SELECT * FROM stage.main.c"), Lines{"42"});
}

TEST_P(WriteInlining, UpdatesAndDeletesReachInlinedRowsAndListFewParquetDeletes) {
  Commit("CREATE TABLE stage.main.t (id INTEGER, v VARCHAR)");
  Commit("INSERT INTO stage.main.t VALUES (0, 'a'), (1, 'b'), (2, 'c')");                    // 2: row ids 0-2
  Commit("INSERT INTO stage.main.t SELECT 100 + range, 'p' FROM range(20)");                 // 3: file 1, ids 3-22
  // Two rows updated: their new versions inlined with the ids they had, the old ones ended or
  // listed as deleted (the Parquet one at its position in file 1).
  EXPECT_EQ(Count("UPDATE stage.main.t SET v = 'u' WHERE id IN (1, 105)"), 2);
  EXPECT_EQ(Changes(4), "inlined_insert:1,inlined_delete:1");
  EXPECT_EQ(CatalogRows("SELECT row_id, begin_snapshot, end_snapshot, id, v FROM ducklake_inlined_data_1_1 "
                        "ORDER BY 2, 1"),
            (Lines{"0|2|NULL|0|a", "1|2|4|1|b", "2|2|NULL|2|c", "1|4|NULL|1|u", "8|4|NULL|105|u"}));
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_inlined_delete_1"), Lines{"1|5|4"});
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats"), Lines{"25|23"});
  EXPECT_EQ(Rows("SELECT rowid, id, v FROM stage.main.t WHERE v = 'u' ORDER BY id"), (Lines{"1|1|u", "8|105|u"}));

  // An inlined row ends; three Parquet rows are listed.
  EXPECT_EQ(Count("DELETE FROM stage.main.t WHERE id = 2 OR id BETWEEN 110 AND 112"), 4);
  EXPECT_EQ(Changes(5), "inlined_delete:1");
  EXPECT_EQ(CatalogRows("SELECT file_id, row_id, begin_snapshot FROM ducklake_inlined_delete_1 ORDER BY 3, 2"),
            (Lines{"1|5|4", "1|10|5", "1|11|5", "1|12|5"}));
  // More rows of a file than the limit: a delete file with every deleted position of it, the
  // listed ones too.
  EXPECT_EQ(Count("DELETE FROM stage.main.t WHERE id >= 113 OR id BETWEEN 100 AND 103"), 11);
  EXPECT_EQ(Changes(6), "deleted_from_table:1");
  EXPECT_EQ(Count("DELETE FROM stage.main.t WHERE id BETWEEN 106 AND 107 OR id = 0"), 3);
  EXPECT_EQ(Changes(7), "inlined_delete:1");
  EXPECT_EQ(CatalogRows("SELECT data_file_id, begin_snapshot, end_snapshot, delete_count FROM ducklake_delete_file"),
            Lines{"1|6|NULL|15"});
  EXPECT_EQ(Rows("SELECT id, v FROM stage.main.t ORDER BY id"), (Lines{"1|u", "104|p", "105|u", "108|p", "109|p"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.t AT (VERSION => 3)"), Lines{"23"});
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.t AT (VERSION => 5)"), Lines{"19"});
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.t AT (VERSION => 6)"), Lines{"8"});
  // MERGE: the matched row's new version inlined, the inserted one in a file (as the extension).
  Commit("MERGE INTO stage.main.t USING (SELECT 105 AS id, 'm' AS v UNION ALL SELECT 7, 'n') s ON t.id = s.id "
         "WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)");
  EXPECT_EQ(Changes(8), "inserted_into_table:1,inlined_insert:1,inlined_delete:1");
  EXPECT_EQ(Rows("SELECT rowid, id, v FROM stage.main.t ORDER BY id"),
            (Lines{"1|1|u", "23|7|n", "7|104|p", "8|105|m", "11|108|p", "12|109|p"}));
}

TEST_P(WriteInlining, TransactionsSeeTheirOwnInlinedRows) {
  Commit("CREATE TABLE stage.main.t (id INTEGER NOT NULL, v VARCHAR)");
  engine_->Query("BEGIN");
  EXPECT_EQ(Count("INSERT INTO stage.main.t VALUES (1, 'a'), (2, 'b')"), 2);
  EXPECT_EQ(Rows("SELECT rowid, id, v FROM stage.main.t ORDER BY id"), (Lines{"NULL|1|a", "NULL|2|b"}));
  EXPECT_EQ(Count("UPDATE stage.main.t SET v = 'a2' WHERE id = 1"), 1);
  EXPECT_EQ(Count("DELETE FROM stage.main.t WHERE id = 2"), 1);
  EXPECT_EQ(Count("INSERT INTO stage.main.t VALUES (3, 'c')"), 1);
  EXPECT_EQ(Rows("SELECT id, v FROM stage.main.t ORDER BY id"), (Lines{"1|a2", "3|c"}));
  EXPECT_NE(ErrorOf("INSERT INTO stage.main.t VALUES (NULL, 'x')").find("NOT NULL constraint failed"),
            std::string::npos);
  engine_->Query("ROLLBACK");
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{"1"});

  engine_->Query("BEGIN");
  Count("INSERT INTO stage.main.t VALUES (1, 'a'), (2, 'b')");
  Count("UPDATE stage.main.t SET v = 'a2' WHERE id = 1");
  Count("DELETE FROM stage.main.t WHERE id = 2");
  Count("INSERT INTO stage.main.t VALUES (3, 'c')");
  engine_->Query("COMMIT");
  // One snapshot; only the rows left get ids.
  EXPECT_EQ(Changes(2), "inlined_insert:1");
  EXPECT_EQ(CatalogRows("SELECT row_id, begin_snapshot, end_snapshot, id, v FROM ducklake_inlined_data_1_1 "
                        "ORDER BY 1"),
            (Lines{"0|2|NULL|1|a2", "1|2|NULL|3|c"}));
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats"), Lines{"2|2"});
  EXPECT_EQ(Rows("SELECT rowid, id, v FROM stage.main.t ORDER BY id"), (Lines{"0|1|a2", "1|3|c"}));
}

TEST_P(WriteInlining, TheLimitIsTheCatalogsOptionElseTheSessionsSetting) {
  Commit("CREATE TABLE stage.main.t (id INTEGER); CREATE TABLE stage.main.u (id INTEGER)");
  // As the extension stores it: a ducklake_metadata row, no snapshot.
  engine_->Query("CALL stage.set_option('data_inlining_row_limit', 2, table_name => 't')");
  EXPECT_EQ(CatalogRows("SELECT \"key\", \"value\", \"scope\", scope_id FROM ducklake_metadata WHERE \"key\" = "
                        "'data_inlining_row_limit'"),
            Lines{"data_inlining_row_limit|2|table|1"});
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{"2"});
  EXPECT_EQ(Changes(Commit("INSERT INTO stage.main.t VALUES (1), (2), (3)")), "inserted_into_table:1");
  EXPECT_EQ(Changes(Commit("INSERT INTO stage.main.t VALUES (4), (5)")), "inlined_insert:1");
  EXPECT_EQ(Changes(Commit("INSERT INTO stage.main.u VALUES (1), (2), (3)")), "inlined_insert:2");
  // The session's default applies to tables without an option of their own.
  engine_->Query("SET ducklake_default_data_inlining_row_limit = 0");
  EXPECT_EQ(Changes(Commit("INSERT INTO stage.main.u VALUES (4)")), "inserted_into_table:2");
  EXPECT_EQ(Changes(Commit("INSERT INTO stage.main.t VALUES (6)")), "inlined_insert:1");
  // The catalog's option wins over the session's.
  engine_->Query("CALL stage.set_option('data_inlining_row_limit', 5)");
  EXPECT_EQ(Changes(Commit("INSERT INTO stage.main.u VALUES (5), (6), (7), (8)")), "inlined_insert:2");
  engine_->Query("RESET ducklake_default_data_inlining_row_limit");
  EXPECT_EQ(Rows("SELECT count(*), sum(id) FROM stage.main.t"), Lines{"6|21"});
  EXPECT_EQ(Rows("SELECT count(*), sum(id) FROM stage.main.u"), Lines{"8|36"});

  EXPECT_NE(ErrorOf("CALL stage.set_option('parquet_compression', 'zstd')").find("not supported"), std::string::npos);
  Commit("CREATE TABLE stage.main.w (row_id INTEGER)");
  EXPECT_NE(ErrorOf("CALL stage.set_option('data_inlining_row_limit', 3, table_name => 'w')")
                .find("cannot enable data inlining for table \"w\""),
            std::string::npos);
  // Such a table never inlines, and has no inlined data table.
  EXPECT_EQ(Changes(Commit("INSERT INTO stage.main.w VALUES (1)")), "inserted_into_table:3");
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_inlined_data_tables WHERE table_id = 3"), Lines{"0"});
}

TEST_P(WriteInlining, FlushWritesInlinedRowsToParquetAndEverySnapshotReadsTheSame) {
  Commit("CREATE TABLE stage.main.t (id INTEGER, name VARCHAR, tags INTEGER[])");            // 1
  Commit("INSERT INTO stage.main.t VALUES (1, 'a', [1]), (2, 'b', []), (3, 'c', NULL)");     // 2
  Commit("UPDATE stage.main.t SET name = 'b2' WHERE id = 2");                                // 3
  Commit("DELETE FROM stage.main.t WHERE id = 3");                                           // 4
  Commit("ALTER TABLE stage.main.t ADD COLUMN extra INTEGER DEFAULT 7");                     // 5
  Commit("INSERT INTO stage.main.t VALUES (4, 'd', [4], 40), (5, 'e', NULL, NULL)");        // 6
  Commit("ALTER TABLE stage.main.t RENAME COLUMN name TO label");                            // 7
  Commit("INSERT INTO stage.main.t SELECT 100 + range, 'p', [range], range FROM range(20)"); // 8: Parquet
  Commit("DELETE FROM stage.main.t WHERE id IN (101, 102)");                                 // 9: listed
  Commit("DELETE FROM stage.main.t WHERE id BETWEEN 109 AND 121");                           // 10: delete file
  Commit("DELETE FROM stage.main.t WHERE id = 103 OR id = 5");                               // 11
  Commit("ALTER TABLE stage.main.t DROP COLUMN tags");                                       // 12
  SnapshotId last = Commit("INSERT INTO stage.main.t VALUES (6, 'f', 60)");                  // 13
  ASSERT_EQ(last, 13);
  EXPECT_EQ(CatalogRows("SELECT table_name FROM ducklake_inlined_data_tables ORDER BY schema_version"),
            (Lines{"ducklake_inlined_data_1_1", "ducklake_inlined_data_1_2", "ducklake_inlined_data_1_3",
                   "ducklake_inlined_data_1_4"}));
  std::map<SnapshotId, Lines> before = History("stage.main.t");

  EXPECT_EQ(Rows("CALL ducklake_flush_inlined_data('stage')"), Lines{"main|t|7"});
  EXPECT_EQ(LastCommittedSnapshot(*engine_, "stage"), 14);
  EXPECT_EQ(Changes(14), "deleted_from_table:1,inline_flush:1");
  EXPECT_EQ(CatalogRows("SELECT schema_version FROM ducklake_snapshot WHERE snapshot_id = 14"), Lines{"4"});
  // A file per inlined table that held rows, visible from its first row's snapshot, its rows'
  // ids and snapshots inside; the table's counts unchanged.
  EXPECT_EQ(CatalogRows("SELECT begin_snapshot, record_count, row_id_start, partial_max FROM ducklake_data_file "
                        "WHERE partial_max IS NOT NULL ORDER BY 1"),
            (Lines{"2|4|0|3", "6|2|3|6", "13|1|25|13"}));
  std::string flushed = CatalogRows("SELECT path FROM ducklake_data_file WHERE begin_snapshot = 2").at(0);
  EXPECT_EQ(Rows("SELECT id, name, _ducklake_internal_row_id, _ducklake_internal_snapshot_id FROM read_parquet('" +
                 data_path_ + "main/t/" + flushed + "') ORDER BY ALL"),
            (Lines{"1|a|0|2", "2|b|1|2", "2|b2|1|3", "3|c|2|2"}));  // positions in row id, snapshot order
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats"), Lines{"27|26"});
  // The rows left the catalog, the older layouts' tables went, the listed deletes became one
  // delete file with their history (replacing the file's delete file, scheduled for deletion).
  EXPECT_EQ(CatalogRows("SELECT table_name FROM ducklake_inlined_data_tables"), Lines{"ducklake_inlined_data_1_4"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_inlined_data_1_4"), Lines{"0"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_inlined_delete_1"), Lines{"0"});
  // (The flushed rows deleted before the flush are in delete files of the new files, from the
  // snapshot of their first deletion.)
  EXPECT_EQ(CatalogRows("SELECT begin_snapshot, end_snapshot, delete_count, partial_max FROM ducklake_delete_file "
                        "ORDER BY 1"),
            (Lines{"3|NULL|2|NULL", "9|NULL|14|11", "11|NULL|1|NULL"}));
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_files_scheduled_for_deletion"), Lines{"1"});

  std::map<SnapshotId, Lines> after = History("stage.main.t");
  EXPECT_EQ(after[14], before[13]);  // the flush changes no row
  after.erase(14);
  EXPECT_EQ(after, before);
  // Writing goes on: a new row inlined into the current layout's table, a flushed row deleted.
  EXPECT_EQ(Commit("BEGIN; INSERT INTO stage.main.t VALUES (7, 'g', 70); DELETE FROM stage.main.t WHERE id = 4; "
                   "COMMIT"),
            15);
  EXPECT_EQ(Rows("SELECT id, label, extra FROM stage.main.t ORDER BY id"),
            (Lines{"1|a|7", "2|b2|7", "6|f|60", "7|g|70", "100|p|0", "104|p|4", "105|p|5", "106|p|6", "107|p|7",
                   "108|p|8"}));
  before = History("stage.main.t");
  EXPECT_EQ(Rows("CALL ducklake_flush_inlined_data('stage', schema_name => 'main', table_name => 't')"),
            Lines{"main|t|1"});
  after = History("stage.main.t");
  EXPECT_EQ(after[16], before[15]);
  after.erase(16);
  EXPECT_EQ(after, before);
  // Nothing left to flush: no snapshot.
  EXPECT_EQ(Rows("CALL ducklake_flush_inlined_data('stage')"), Lines{});
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{"16"});
}

TEST_P(WriteInlining, AFlushConflictsWithDeletesOfTheRowsItMoves) {
  Commit("CREATE TABLE stage.main.t (id INTEGER)");
  Commit("INSERT INTO stage.main.t VALUES (1), (2)");
  Engine other(store_, settings_, EngineOptions{.threads = 2});
  Attach(other);
  other.Query("BEGIN");
  other.Query("DELETE FROM stage.main.t WHERE id = 1");
  EXPECT_EQ(Rows("CALL ducklake_flush_inlined_data('stage')"), Lines{"main|t|2"});
  std::string error;
  try {
    other.Query("COMMIT");
  } catch (const Error& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("this transaction deletes inlined rows of table \"main\".\"t\" but another writer flushed "
                       "them to Parquet"),
            std::string::npos)
      << error;
  EXPECT_EQ(Rows("SELECT id FROM stage.main.t ORDER BY id"), (Lines{"1", "2"}));
}

TEST_P(WriteInlining, ReturningGivesTheRowsWritten) {
  Commit("CREATE TABLE stage.main.r (id INTEGER, name VARCHAR DEFAULT 'd')");
  EXPECT_EQ(Rows("INSERT INTO stage.main.r VALUES (1, 'a'), (2, 'b') RETURNING id, name"), (Lines{"1|a", "2|b"}));
  EXPECT_EQ(Rows("INSERT INTO stage.main.r (id) VALUES (3) RETURNING *, id * 10 AS ten"), Lines{"3|d|30"});
  Lines many = Rows("INSERT INTO stage.main.r SELECT range, 'x' FROM range(10, 30) RETURNING id");  // a file
  std::sort(many.begin(), many.end());
  EXPECT_EQ(many.size(), 20u);
  EXPECT_EQ(many.front(), "10");
  Lines updated = Rows("UPDATE stage.main.r SET name = name || '!' WHERE id < 3 OR id = 10 RETURNING id, name");
  std::sort(updated.begin(), updated.end());
  EXPECT_EQ(updated, (Lines{"10|x!", "1|a!", "2|b!"}));
  EXPECT_EQ(Rows("SELECT count(*), count(*) FILTER (name LIKE '%!') FROM stage.main.r"), Lines{"23|3"});
  EXPECT_NE(ErrorOf("DELETE FROM stage.main.r WHERE id = 1 RETURNING id")
                .find("DELETE ... RETURNING is not supported on DuckLake tables"),
            std::string::npos);
  EXPECT_NE(ErrorOf("MERGE INTO stage.main.r USING (SELECT 1 AS id) s ON r.id = s.id WHEN MATCHED THEN DELETE "
                    "RETURNING *")
                .find("MERGE ... RETURNING is not supported on DuckLake tables"),
            std::string::npos);
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.r"), Lines{"23"});
}

// Strings inlined into a PostgreSQL catalog are BYTEA (as the extension keeps them, NUL bytes
// and all); a copy into SQLite makes them VARCHAR text again, and both read the same.
TEST_P(WriteInlining, InlinedStringsKeepTheirStoreTypeAndMigrate) {
  Commit("CREATE TABLE stage.main.s (id INTEGER, v VARCHAR)");
  Commit("INSERT INTO stage.main.s VALUES (1, 'wörld ''q'''), (2, NULL), (3, 'a' || chr(0) || 'b')");
  const Lines rows{"1|wörld 'q'|10", "2|NULL|NULL", "3|a\\0b|3"};
  EXPECT_EQ(Rows("SELECT id, replace(v, chr(0), '\\0'), strlen(v) FROM stage.main.s ORDER BY id"), rows);
  if (GetParam().metadata == MetadataKind::kSqlite) {
    EXPECT_EQ(CatalogRows("SELECT typeof(v) FROM ducklake_inlined_data_1_1 ORDER BY row_id"),
              (Lines{"text", "null", "text"}));
    return;
  }
  EXPECT_EQ(CatalogRows("SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND "
                        "table_name = 'ducklake_inlined_data_1_1' AND column_name = 'v'"),
            Lines{"bytea"});
  SqliteMetadataStore copy(dir_.path() / "copy.sqlite", true);
  CopyCatalog(*metadata_, copy, false);
  EXPECT_EQ(testing::JoinedRows(copy.Query("SELECT type FROM pragma_table_info('ducklake_inlined_data_1_1') WHERE "
                                           "name = 'v'")),
            Lines{"VARCHAR"});
  EXPECT_EQ(testing::JoinedRows(copy.Query("SELECT typeof(v) FROM ducklake_inlined_data_1_1 ORDER BY row_id")),
            (Lines{"text", "null", "text"}));
  AttachSqliteCatalog(*engine_, dir_.path() / "copy.sqlite", data_path_, "copied");
  EXPECT_EQ(Rows("SELECT id, replace(v, chr(0), '\\0'), strlen(v) FROM copied.main.s ORDER BY id"), rows);
}

INSTANTIATE_TEST_SUITE_P(Write, WriteInlining, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
