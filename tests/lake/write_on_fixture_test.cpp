// Writing to a catalog the official extension wrote (a copy of fixtures/ducklake/parquet_only):
// deletes that extend its delete files, updates of rows it already updated (their row ids kept),
// inserts into its partitioned table, deletes of rows it inlined; the result reads back as expected.
#include <filesystem>
#include <regex>

#include "attach_catalog.h"
#include "duckdb_cli_csv.h"
#include "storage/local_store.h"
#include "support/test_env.h"
#include "util/error.h"
#include "write_lake_fixture.h"
#include "support/joined_rows.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

class WriteOnFixture : public ::testing::Test {
 protected:
  void SetUp() override { Open("parquet_only"); }

  void Open(const std::string& lake) {
    fs::path fixture = fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / lake;
    fs::remove_all(dir_.path() / "lake");
    fs::copy(fixture, dir_.path() / "lake", fs::copy_options::recursive);
    data_path_ = (dir_.path() / "lake" / "data").string() + "/";
    store_ = std::make_unique<SqliteMetadataStore>(dir_.path() / "lake" / "catalog.sqlite", false);
    settings_.bucket = "lake";
    engine_ = std::make_unique<Engine>(std::make_shared<LocalStore>(dir_.path() / "bucket"), settings_);
    engine_->Query("SET TimeZone = 'UTC'");
    // As the fixture's build.sql attached it: parquet_only with DATA_INLINING_ROW_LIMIT 0.
    WriteOptions write;
    write.data_inlining_row_limit = lake == "parquet_only" ? 0 : 10;
    AttachSqliteCatalog(*engine_, dir_.path() / "lake" / "catalog.sqlite", data_path_, "lake", std::nullopt, write);
  }

  std::vector<std::string> Rows(const std::string& sql) {
    return testing::JoinedRows(engine_->Query(sql));
  }
  std::vector<std::string> CatalogRows(const std::string& sql) {
    return testing::JoinedRows(store_->Query(sql));
  }
  // The engine's latest commit to the catalog.
  SnapshotId Committed() { return LastCommittedSnapshot(*engine_, "lake").value_or(0); }

  testing::TempDir dir_;
  std::string data_path_;
  std::unique_ptr<SqliteMetadataStore> store_;
  Settings settings_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(WriteOnFixture, ExtendsTheExtensionsDeleteFilesRowIdsAndTables) {
  engine_->Query("BEGIN");
  // 100 rows of file 0, which has a delete file already, and 5001 of file 7.
  EXPECT_EQ(Rows("DELETE FROM lake.dsn.edges WHERE source_id % 10 = 1"), Lines{"101"});
  EXPECT_EQ(Rows("UPDATE lake.main.types SET label = 'again' WHERE id IN (2, 3, 105)"), Lines{"3"});
  EXPECT_EQ(Rows("INSERT INTO lake.dsn.part VALUES ('SI', 100, 1.0), ('HR', 101, 2.0)"), Lines{"2"});
  engine_->Query("COMMIT");
  EXPECT_EQ(Committed(), 20);

  EXPECT_EQ(CatalogRows("SELECT schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                        "WHERE snapshot_id = 20"),
            Lines{"13|10|20"});
  EXPECT_EQ(CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 20"),
            Lines{"inserted_into_table:3,inserted_into_table:6,deleted_from_table:2,deleted_from_table:3"});
  // Each touched data file has one live delete file with its old and new positions; file 4, both of
  // whose rows were updated, ends instead.
  EXPECT_EQ(CatalogRows("SELECT data_file_id, begin_snapshot, end_snapshot, delete_count FROM ducklake_delete_file "
                        "ORDER BY data_file_id, begin_snapshot"),
            (Lines{"0|6|20|100", "0|20|NULL|200", "1|7|20|1", "1|20|NULL|2", "2|7|NULL|1", "7|20|NULL|1"}));
  EXPECT_EQ(CatalogRows("SELECT end_snapshot FROM ducklake_data_file WHERE data_file_id = 4"), Lines{"20"});
  // The new versions keep the row ids: 1 and 2 of the first file, and 8, the id row 105 kept when
  // the extension updated it (file 4 carries it in _ducklake_internal_row_id).
  std::string updated =
      CatalogRows("SELECT path FROM ducklake_data_file WHERE table_id = 3 AND begin_snapshot = 20").at(0);
  EXPECT_EQ(Rows("SELECT id, _ducklake_internal_row_id FROM read_parquet('" + data_path_ + "main/types/" + updated +
                 "') ORDER BY 1"),
            (Lines{"2|1", "3|2", "105|8"}));
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats WHERE table_id IN (3, 6) "
                        "ORDER BY table_id"),
            (Lines{"58|58", "32|32"}));
  // The extension partitioned dsn.part by country: one new file per country, in its folder.
  std::vector<std::string> part_files;
  for (const std::string& row : CatalogRows(
           "SELECT f.partition_id, v.partition_value, f.record_count, f.path FROM ducklake_data_file f "
           "JOIN ducklake_file_partition_value v USING (data_file_id) WHERE f.begin_snapshot = 20 ORDER BY 2"))
    part_files.push_back(row.substr(0, row.rfind('/') + 1));
  EXPECT_EQ(part_files, (Lines{"7|HR|1|country=HR/", "7|SI|1|country=SI/"}));

