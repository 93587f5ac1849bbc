// A SQLite catalog held by another writer: the next writer waits (bounded), then fails with one
// line naming the file and the setting.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "lake/metadata/sqlite_metadata_store.h"
#include "support/test_env.h"
#include "util/lock_wait.h"

namespace dlctl::lake {
namespace {

using namespace std::chrono;

TEST(SqliteLockWait, ASecondWriterWaitsForTheFirstAndGivesUpAfterTheLimit) {
  testing::TempDir dir;
  auto path = dir.path() / "stage.sqlite";
  SqliteMetadataStore first(path, true);
  first.ExecuteScript("CREATE TABLE t (x INTEGER)");
  SqliteMetadataStore second(path, false, milliseconds(400));

  first.Begin();
  auto start = steady_clock::now();
  try {
    second.Begin();
    FAIL() << "the second writer did not wait";
  } catch (const LockTimeoutError& e) {
    EXPECT_EQ(std::string(e.what()),
              "catalog " + path.string() + " is still held by another commit after 0 s (LOCK_WAIT_SECONDS)");
  }
  EXPECT_GE(steady_clock::now() - start, milliseconds(400));

  // Released while the second one waits: it goes on.
  std::thread release([&] {
    std::this_thread::sleep_for(milliseconds(150));
    first.Execute("INSERT INTO t VALUES (1)");
    first.Commit();
  });
  second.Begin();
  release.join();
  second.Execute("INSERT INTO t VALUES (2)");
  second.Commit();
  EXPECT_EQ(first.Query("SELECT count(*) FROM t")[0].Int(0), 2);
}

}  // namespace
}  // namespace dlctl::lake
