// What a kill -9 leaves behind, and what dlctl makes of it: a half-written raw version is listed as
// incomplete, never counted by `prune --keep` and removed once it is an hour old; the staging file
// of the dead process goes at the next run; `dlctl tools gc` finds every kind of leftover. On the
// local default and on S3.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "storage/versioned_datasets.h"
#include "support/dlctl_project.h"
#include "util/process_owner.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Bucket;
using testing::CommandResult;
using testing::DlctlProject;

int CountLines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// An owner tag of a process that is gone: this process's pid with another start time.
std::string DeadOwnerTag() {
  ProcessOwner gone = CurrentProcess();
  gone.start_ticks += 1;
  return OwnerTag(gone);
}

// A DuckLake data file name whose uuidv7 says it was written at `t`.
std::string DuckLakeFileName(TimePoint t) {
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return fmt::format("ducklake-{:08x}-{:04x}-7000-8000-000000000000.parquet", millis >> 16, millis & 0xffff);
}

class CrashLeftovers : public ::testing::TestWithParam<Bucket> {
 protected:
  CrashLeftovers() : project_(GetParam()) {}

  ObjectStore& store() { return *project_.store(); }
  CommandResult Run(const std::vector<std::string>& args) { return project_.Run(args); }
  CommandResult MustRun(const std::vector<std::string>& args) {
    CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
    return result;
  }
  std::string VersionKey(const CommandResult& ingest) {
    return store().KeyOf(ingest.out.substr(0, ingest.out.find('\n'))).value_or("");
  }

  // Moves a version (its files and marks) to `hours` earlier, as if it had been begun then.
  std::string Age(const std::string& version_key, int hours) {
    size_t time_slash = version_key.rfind('/');
    size_t date_slash = version_key.rfind('/', time_slash - 1);
    TimePoint t = *ParseVersionFolderName(version_key.substr(date_slash + 1)) - std::chrono::hours(hours);
    std::string older = version_key.substr(0, date_slash + 1) + VersionFolderName(t);
    std::vector<std::string> moved;
    for (const auto& object : store().List(version_key)) {  // the folder and the marks beside it
      store().Copy(object.key, older + object.key.substr(version_key.size()));
      moved.push_back(object.key);
    }
    store().DeleteMany(moved);
    return older;
  }

  DlctlProject project_;
};

TEST_P(CrashLeftovers, KillDuringIngestLeavesAnIncompleteVersionThatLsMarksAndPruneHandles) {
  testing::WriteFile(project_.dir() / "small/a.csv", "x\n1\n");
  std::string complete = VersionKey(MustRun({"ingest", "dataset", "small", "ds"}));

  // One big file (first in upload order) next to small ones: the small ones land while it still
  // uploads, and the kill comes then.
  fs::path input = project_.dir() / "input";
  testing::WriteFile(input / "a_big.bin", "");
  fs::resize_file(input / "a_big.bin", GetParam() == Bucket::kLocal ? (512ull << 20) : (96ull << 20));  // sparse
  for (int i = 0; i < 12; ++i) testing::WriteFile(input / fmt::format("f{:02}.csv", i), "y\n2\n");
  testing::CommandOptions options{project_.dir(), project_.env()};
  testing::BackgroundCommand ingest({testing::RequiredEnv("DLCTL_BINARY"), "ingest", "dataset", "input", "ds"},
                                    options);
  std::string partial;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; partial.empty();) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the ingest never started writing";
    for (const auto& object : store().List("raw/ds/"))
      if (object.key.find("/f0") != std::string::npos && object.key.rfind(complete, 0) != 0)
        partial = object.key.substr(0, object.key.rfind('/'));
    if (partial.empty()) std::this_thread::sleep_for(1ms);
  }
  ingest.Kill();
  ASSERT_FALSE(store().Head(partial + ".complete")) << "the ingest finished before the kill";
  EXPECT_TRUE(store().Head(partial + ".writing"));
  EXPECT_FALSE(store().Head(partial + "/a_big.bin"));

  // Listed, and marked as incomplete, only with -a.
  CommandResult ls = MustRun({"ingest", "ls", "--format", "csv"});
  EXPECT_EQ(ls.out.find(partial.substr(7)), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find(",true,true,a.csv,"), std::string::npos) << ls.out;
  CommandResult all = MustRun({"ingest", "ls", "-a", "--format", "csv"});
  std::string version = partial.substr(std::string("raw/ds/").size());
  EXPECT_NE(all.out.find("ds," + version + ",false,false,f"), std::string::npos) << all.out;  // a small file
  auto json = nlohmann::json::parse(MustRun({"ingest", "ls", "-a", "--json"}).out);
  EXPECT_EQ(json[0]["versions"][1]["complete"], false);
  EXPECT_EQ(json[0]["versions"][0]["complete"], true);

  // Not counted by --keep, and too recent to remove.
  EXPECT_EQ(MustRun({"ingest", "prune", "--keep", "1", "--dry-run"}).out, "");
  if (GetParam() == Bucket::kLocal) {
    // The dead process's staging file is a leftover right away (its owner is known to be gone)...
    CommandResult gc = MustRun({"tools", "gc", "--dry-run"});
    EXPECT_NE(gc.out.find("would remove upload " + (project_.local() / "bucket/.staging-lakehouse/").string()),
              std::string::npos) << gc.out;
    EXPECT_EQ(gc.out.find("would remove version"), std::string::npos) << gc.out;
  }

  // An hour later it is abandoned: prune (and gc) remove it, the complete version stays.
  std::string aged = Age(partial, 2);
  CommandResult dry = MustRun({"ingest", "prune", "--keep", "1", "--dry-run"});
  EXPECT_EQ(dry.out.rfind("would remove " + store().Uri(aged) + " (incomplete, ", 0), 0u) << dry.out;
  EXPECT_EQ(CountLines(dry.out), 1) << dry.out;
  EXPECT_NE(MustRun({"tools", "gc", "--dry-run"}).out.find("would remove version " + store().Uri(aged)),
            std::string::npos);
  EXPECT_FALSE(store().List(aged + "/").empty()) << "a dry run removes nothing";
  CommandResult prune = MustRun({"ingest", "prune", "--keep", "1"});
  EXPECT_EQ(prune.out.rfind("removed " + store().Uri(aged) + " (incomplete, ", 0), 0u) << prune.out;
  EXPECT_TRUE(store().List(aged).empty());
  EXPECT_TRUE(store().Head(complete + "/a.csv"));

  if (GetParam() == Bucket::kLocal) {
    // ...and the next ingest removes it on its own.
    MustRun({"ingest", "dataset", "small", "ds"});
    EXPECT_TRUE(fs::is_empty(project_.local() / "bucket/.staging-lakehouse"));
  }
}

