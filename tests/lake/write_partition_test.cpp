// Partitioned lake tables (spec notes §1.7), on SQLite and PostgreSQL catalogs with local and S3
// data: SET / RESET PARTITIONED BY recorded as the extension records them, writes split into
// one file per partition under hive folders with their values in the catalog, and reads that
// open only the files whose partition values can match a filter.
#include <algorithm>
#include <regex>

#include "counting_store.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

class WritePartitions : public WriteLakeTest {
 protected:
  void SetUp() override {
    WriteLakeTest::SetUp();
    // Reads of S3 data go through the store: count them there.
    counting_ = std::make_shared<CountingStore>(store_);
    engine_ = std::make_unique<Engine>(counting_, settings_, EngineOptions{.threads = 2});
    engine_->Query("SET enable_external_file_cache = false");
    Attach(*engine_);
  }

  // The data files a query opens: what DuckDB's scan reports, and on S3 also the data objects
  // read through the store, which must agree.
  int64_t FilesOpened(const std::string& sql, const std::string& table_folder) {
    counting_->Reset();
    QueryResult plan = engine_->Query("EXPLAIN ANALYZE " + sql);
    std::string text;
    for (const auto& row : plan.rows)
      for (const auto& value : row) text += value.value_or("") + "\n";
    std::smatch match;
    int64_t files = -1;
    if (std::regex_search(text, match, std::regex("Total Files Read: (\\d+)"))) files = std::stoll(match[1]);
    if (GetParam().data == StoreKind::kS3)
      EXPECT_EQ(static_cast<int64_t>(counting_->KeysRead("stage/main/" + table_folder + "/")), files) << sql;
    return files;
  }