  EXPECT_EQ(Rows("SELECT count(*), count(*) FILTER (source_id % 10 = 1), count(*) FILTER (source_id % 10 = 0) "
                 "FROM lake.dsn.edges"),
            Lines{"801|0|1"});  // 5000 came after the extension's delete
  EXPECT_EQ(Rows("SELECT id, label, d FROM lake.main.types WHERE label = 'again' ORDER BY id"),
            (Lines{"2|again|nan", "3|again|0.0", "105|again|0.7142857142857143"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.main.types"), Lines{"53"});
  EXPECT_EQ(Rows("SELECT country, count(*) FROM lake.dsn.part GROUP BY ALL ORDER BY ALL"),
            (Lines{"HR|11", "HU|10", "RO|10", "SI|1"}));
  EXPECT_EQ(Rows("SELECT * FROM lake.dsn.heavy WHERE source_id = 5000"), Lines{"5000|1"});
}

// The inlined fixture keeps small inserts and deletes inside the catalog, and so does dlctl with
// the fixture's limit: it inlines next to the extension's rows (into the table of the current
// layout), lists a few deleted Parquet rows in a new ducklake_inlined_delete_<table>, and ends
// inlined rows where they are.
TEST_F(WriteOnFixture, WritesNextToInlinedRowsAndDeletesThem) {
  Open("inlined");
  const std::string types_before = Rows("SELECT count(*) FROM lake.main.types").at(0);
  engine_->Query("BEGIN");
  EXPECT_EQ(Rows("INSERT INTO lake.dsn.edges VALUES (7000, 7, 7.0)"), Lines{"1"});
  EXPECT_EQ(Rows("DELETE FROM lake.dsn.part WHERE user_id < 3"), Lines{"3"});
  EXPECT_EQ(Rows("DELETE FROM lake.main.types WHERE id = 1"), Lines{"1"});
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.main.types WHERE id = 1"), Lines{"0"});  // gone for this transaction
  engine_->Query("COMMIT");
  EXPECT_EQ(Committed(), 20);
  EXPECT_EQ(CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 20"),
            Lines{"inlined_insert:2,inlined_delete:3,inlined_delete:6"});
  // Only inlined rows: no file, yet a file id taken (as the extension does); no new layout.
  EXPECT_EQ(CatalogRows("SELECT schema_version, next_file_id FROM ducklake_snapshot WHERE snapshot_id = 20"),
            Lines{"13|13"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_data_file WHERE begin_snapshot = 20"), Lines{"0"});
  // The inlined row ends at the commit's snapshot, in the table that holds it.
  EXPECT_EQ(CatalogRows("SELECT end_snapshot FROM ducklake_inlined_data_3_3 WHERE id = 1"), Lines{"20"});
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.main.types"),
            Lines{std::to_string(std::stoll(types_before) - 1)});
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.main.types AT (VERSION => 19) WHERE id = 1"), Lines{"1"});
  // The new row goes into the inlined table of the edges' current columns, its row id after the
  // inlined rows'; one row of each of the three files of part is listed as deleted.
  EXPECT_EQ(CatalogRows("SELECT row_id, begin_snapshot, end_snapshot, source_id, target_id, weight FROM "
                        "ducklake_inlined_data_2_4 WHERE begin_snapshot = 20"),
            Lines{"1002|20|NULL|7000|7|7.0"});
  EXPECT_EQ(CatalogRows("SELECT file_id, row_id, begin_snapshot FROM ducklake_inlined_delete_6 ORDER BY 1"),
            (Lines{"7|0|20", "8|0|20", "9|0|20"}));
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats WHERE table_id = 2"),
            Lines{"1003|1003"});
  EXPECT_EQ(Rows("SELECT count(*), max(source_id) FROM lake.dsn.edges"), Lines{"903|7000"});
  EXPECT_EQ(Rows("SELECT count(*), min(user_id) FROM lake.dsn.part"), Lines{"27|3"});
}

// The views fixture's orders are partitioned by year(d), month(d): dlctl's rows go into the
// extension's month folders (and new ones), and a month's query opens that month's files only.
TEST_F(WriteOnFixture, WritesIntoTheExtensionsMonthPartitions) {
  Open("views");
  // 20 rows: more than the extension would inline.
  EXPECT_EQ(Rows("INSERT INTO lake.sales.orders SELECT 6000 + i, DATE '2025-01-25' + i::INTEGER, 2.5, 'SI' FROM range(20) t(i)"),
            Lines{"20"});
  EXPECT_EQ(Committed(), 14);
  // 2025-01-25 to 31 next to the extension's January file, 2025-02-01 to 13 in a new folder.
  EXPECT_EQ(CatalogRows("SELECT f.partition_id, f.record_count, v.partition_key_index, v.partition_value FROM "
                        "ducklake_data_file f JOIN ducklake_file_partition_value v USING (data_file_id) "
                        "WHERE f.begin_snapshot = 14 ORDER BY 2, 3"),
            (Lines{"6|7|0|2025", "6|7|1|1", "6|13|0|2025", "6|13|1|2"}));
  EXPECT_EQ(CatalogRows("SELECT substr(path, 1, 17) FROM ducklake_data_file WHERE begin_snapshot = 14 ORDER BY "
                        "record_count"),
            (Lines{"year=2025/month=1", "year=2025/month=2"}));
  EXPECT_TRUE(fs::exists(dir_.path() / "lake" / "data" / "sales" / "orders" / "year=2025" / "month=2"));
  // Row ids continue after the extension's (441 was next).
  EXPECT_EQ(CatalogRows("SELECT min(row_id_start), max(row_id_start + record_count) FROM ducklake_data_file "
                        "WHERE begin_snapshot = 14"),
            Lines{"441|461"});

  EXPECT_EQ(Rows("SELECT count(*), sum(amount), min(d), max(d) FROM lake.sales.orders WHERE country = 'SI'"),
            Lines{"20|50.00|2025-01-25|2025-02-13"});
  EXPECT_EQ(Rows("SELECT n FROM lake.sales.by_country WHERE country = 'SI'"), Lines{"20"});
  // February 2025: of the partitioned files only ours is opened (the extension's unpartitioned
  // first file and the inlined rows are read as well); December, both Januaries and March not.
  const std::string february =
      "SELECT count(*) FROM lake.sales.orders WHERE d >= DATE '2025-02-01' AND d < DATE '2025-03-01'";
  auto files_read = [&]() {
    std::string plan = Rows("EXPLAIN ANALYZE " + february).at(0);
    std::smatch match;
    EXPECT_TRUE(std::regex_search(plan, match, std::regex("Total Files Read: (\\d+)"))) << plan;
    return std::stoll(match[1]);
  };
  int64_t pruned = files_read();
  engine_->Query("SET dlctl_file_pruning = false");
  EXPECT_EQ(files_read(), pruned + 4);
}

// The views fixture's inlined rows (the extension's MERGE update of orders, the small table)
// are updated and deleted where they are, then flushed to Parquet; every snapshot the
// extension wrote still reads as it read it.
TEST_F(WriteOnFixture, UpdatesDeletesAndFlushesTheExtensionsInlinedRows) {
  Open("views");
  EXPECT_EQ(Rows("UPDATE lake.sales.small SET v = v || '!' WHERE k = 3"), Lines{"1"});
  EXPECT_EQ(Committed(), 14);
  EXPECT_EQ(CatalogRows("SELECT row_id, begin_snapshot, end_snapshot, k, v FROM ducklake_inlined_data_7_7 "
                        "ORDER BY 2, 1"),
            (Lines{"0|10|13|1|one", "1|11|12|2|two", "2|11|14|3|three", "1|12|NULL|2|TWO", "2|14|NULL|3|three!"}));
  EXPECT_EQ(Rows("DELETE FROM lake.sales.orders WHERE id IN (5, 6)"), Lines{"2"});  // the inlined row, a file's
  EXPECT_EQ(CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id >= 14"),
            (Lines{"inlined_insert:7,inlined_delete:7", "inlined_delete:2"}));
  EXPECT_EQ(CatalogRows("SELECT end_snapshot FROM ducklake_inlined_data_2_6"), Lines{"15"});
  EXPECT_EQ(CatalogRows("SELECT file_id, row_id, begin_snapshot FROM ducklake_inlined_delete_2 ORDER BY 3"),
            (Lines{"0|5|9", "0|6|15"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.sales.orders"), Lines{"439"});

  EXPECT_EQ(Rows("CALL ducklake_flush_inlined_data('lake')"), (Lines{"sales|orders|1", "sales|small|5"}));
  EXPECT_EQ(Committed(), 16);
  EXPECT_EQ(CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 16"),
            Lines{"deleted_from_table:2,inline_flush:2,inline_flush:7"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_inlined_data_7_7"), Lines{"0"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_inlined_delete_2"), Lines{"0"});
  // Orders' listed deletes became a delete file of its first file: position 5 from snapshot 9,
  // position 6 from 15.
  EXPECT_EQ(CatalogRows("SELECT data_file_id, begin_snapshot, delete_count, partial_max FROM ducklake_delete_file "
                        "WHERE data_file_id = 0"),
            Lines{"0|9|2|15"});
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.sales.orders"), Lines{"439"});
  EXPECT_EQ(Rows("SELECT k, v FROM lake.sales.small ORDER BY k"), (Lines{"2|TWO", "3|three!"}));
  EXPECT_EQ(Rows("SELECT k, v FROM lake.sales.small AT (VERSION => 13) ORDER BY k"), (Lines{"2|TWO", "3|three"}));
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir_.path() / "lake" / "expected")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("snap", 0) != 0 || name.find("__") == std::string::npos) continue;
    SnapshotId snapshot = std::stoll(name.substr(4, name.find("__") - 4));
    std::string object = name.substr(name.find("__") + 2, name.size() - name.find("__") - 6);
    AttachSqliteCatalog(*engine_, dir_.path() / "lake" / "catalog.sqlite", data_path_, "snap", snapshot);
    EXPECT_EQ(CliCsv(engine_->Query("SELECT * FROM snap." + object + " ORDER BY ALL")), testing::ReadFile(entry.path()))
        << name;
    ++checked;
  }
  EXPECT_EQ(checked, 43);
}

}  // namespace
}  // namespace dlctl::lake