TEST_P(CrashLeftovers, GcRemovesEveryKindOfLeftoverAndSaysWhatAndHowMuch) {
  TimePoint now = std::chrono::system_clock::now();
  fs::path local = project_.local();
  // Scratch of a dead backup and of a dead restore; a live process's backup scratch stays.
  testing::WriteFile(local / (".backup-2025_01_01T00_00_00_000." + DeadOwnerTag()) / "stage.sqlite", std::string(300, 's'));
  testing::WriteFile(project_.dir() / (".local.restore-2025_01_01T00_00_00_000." + DeadOwnerTag()) / "x", "r");
  fs::path live_scratch = local / (".backup-2025_01_02T00_00_00_000." + OwnerTag(CurrentProcess()));
  testing::WriteFile(live_scratch / "stage.sqlite", "s");
  // An export its writer abandoned two hours ago, and a finished raw version that stays.
  std::string abandoned = "exports/graphs/music/" + VersionFolderName(now - 2h);
  store().Put(abandoned + ".writing", nlohmann::json{{"owner", DeadOwnerTag()}}.dump());
  store().Put(abandoned + "/nodes/nodes_users.parquet", std::string(1000, 'p'));
  testing::WriteFile(project_.dir() / "small/a.csv", "x\n1\n");
  std::string raw = VersionKey(MustRun({"ingest", "dataset", "small", "ds"}));
  // Orphans of the stage catalog: one from a writer that died two hours ago, one just written.
  project_.Query("CREATE TABLE stage.main.t AS SELECT 1 AS x");
  std::string old_orphan = "stage/main/t/" + DuckLakeFileName(now - 2h);
  std::string new_orphan = "stage/main/t/" + DuckLakeFileName(now);
  store().Put(old_orphan, std::string(500, 'o'));
  store().Put(new_orphan, "o");

  CommandResult dry = MustRun({"tools", "gc", "--dry-run"});
  EXPECT_NE(dry.out.find("would remove scratch " + (local / ".backup-2025_01_01T00_00_00_000.").string()),
            std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("would remove scratch " + (project_.dir() / ".local.restore-").string()), std::string::npos)
      << dry.out;
  EXPECT_NE(dry.out.find("would remove version " + store().Uri(abandoned) + " (incomplete, 1000 B)"),
            std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("would remove orphan " + store().Uri(old_orphan) + " (catalog stage, 500 B)"),
            std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find(new_orphan), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find(live_scratch.string()), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find(raw), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("gc: would remove 4 items, 1.8 KiB (1801 bytes)\n"), std::string::npos) << dry.out;
  EXPECT_TRUE(store().Head(old_orphan));

  CommandResult gc = MustRun({"tools", "gc"});
  EXPECT_NE(gc.out.find("gc: removed 4 items"), std::string::npos) << gc.out;
  EXPECT_FALSE(store().Head(old_orphan));
  EXPECT_TRUE(store().Head(new_orphan));
  EXPECT_TRUE(store().List(abandoned).empty());
  EXPECT_TRUE(store().Head(raw + "/a.csv"));
  EXPECT_FALSE(fs::exists(local / (".backup-2025_01_01T00_00_00_000." + DeadOwnerTag())));
  EXPECT_TRUE(fs::exists(live_scratch));
  EXPECT_EQ(project_.Query("SELECT x FROM stage.main.t"), "x\n1\n");
  EXPECT_EQ(MustRun({"tools", "gc"}).out, "gc: removed 0 items, 0 B (0 bytes)\n");
}

TEST_P(CrashLeftovers, GcGoesOnPastADamagedCatalogAndFailsWithOneLine) {
  project_.Query("CREATE TABLE stage.main.t AS SELECT 1 AS x");
  testing::WriteFile(project_.local() / "marts/graphs.sqlite", "not a database at all, not even close.....");
  std::string abandoned = "raw/ds/" + VersionFolderName(std::chrono::system_clock::now() - 2h);
  store().Put(abandoned + ".writing", nlohmann::json{{"owner", DeadOwnerTag()}}.dump());
  CommandResult gc = Run({"tools", "gc"});
  EXPECT_EQ(gc.exit_code, 1);
  EXPECT_NE(gc.out.find("removed version " + store().Uri(abandoned)), std::string::npos) << gc.out;
  EXPECT_EQ(CountLines(gc.err), 1) << gc.err;
  EXPECT_NE(gc.err.find("catalog graphs"), std::string::npos) << gc.err;
}

INSTANTIATE_TEST_SUITE_P(Stores, CrashLeftovers, ::testing::Values(Bucket::kLocal, Bucket::kS3), testing::BucketName);

}  // namespace
}  // namespace dlctl