  // The folder (relative to the table's) and record count of every live data file of a table,
  // sorted.
  std::vector<std::string> FileFolders(const std::string& table) {
    std::vector<std::string> folders;
    for (const std::string& row : CatalogRows(
             "SELECT f.path, f.record_count FROM ducklake_data_file f JOIN ducklake_table t USING (table_id) "
             "WHERE t.table_name = '" + table + "' AND t.end_snapshot IS NULL AND f.end_snapshot IS NULL")) {
      std::string path = row.substr(0, row.find('|'));
      EXPECT_TRUE(store_->Head("stage/main/" + table + "/" + path)) << path << " is not in the store";
      std::string folder = path.rfind('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
      folders.push_back(folder + "|" + row.substr(row.find('|') + 1));
    }
    std::sort(folders.begin(), folders.end());
    return folders;
  }

  std::shared_ptr<CountingStore> counting_;
};

TEST_P(WritePartitions, RecordsSetAndResetPartitionedByAsTheExtensionDoes) {
  EXPECT_EQ(Commit("CREATE TABLE stage.main.t (id INTEGER, country VARCHAR, d DATE, ts TIMESTAMP)"), 1);
  EXPECT_EQ(Commit("ALTER TABLE stage.main.t SET PARTITIONED BY (country)"), 2);
  // A new partition id from next_catalog_id, a new schema version, altered_table as the summary.
  EXPECT_EQ(CatalogRows("SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                        "WHERE snapshot_id = 2"),
            Lines{"2|2|3|0"});
  EXPECT_EQ(CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 2"),
            Lines{"altered_table:1"});
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_schema_versions ORDER BY begin_snapshot"), (Lines{"1|1|1", "2|2|1"}));
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_partition_info"), Lines{"2|1|2|NULL"});
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_partition_column"), Lines{"2|1|0|2|identity"});
  EXPECT_EQ(Commit("ALTER TABLE stage.main.t SET PARTITIONED BY (country)"), 2);  // already so: no snapshot

  EXPECT_EQ(Commit("ALTER TABLE stage.main.t SET PARTITIONED BY (year(d), month(d), day(d), hour(ts))"), 3);
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_partition_info ORDER BY partition_id"),
            (Lines{"2|1|2|3", "3|1|3|NULL"}));
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_partition_column WHERE partition_id = 3 ORDER BY partition_key_index"),
            (Lines{"3|1|0|3|year", "3|1|1|3|month", "3|1|2|3|day", "3|1|3|4|hour"}));
  // RESET: a partition_info without columns ends the keys.
  EXPECT_EQ(Commit("ALTER TABLE stage.main.t RESET PARTITIONED BY"), 4);
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_partition_info ORDER BY partition_id"),
            (Lines{"2|1|2|3", "3|1|3|4", "4|1|4|NULL"}));
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_partition_column WHERE partition_id = 4"), Lines{"0"});
  EXPECT_EQ(Commit("ALTER TABLE stage.main.t RESET PARTITIONED BY"), 4);
  EXPECT_EQ(Commit("ALTER TABLE stage.main.t SET PARTITIONED BY (bucket(8, id))"), 5);
  EXPECT_EQ(CatalogRows("SELECT \"transform\" FROM ducklake_partition_column WHERE partition_id = 5"),
            Lines{"bucket(8)"});

  // What the spec does not define, or what does not fit the column, is refused.
  for (const char* keys : {"(nope)", "(upper(country))", "(truncate(4, id))", "(year(country))", "(bucket(0, id))",
                           "(t.country)", "(id + 1)"})
    EXPECT_THROW(engine_->Query(std::string("ALTER TABLE stage.main.t SET PARTITIONED BY ") + keys), Error) << keys;
  EXPECT_THROW(engine_->Query("ALTER TABLE stage.main.t DROP COLUMN id"), Error);  // its key needs it
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{"5"});

  // A table created and partitioned in one transaction: its partition id follows the table's.
  EXPECT_EQ(Commit("BEGIN; CREATE TABLE stage.main.u (k VARCHAR); ALTER TABLE stage.main.u SET PARTITIONED BY (k); "
                   "INSERT INTO stage.main.u VALUES ('a'), ('b'); COMMIT"),
            6);
  EXPECT_EQ(CatalogRows("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 6"),
            Lines{"created_table:\"main\".\"u\",inserted_into_table:6"});
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_partition_info WHERE table_id = 6"), Lines{"7|6|6|NULL"});
  EXPECT_EQ(FileFolders("u"), (Lines{"k=a/|1", "k=b/|1"}));
  EXPECT_EQ(CatalogRows("SELECT DISTINCT partition_id FROM ducklake_data_file WHERE table_id = 6"), Lines{"7"});
}

