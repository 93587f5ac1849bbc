// Lake maintenance on the local default and on S3: verify finds missing and resized files and
// lists orphans; expire forgets old snapshots and schedules the files only they could see;
// cleanup removes scheduled files and old orphans, after which verify is clean.
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "lake/maintenance/catalog_files.h"
#include "lake/metadata/catalog_time.h"
#include "lake/maintenance/catalog_verify.h"
#include "lake/maintenance/file_cleanup.h"
#include "lake/maintenance/snapshot_expiry.h"
#include "util/uuid.h"
#include "support/error_of.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

int64_t NowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr int64_t kHour = int64_t{3600} * 1000000;

class Maintenance : public WriteLakeTest {
 protected:
  VerifyReport Verify() { return VerifyCatalog(*metadata_, *store_, data_path_); }

  std::string KeyOf(const std::string& path) { return store_->KeyOf(path).value(); }

  // The paths of the table's live data files, in id order.
  std::vector<std::string> LiveFiles() {
    std::vector<std::string> paths;
    for (const CatalogFile& file : ReferencedFiles(*metadata_, data_path_))
      if (file.kind == CatalogFile::Kind::kData &&
          !CatalogRows(fmt::format("SELECT 1 FROM ducklake_data_file WHERE data_file_id = {} AND end_snapshot IS NULL",
                                   file.id))
               .empty())
        paths.push_back(file.path);
    return paths;
  }

  // Snapshot 1: dsn.edges from one file; snapshot 2 replaces it; snapshot 3 deletes from and
  // appends to it. Returns a time between snapshots 2 and 3.
  int64_t WriteHistory() {
    EXPECT_EQ(Commit("BEGIN; CREATE SCHEMA stage.dsn; "
                     "CREATE TABLE stage.dsn.edges AS SELECT i::INTEGER AS id FROM range(10) t(i); COMMIT"),
              1);
    EXPECT_EQ(Commit("CREATE OR REPLACE TABLE stage.dsn.edges AS SELECT i::INTEGER AS id FROM range(100, 120) t(i)"),
              2);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    int64_t between = NowMicros();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(Commit("BEGIN; DELETE FROM stage.dsn.edges WHERE id < 105; INSERT INTO stage.dsn.edges SELECT 7; COMMIT"),
              3);
    return between;
  }
};

TEST_P(Maintenance, VerifyIsCleanForAFreshLakeAndFindsMissingAndResizedFiles) {
  WriteHistory();
  VerifyReport clean = Verify();
  EXPECT_TRUE(clean.ok());
  EXPECT_TRUE(clean.problems.empty());
  EXPECT_TRUE(clean.orphans.empty());
  EXPECT_EQ(clean.files_checked, 4u);  // three data files, one delete file

  std::vector<std::string> live = LiveFiles();
  ASSERT_EQ(live.size(), 2u);
  store_->Delete(KeyOf(live[0]));
  store_->Put(KeyOf(live[1]), "not parquet");
  store_->Put("stage/dsn/edges/ducklake-stray.parquet", "x");
  VerifyReport broken = Verify();
  EXPECT_FALSE(broken.ok());
  ASSERT_EQ(broken.problems.size(), 2u);
  EXPECT_EQ(broken.problems[0].path, live[0]);
  EXPECT_EQ(broken.problems[0].message.rfind("missing (data file ", 0), 0u) << broken.problems[0].message;
  EXPECT_NE(broken.problems[0].message.find("of dsn.edges)"), std::string::npos) << broken.problems[0].message;
  EXPECT_EQ(broken.problems[1].path, live[1]);
  EXPECT_EQ(broken.problems[1].message.rfind("size 11 bytes, the catalog says ", 0), 0u) << broken.problems[1].message;
  ASSERT_EQ(broken.orphans.size(), 1u);
  EXPECT_EQ(broken.orphans[0].path, store_->Uri("stage/dsn/edges/ducklake-stray.parquet"));
  EXPECT_EQ(broken.orphans[0].size, 1u);
}

