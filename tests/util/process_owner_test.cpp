#include "util/process_owner.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/test_env.h"
#include "util/owned_scratch.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(ProcessOwner, TagsRoundTripWithHostNamesHoldingDashesAndDots) {
  ProcessOwner owner{4711, 123456, "lab-01.example.org"};
  EXPECT_EQ(OwnerTag(owner), "4711-123456-lab-01.example.org");
  auto parsed = ParseOwnerTag(OwnerTag(owner));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->pid, 4711);
  EXPECT_EQ(parsed->start_ticks, 123456u);
  EXPECT_EQ(parsed->host, "lab-01.example.org");
  for (const char* bad : {"", "4711", "4711-12", "4711-12-", "x-12-h", "4711-x-h", "-1-2-h", "0-2-h"})
    EXPECT_FALSE(ParseOwnerTag(bad)) << bad;
}

TEST(ProcessOwner, ThisProcessIsAliveAnExitedOneIsDeadAnotherHostIsUnknown) {
  EXPECT_EQ(CheckLiveness(CurrentProcess()), Liveness::kAlive);
  ProcessOwner reused = CurrentProcess();
  reused.start_ticks += 1;  // the same pid, started at another time: not the same process
  EXPECT_EQ(CheckLiveness(reused), Liveness::kDead);

  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  EXPECT_EQ(CheckLiveness({child, CurrentProcess().start_ticks, CurrentProcess().host}), Liveness::kDead);

  ProcessOwner elsewhere = CurrentProcess();
  elsewhere.host += "-elsewhere";
  EXPECT_EQ(CheckLiveness(elsewhere), Liveness::kUnknown);
}

TEST(ProcessOwner, WorkIsAbandonedWhenItsOwnerIsGoneOrNobodyCanTellForAnHour) {
  TimePoint now = std::chrono::system_clock::now();
  EXPECT_TRUE(IsAbandonedWork(Liveness::kDead, now, now));
  EXPECT_FALSE(IsAbandonedWork(Liveness::kAlive, now - 48h, now));
  EXPECT_FALSE(IsAbandonedWork(Liveness::kUnknown, now - 59min, now));
  EXPECT_TRUE(IsAbandonedWork(Liveness::kUnknown, now - 61min, now));
}

TEST(OwnedScratch, FoldersNameTheirOwnerAndOnlyTheAbandonedOnesAreRemoved) {
  testing::TempDir dir;
  fs::path parent = dir.path();
  TimePoint now = std::chrono::system_clock::now();
  fs::path mine = OwnedScratchPath(parent, ".backup-", now);
  EXPECT_EQ(mine.filename().string(), ".backup-" + FolderStamp(now) + "." + OwnerTag(CurrentProcess()));
  ProcessOwner gone = CurrentProcess();
  gone.start_ticks += 1;
  fs::path dead = parent / (".backup-2025_01_01T00_00_00_000." + OwnerTag(gone));
  fs::path old_untagged = parent / ".backup-2025_01_01T00_00_00_000";
  fs::path other = parent / "unrelated";
  for (const fs::path& folder : {mine, dead, old_untagged, other}) {
    fs::create_directories(folder);
    std::ofstream(folder / "file") << "12345";
  }
  fs::last_write_time(old_untagged / "file", fs::file_time_type::clock::now() - 2h);
  fs::last_write_time(old_untagged, fs::file_time_type::clock::now() - 2h);

  std::vector<ScratchFolderInfo> found = FindScratchFolders(parent, ".backup-");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].path, old_untagged);
  EXPECT_EQ(found[0].owner, Liveness::kUnknown);
  EXPECT_EQ(found[0].bytes, 5u);
  EXPECT_EQ(found[1].owner, Liveness::kDead);
  EXPECT_EQ(found[2].owner, Liveness::kAlive);

  RemoveAbandonedScratch(parent, ".backup-", now);
  EXPECT_TRUE(fs::exists(mine));
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_FALSE(fs::exists(old_untagged));
  EXPECT_TRUE(fs::exists(other));
}

}  // namespace
}  // namespace dlctl
