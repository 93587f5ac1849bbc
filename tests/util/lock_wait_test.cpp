#include "util/lock_wait.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "support/test_env.h"

namespace dlctl {
namespace {

using namespace std::chrono;

TEST(LockWait, RetriesUntilTheLimitThenGivesUpWithOneLine) {
  LockWait wait("/lab/local/engine.duckdb", milliseconds(300));
  auto start = steady_clock::now();
  int retries = 0;
  while (wait.Retry()) ++retries;
  EXPECT_GE(steady_clock::now() - start, milliseconds(300));
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));  // short sleeps: a freed lock is taken soon
  EXPECT_GE(retries, 5);
  EXPECT_EQ(wait.TimeoutMessage("dlctl, PID 7"),
            "/lab/local/engine.duckdb is still held by another process (dlctl, PID 7) after 0 s (LOCK_WAIT_SECONDS)");
  wait.Restart();
  EXPECT_TRUE(wait.Retry());
}

TEST(LockHolder, NamesTheProcessHoldingALockOnTheFile) {
  testing::TempDir dir;
  std::string path = (dir.path() / "held").string();
  testing::WriteFile(path, "x");
  EXPECT_EQ(LockHolder(path), "");

  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // holds a read lock (what a DuckDB reader takes) until killed
    int fd = ::open(path.c_str(), O_RDONLY);
    struct flock lock {};
    lock.l_type = F_RDLCK;
    lock.l_whence = SEEK_SET;
    ::fcntl(fd, F_SETLK, &lock);
    (void)!::write(ready[1], "1", 1);
    ::pause();
    ::_exit(0);
  }
  char byte;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  std::string holder = LockHolder(path);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  EXPECT_NE(holder.find("PID " + std::to_string(child)), std::string::npos) << holder;
  EXPECT_EQ(LockHolder(path), "");
}

}  // namespace
}  // namespace dlctl
