// Loading and binding the latest snapshot of a big catalog: 10,000 snapshots, 100,000 data files
// (a fifth of them replaced), 10,000 delete files, 550 tables (50 dropped) with renamed columns.
// The assertions are loose (shared machines); the measured times are printed.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <iostream>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/catalog_binding.h"
#include "lake/catalog_reader.h"
#include "lake/catalog_schema.h"
#include "lake/sql_quote.h"
#include "lake/sqlite_metadata_store.h"
#include "storage/local_store.h"
#include "support/test_env.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

constexpr int kSnapshots = 10000;
constexpr int kDataFiles = 100000;
constexpr int kTables = 550;  // ids 100..649; 600..649 dropped at snapshot 5000

// Fills a new catalog with generated rows. Every data file row points at `data_file` and every
// delete file row at `delete_file` (absolute paths), so the engine can bind what it describes.
void GenerateCatalog(MetadataStore& store, const std::string& data_file, const std::string& delete_file) {
  CreateCatalog(store, "/nowhere/");
  Transaction transaction(store);
  auto numbers = [](int from, int to) {
    return fmt::format("WITH RECURSIVE n(i) AS (SELECT {} UNION ALL SELECT i + 1 FROM n WHERE i < {}) ", from, to);
  };
  store.Execute(numbers(1, kSnapshots) +
                "INSERT INTO ducklake_snapshot SELECT i, '2026-01-01 00:00:00.000000+00', 1 + i / 100, 1000, "
                "200000 FROM n");
  store.Execute(numbers(1, kSnapshots) +
                "INSERT INTO ducklake_snapshot_changes SELECT i, 'inserted_into_table:100', NULL, NULL, NULL FROM n");
  store.Execute(numbers(1, 5) +
                "INSERT INTO ducklake_schema SELECT i, 'schema-' || i, 1, NULL, 's' || i, "
                "'s' || i || '/', 1 FROM n");
  store.Execute(numbers(100, 99 + kTables) +
                "INSERT INTO ducklake_table SELECT i, 'table-' || i, 1, CASE WHEN i >= 600 THEN 5000 END, 1 + i % 5, "
                "'t' || i, 't' || i || '/', 1 FROM n");
  // Ten columns per table; column 3 renamed at snapshot 3000 (an ended row and a new version).
  store.Execute(numbers(1, 10) +
                "INSERT INTO ducklake_column SELECT i, 1, CASE WHEN i = 3 THEN 3000 END, t.table_id, i, 'c' || i, "
                "CASE WHEN i % 2 = 0 THEN 'int64' ELSE 'varchar' END, NULL, 'NULL', 1, NULL, 'literal', 'duckdb' "
                "FROM n, ducklake_table t");
  store.Execute(
      "INSERT INTO ducklake_column SELECT 3, 3000, NULL, table_id, 3, 'c3_renamed', 'varchar', NULL, "
      "'NULL', 1, NULL, 'literal', 'duckdb' FROM ducklake_table");
  // A fifth of the files were replaced one snapshot after they were written.
  store.Execute(numbers(0, kDataFiles - 1) +
                fmt::format("INSERT INTO ducklake_data_file SELECT i, 100 + i % {}, 1 + i / 10, "
                            "CASE WHEN i % 5 = 0 THEN 2 + i / 10 END, NULL, {}, 0, 'parquet', 100, 1000, 300, i * 100, "
                            "NULL, NULL, NULL, NULL FROM n",
                            kTables, SqlLiteral(data_file)));
  store.Execute(
      fmt::format("INSERT INTO ducklake_delete_file SELECT 100000 + data_file_id, table_id, "
                  "begin_snapshot + 1, NULL, data_file_id, {}, 0, 'parquet', 1, 500, 200, NULL, NULL "
                  "FROM ducklake_data_file WHERE data_file_id % 10 = 1",
                  SqlLiteral(delete_file)));
  store.Execute(
      "INSERT INTO ducklake_tag SELECT table_id, 1, NULL, 'comment', 'table ' || table_id "
      "FROM ducklake_table WHERE table_id % 7 = 0");
  transaction.Commit();
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// CPU time of this thread: on a busy machine a fairer figure than the wall clock.
double ThreadCpuMilliseconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

// Page faults of this thread: building the model touches tens of MB of fresh memory.
long ThreadPageFaults() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt + usage.ru_majflt;
}