TEST_P(WritePartitions, WritesOneFilePerPartitionAndOpensOnlyTheMatchingOnes) {
  Commit("CREATE TABLE stage.main.events (id INTEGER, country VARCHAR, d DATE, v DOUBLE)");
  Commit("ALTER TABLE stage.main.events SET PARTITIONED BY (country)");
  EXPECT_EQ(Count("INSERT INTO stage.main.events SELECT i, ['HR','HU','RO'][1 + i % 3], DATE '2024-11-25' + i::INTEGER, "
                  "i * 0.5 FROM range(300) t(i)"),
            300);
  EXPECT_EQ(Count("INSERT INTO stage.main.events VALUES (1000, NULL, NULL, 0), (1001, 'a/b c', DATE '2025-01-01', 1)"),
            2);
  // One file per partition, in the folders DuckDB's hive writer names (values escaped, NULL as
  // "NULL"), each with its key value (NULL as SQL NULL) and the partition id.
  EXPECT_EQ(FileFolders("events"), (Lines{"country=HR/|100", "country=HU/|100", "country=NULL/|1", "country=RO/|100",
                                          "country=a%2Fb%20c/|1"}));
  std::vector<std::string> values = CatalogRows(
      "SELECT v.partition_key_index, v.partition_value, f.record_count, f.partition_id FROM "
      "ducklake_file_partition_value v JOIN ducklake_data_file f USING (data_file_id)");
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (Lines{"0|HR|100|2", "0|HU|100|2", "0|NULL|1|2", "0|RO|100|2", "0|a/b c|1|2"}));
  // Row ids run on from file to file, as the extension hands them out.
  EXPECT_EQ(CatalogRows("SELECT sum(record_count), min(row_id_start), max(row_id_start + record_count) "
                        "FROM ducklake_data_file"),
            Lines{"302|0|302"});
  // The key column stays inside the files (identity).
  std::string hu = CatalogRows("SELECT path FROM ducklake_data_file f JOIN ducklake_file_partition_value v "
                               "USING (data_file_id) WHERE v.partition_value = 'HU'")
                       .at(0);
  EXPECT_EQ(Rows("SELECT count(*), min(country), max(country) FROM read_parquet('" + data_path_ + "main/events/" + hu +
                 "')"),
            Lines{"100|HU|HU"});

  EXPECT_EQ(Rows("SELECT coalesce(country, '-'), count(*), sum(id) FROM stage.main.events GROUP BY ALL ORDER BY ALL"),
            (Lines{"-|1|1000", "HR|100|14850", "HU|100|14950", "RO|100|15050", "a/b c|1|1001"}));
  EXPECT_EQ(FilesOpened("SELECT count(*), sum(v) FROM stage.main.events WHERE country = 'HU'", "events"), 1);
  EXPECT_EQ(FilesOpened("SELECT count(*) FROM stage.main.events WHERE country = 'a/b c'", "events"), 1);
  EXPECT_EQ(FilesOpened("SELECT count(*) FROM stage.main.events WHERE country > 'HZ'", "events"), 2);

  // Without per-file column stats (as for files written elsewhere) the partition values alone prune.
  metadata_->Execute("DELETE FROM ducklake_file_column_stats");
  EXPECT_EQ(Rows("SELECT count(*), sum(v) FROM stage.main.events WHERE country = 'HU'"), Lines{"100|7475.0"});
  EXPECT_EQ(FilesOpened("SELECT count(*), sum(v) FROM stage.main.events WHERE country = 'HU'", "events"), 1);
  EXPECT_EQ(FilesOpened("SELECT count(*) FROM stage.main.events WHERE country IN ('HR', 'RO')", "events"), 2);
  engine_->Query("SET dlctl_file_pruning = false");
  EXPECT_EQ(FilesOpened("SELECT count(*), sum(v) FROM stage.main.events WHERE country = 'HU'", "events"), 5);
  engine_->Query("RESET dlctl_file_pruning");

  // An UPDATE that moves rows to another partition writes them there, keeping their row ids.
  const Lines row_ids = Rows("SELECT id, rowid FROM stage.main.events WHERE id IN (0, 1) ORDER BY id");
  EXPECT_EQ(Count("UPDATE stage.main.events SET country = 'SI' WHERE id IN (0, 1)"), 2);
  EXPECT_EQ(Rows("SELECT id, rowid FROM stage.main.events WHERE country = 'SI' ORDER BY id"), row_ids);
  Lines folders = FileFolders("events");
  EXPECT_NE(std::find(folders.begin(), folders.end(), "country=SI/|2"), folders.end());
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.events WHERE country = 'HR'"), Lines{"99"});
  // MERGE's inserted rows go to their partitions too.
  EXPECT_EQ(Count("MERGE INTO stage.main.events USING (SELECT 2000 AS id, 'FR' AS country) s ON events.id = s.id "
                  "WHEN NOT MATCHED THEN INSERT (id, country) VALUES (s.id, s.country)"),
            1);
  EXPECT_EQ(FileFolders("events").at(0), "country=FR/|1");
  EXPECT_EQ(Rows("SELECT id FROM stage.main.events WHERE country = 'FR'"), Lines{"2000"});
}