TEST_P(Maintenance, ExpireForgetsOldSnapshotsAndSchedulesFilesOnlyTheySaw) {
  int64_t between = WriteHistory();
  auto rows_before = Rows("SELECT id FROM stage.dsn.edges ORDER BY id");
  std::string replaced_file = CatalogRows("SELECT path FROM ducklake_data_file WHERE end_snapshot = 2").at(0);

  ExpiryReport dry = ExpireSnapshots(*metadata_, data_path_, between, /*dry_run=*/true);
  EXPECT_EQ(dry.expired, (std::vector<SnapshotId>{0, 1, 2}));
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_snapshot"), Lines{"4"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_files_scheduled_for_deletion"), Lines{"0"});

  ExpiryReport report = ExpireSnapshots(*metadata_, data_path_, between, /*dry_run=*/false);
  EXPECT_EQ(report.expired, (std::vector<SnapshotId>{0, 1, 2}));
  ASSERT_EQ(report.scheduled_files.size(), 1u);
  EXPECT_EQ(report.scheduled_files[0], data_path_ + "dsn/edges/" + replaced_file);
  EXPECT_EQ(CatalogRows("SELECT snapshot_id FROM ducklake_snapshot"), Lines{"3"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_snapshot_changes"), Lines{"1"});
  // Scheduled paths are relative to the data path, not to the table folder.
  EXPECT_EQ(CatalogRows("SELECT path, path_is_relative FROM ducklake_files_scheduled_for_deletion"),
            Lines{"dsn/edges/" + replaced_file + "|1"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_data_file WHERE end_snapshot IS NOT NULL"), Lines{"0"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_table"), Lines{"1"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_file_column_stats WHERE data_file_id NOT IN "
                        "(SELECT data_file_id FROM ducklake_data_file)"),
            Lines{"0"});

  // The latest snapshot reads as before; the expired ones are gone.
  EXPECT_EQ(Rows("SELECT id FROM stage.dsn.edges ORDER BY id"), rows_before);
  CatalogReader reader(*metadata_, data_path_);
  EXPECT_EQ(testing::ErrorOf([&] { reader.ResolveSnapshot(SnapshotSelector{1, std::nullopt}); }).rfind("catalog ", 0), 0u);

  // The scheduled file is still stored and not an orphan; cleanup removes it.
  EXPECT_TRUE(store_->Head(KeyOf(report.scheduled_files[0])).has_value());
  VerifyReport verify = Verify();
  EXPECT_TRUE(verify.ok());
  EXPECT_TRUE(verify.orphans.empty());
  CleanupReport cleanup = CleanupFiles(*metadata_, *store_, data_path_, NowMicros() - kHour, false);
  EXPECT_EQ(cleanup.scheduled_removed, report.scheduled_files);
  EXPECT_FALSE(store_->Head(KeyOf(report.scheduled_files[0])).has_value());
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_files_scheduled_for_deletion"), Lines{"0"});
  EXPECT_TRUE(Verify().ok());
  EXPECT_EQ(Rows("SELECT id FROM stage.dsn.edges ORDER BY id"), rows_before);
}

TEST_P(Maintenance, ExpireNeverTakesTheLatestSnapshot) {
  WriteHistory();
  ExpiryReport report = ExpireSnapshots(*metadata_, data_path_, NowMicros() + kHour, false);
  EXPECT_EQ(report.expired, (std::vector<SnapshotId>{0, 1, 2}));
  EXPECT_EQ(CatalogRows("SELECT snapshot_id FROM ducklake_snapshot"), Lines{"3"});
  EXPECT_TRUE(ExpireSnapshots(*metadata_, data_path_, NowMicros() + kHour, false).expired.empty());
}

TEST_P(Maintenance, CleanupRemovesOnlyOrphansOlderThanTheCutoff) {
  WriteHistory();
  // An orphan named by a writer that died an hour and a half ago, one from just now, and a file
  // not named like DuckLake's.
  std::string old_orphan = "stage/dsn/edges/ducklake-0190a3b4-0000-7000-8000-000000000000.parquet";
  store_->Put(old_orphan, "old");
  std::string new_orphan = "stage/dsn/edges/ducklake-" + UuidV7() + ".parquet";
  store_->Put(new_orphan, "new");
  store_->Put("stage/notes.txt", "keep me");

  CleanupReport dry = CleanupFiles(*metadata_, *store_, data_path_, NowMicros() - kHour, true);
  EXPECT_EQ(dry.orphans_removed, (std::vector<std::string>{store_->Uri(old_orphan)}));
  EXPECT_TRUE(store_->Head(old_orphan).has_value());

  CleanupReport report = CleanupFiles(*metadata_, *store_, data_path_, NowMicros() - kHour, false);
  EXPECT_EQ(report.orphans_removed, (std::vector<std::string>{store_->Uri(old_orphan)}));
  EXPECT_EQ(report.orphans_kept,
            (std::vector<std::string>{store_->Uri(new_orphan), store_->Uri("stage/notes.txt")}));
  EXPECT_FALSE(store_->Head(old_orphan).has_value());
  EXPECT_TRUE(store_->Head(new_orphan).has_value());
  EXPECT_TRUE(Verify().ok());
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"16"});
}

TEST(CatalogTime, ReadsAgesAndTimes) {
  EXPECT_EQ(ParseAgeMicros("30s"), int64_t{30} * 1000000);
  EXPECT_EQ(ParseAgeMicros("2w"), int64_t{14} * 86400 * 1000000);
  EXPECT_EQ(ParseAgeMicros("7"), std::nullopt);
  EXPECT_EQ(ParseAgeMicros("d"), std::nullopt);
  EXPECT_EQ(ParseAgeMicros("1y"), std::nullopt);
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1000000));
  EXPECT_EQ(ParseCutoffMicros("1h", now), (1000000 - 3600) * int64_t{1000000});
  EXPECT_EQ(ParseCutoffMicros("1970-01-02 00:00:00", now), 86400 * int64_t{1000000});
  EXPECT_EQ(testing::ErrorOf([&] { ParseCutoffMicros("yesterday", now); }),
            "cannot read 'yesterday' as an age (30s, 15m, 12h, 7d, 2w) or a UTC time (YYYY-MM-DD HH:MM:SS)");
  EXPECT_EQ(FileNameTimeMicros("s3://b/stage/t/ducklake-0190a3b4-0000-7000-8000-000000000000-delete.parquet"),
            int64_t{0x0190a3b40000} * 1000);
  EXPECT_EQ(FileNameTimeMicros("/x/ducklake-0190a3b4-0000-4000-8000-000000000000.parquet"), -1);  // not v7
  EXPECT_EQ(FileNameTimeMicros("/x/data.parquet"), -1);
}

INSTANTIATE_TEST_SUITE_P(Lake, Maintenance, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