TEST(LargeCatalog, LoadsAndBindsTheLatestSnapshotQuickly) {
  testing::TempDir dir;
  Settings settings;
  settings.bucket = "lake";
  Engine engine(std::make_shared<LocalStore>(dir.path() / "bucket"), settings);
  std::string data_file = (dir.path() / "data.parquet").string();
  std::string delete_file = (dir.path() / "delete.parquet").string();
  engine.Query("COPY (SELECT i::VARCHAR AS c1, i::BIGINT AS c2 FROM range(100) t(i)) TO " + SqlLiteral(data_file) +
               " (FORMAT parquet, FIELD_IDS {c1: 1, c2: 2})");
  engine.Query("COPY (SELECT 'x' AS file_path, 0::BIGINT AS pos) TO " + SqlLiteral(delete_file) +
               " (FORMAT parquet, FIELD_IDS {file_path: 2147483646, pos: 2147483645})");
  {
    SqliteMetadataStore store(dir.path() / "large.sqlite", true);
    GenerateCatalog(store, data_file, delete_file);
  }

  auto start = std::chrono::steady_clock::now();
  double cpu_start = ThreadCpuMilliseconds();
  long faults_start = ThreadPageFaults();
  SqliteMetadataStore store(dir.path() / "large.sqlite", false);
  CatalogReader reader(store);
  CatalogState state = reader.Load();
  double load_ms = MillisecondsSince(start);
  double load_cpu_ms = ThreadCpuMilliseconds() - cpu_start;
  long load_faults = ThreadPageFaults() - faults_start;

  // The floor: the data file rows alone through MetadataStore::Query.
  start = std::chrono::steady_clock::now();
  size_t file_rows = store
                         .Query(
                             "SELECT * FROM ducklake_data_file WHERE begin_snapshot <= ? AND "
                             "(end_snapshot IS NULL OR end_snapshot > ?)",
                             {int64_t{kSnapshots}, int64_t{kSnapshots}})
                         .size();
  double file_query_ms = MillisecondsSince(start);

  EXPECT_EQ(state.snapshot.id, kSnapshots);
  size_t tables = 0, files = 0, deletes = 0;
  for (const SchemaInfo& schema : state.schemas)
    for (const TableInfo& table : schema.tables) {
      ++tables;
      ASSERT_EQ(table.columns.size(), 10u);
      EXPECT_EQ(table.columns[2].name, "c3_renamed");
      files += table.files.size();
      for (const DataFileInfo& file : table.files) deletes += file.deletes.has_value();
    }
  EXPECT_EQ(tables, 500u);
  auto count = [&](const std::string& sql) { return static_cast<size_t>(store.Query(sql)[0].Int(0)); };
  const std::string latest =
      fmt::format(" begin_snapshot <= {0} AND (end_snapshot IS NULL OR end_snapshot > {0}) ", kSnapshots);
  const std::string live_table = "AND table_id IN (SELECT table_id FROM ducklake_table WHERE" + latest + ")";
  EXPECT_EQ(files, count("SELECT count(*) FROM ducklake_data_file WHERE" + latest + live_table));
  EXPECT_EQ(deletes, count("SELECT count(*) FROM ducklake_delete_file WHERE" + latest +
                           "AND data_file_id IN "
                           "(SELECT data_file_id FROM ducklake_data_file WHERE" +
                           latest + ")" + live_table));
  EXPECT_GT(files, 70000u);

  start = std::chrono::steady_clock::now();
  BindCatalog(engine, reader, state, "big");
  double bind_ms = MillisecondsSince(start);
  // Every file row points at the same 100-row file, and every delete file row removes its first row:
  // table 101 has 182 files, all with a delete file.
  EXPECT_EQ(engine.Query("SELECT count(*) FROM big.s2.t101").rows[0][0], std::to_string(182 * 99));

  std::cout << "[ LARGE    ] load latest snapshot (10k snapshots, 100k files): " << load_ms << " ms (" << load_cpu_ms
            << " ms CPU, " << load_faults << " page faults); of which would be the " << file_rows
            << " data file rows alone: " << file_query_ms << " ms; bind into the engine: " << bind_ms << " ms\n";
  EXPECT_LT(load_cpu_ms, 1000);  // CPU, not wall time: the wall clock of a shared machine is noise
  EXPECT_LT(bind_ms, 30000);
}

}  // namespace
}  // namespace dlctl::lake