TEST_P(WritePartitions, SplitsByComputedKeysOnlyInTheFolderNames) {
  Commit("CREATE TABLE stage.main.sales (id INTEGER, d DATE, amount DECIMAL(10,2))");
  Commit("ALTER TABLE stage.main.sales SET PARTITIONED BY (year(d), month(d))");
  EXPECT_EQ(Count("INSERT INTO stage.main.sales SELECT i, DATE '2024-12-20' + i::INTEGER, i * 0.5 FROM range(60) t(i)"), 60);
  EXPECT_EQ(FileFolders("sales"), (Lines{"year=2024/month=12/|12", "year=2025/month=1/|31", "year=2025/month=2/|17"}));
  std::vector<std::string> values = CatalogRows(
      "SELECT f.record_count, v.partition_key_index, v.partition_value FROM ducklake_file_partition_value v "
      "JOIN ducklake_data_file f USING (data_file_id)");
  std::sort(values.begin(), values.end());
  EXPECT_EQ(values, (Lines{"12|0|2024", "12|1|12", "17|0|2025", "17|1|2", "31|0|2025", "31|1|1"}));
  // The keys are not columns of the files: d is.
  std::string file = CatalogRows("SELECT path FROM ducklake_data_file WHERE record_count = 17").at(0);
  EXPECT_EQ(Rows("SELECT string_agg(name, ',' ORDER BY name) FROM parquet_schema('" + data_path_ + "main/sales/" +
                 file + "') WHERE name <> 'duckdb_schema'"),
            Lines{"amount,d,id"});

  const char* january = "SELECT count(*), sum(amount) FROM stage.main.sales WHERE d BETWEEN '2025-01-05' AND '2025-01-09'";
  EXPECT_EQ(Rows(january), Lines{"5|45.00"});
  EXPECT_EQ(FilesOpened(january, "sales"), 1);
  metadata_->Execute("DELETE FROM ducklake_file_column_stats");
  EXPECT_EQ(FilesOpened(january, "sales"), 1);
  EXPECT_EQ(FilesOpened("SELECT count(*) FROM stage.main.sales WHERE d >= '2025-01-01'", "sales"), 2);

  // Rows an UPDATE moves to another month land in that month's folder, with their row ids.
  const Lines row_id = Rows("SELECT rowid FROM stage.main.sales WHERE id = 0");
  EXPECT_EQ(Count("UPDATE stage.main.sales SET d = DATE '2025-03-03' WHERE id = 0"), 1);
  EXPECT_EQ(FileFolders("sales").back(), "year=2025/month=3/|1");
  EXPECT_EQ(Rows("SELECT id, d FROM stage.main.sales WHERE d > '2025-02-28'"), Lines{"0|2025-03-03"});
  EXPECT_EQ(Rows("SELECT rowid FROM stage.main.sales WHERE id = 0"), row_id);
}

TEST_P(WritePartitions, BucketsLikeIceberg) {
  Commit("CREATE TABLE stage.main.b (id BIGINT, s VARCHAR)");
  Commit("ALTER TABLE stage.main.b SET PARTITIONED BY (bucket(4, id))");
  EXPECT_EQ(Count("INSERT INTO stage.main.b SELECT i, 's' || i FROM range(100) t(i)"), 100);
  std::vector<std::string> folders = FileFolders("b");
  ASSERT_EQ(folders.size(), 4u);
  EXPECT_EQ(folders[3].substr(0, 9), "bucket=3/");
  // Iceberg's bucket(4, 34): murmur3 of the 8-byte long 34 is 2017239379, and 2017239379 % 4 = 3.
  std::string file = CatalogRows("SELECT path FROM ducklake_data_file f JOIN ducklake_file_partition_value v "
                                 "USING (data_file_id) WHERE v.partition_value = '3'")
                         .at(0);
  EXPECT_EQ(Rows("SELECT count(*) FROM read_parquet('" + data_path_ + "main/b/" + file + "') WHERE id = 34"),
            Lines{"1"});
  EXPECT_EQ(FilesOpened("SELECT s FROM stage.main.b WHERE id = 34", "b"), 1);
  EXPECT_EQ(Rows("SELECT s FROM stage.main.b WHERE id = 34"), Lines{"s34"});
  EXPECT_EQ(Rows("SELECT count(*), sum(id) FROM stage.main.b"), Lines{"100|4950"});
}

INSTANTIATE_TEST_SUITE_P(Lakes, WritePartitions, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
