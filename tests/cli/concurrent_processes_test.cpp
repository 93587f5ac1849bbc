// Many dlctl processes on one LOCAL_DIR at once, as a lab uses it: people query while others
// write and while a transform runs. Readers never fail because another process runs; commits to
// a SQLite catalog serialize in the catalog; a process that writes to the engine database waits
// for another writer (saying so after a second) instead of failing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "support/dlctl_project.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Runs `processes` threads, each running `per_process` dlctl commands one after the other;
// `command(p, i)` gives the arguments of the i-th command of thread p.
std::vector<CommandResult> RunSideBySide(const DlctlProject& project, int processes, int per_process,
                                         const std::function<std::vector<std::string>(int, int)>& command,
                                         const std::map<std::string, std::string>& env = {}) {
  std::vector<CommandResult> results(static_cast<size_t>(processes * per_process));
  std::vector<std::thread> threads;
  for (int p = 0; p < processes; ++p)
    threads.emplace_back([&, p] {
      for (int i = 0; i < per_process; ++i) results[static_cast<size_t>(p * per_process + i)] = project.Run(command(p, i), env);
    });
  for (auto& thread : threads) thread.join();
  return results;
}

int Succeeded(const std::vector<CommandResult>& results) {
  int ok = 0;
  for (const CommandResult& result : results) {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    ok += result.exit_code == 0;
  }
  return ok;
}

TEST(ConcurrentProcesses, EightProcessesCommitTwentyInsertsEachToOneSqliteCatalog) {
  DlctlProject project(Bucket::kLocal);
  project.Query("CREATE TABLE stage.main.conc (writer INTEGER, seq INTEGER)");
  // The engine database exists and holds a table, which every writer reads: all of them open it
  // at once (read-only), while their commits go to stage.sqlite.
  project.Query("CREATE TABLE offsets AS SELECT 1000 AS base");
  ASSERT_TRUE(fs::exists(project.local() / "engine.duckdb"));

  auto results = RunSideBySide(project, 8, 20, [](int writer, int seq) {
    return std::vector<std::string>{
        "query", fmt::format("INSERT INTO stage.main.conc SELECT {}, base + {} FROM offsets", writer, seq)};
  });
  EXPECT_EQ(Succeeded(results), 160);

  EXPECT_EQ(project.Query("SELECT count(*) AS n, count(DISTINCT (writer, seq)) AS d, min(seq) AS lo, max(seq) AS hi "
                          "FROM stage.main.conc"),
            "n,d,lo,hi\n160,160,1000,1019\n");
  // One snapshot per commit: the catalog's first, the table's, 160 inserts'.
  CommandResult snapshots = project.Run({"lake", "snapshots", "stage", "-f", "csv"});
  ASSERT_EQ(snapshots.exit_code, 0) << snapshots.err;
  EXPECT_EQ(std::count(snapshots.out.begin(), snapshots.out.end(), '\n'), 1 + 162) << snapshots.out;
}

TEST(ConcurrentProcesses, WritersOfTheEngineDatabaseTakeTurnsWhileReadersRead) {
  DlctlProject project(Bucket::kLocal);
  project.Query("CREATE TABLE notes (writer INTEGER, seq INTEGER)");
  // Each INSERT needs the engine database for itself; each SELECT shares it with other readers.
  auto results = RunSideBySide(project, 6, 5, [](int process, int i) {
    return process < 3 ? std::vector<std::string>{"query", fmt::format("INSERT INTO notes VALUES ({}, {})", process, i)}
                       : std::vector<std::string>{"query", "SELECT count(*) FROM notes"};
  });
  EXPECT_EQ(Succeeded(results), 30);
  EXPECT_EQ(project.Query("SELECT count(*) AS n, count(DISTINCT (writer, seq)) AS d FROM notes"), "n,d\n15,15\n");
}

// Holds the lock DuckDB takes on a database it writes (a POSIX write lock on the whole file), as
// another process writing to it would.
class FileWriteLock {
 public:
  explicit FileWriteLock(const fs::path& path) : fd_(::open(path.c_str(), O_RDWR | O_CLOEXEC)) {
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    EXPECT_EQ(::fcntl(fd_, F_SETLK, &lock), 0) << path;
  }
  ~FileWriteLock() { ::close(fd_); }
  FileWriteLock(const FileWriteLock&) = delete;
  FileWriteLock& operator=(const FileWriteLock&) = delete;

 private:
  int fd_;
};

TEST(ConcurrentProcesses, AReaderWaitsForAWriterOfTheEngineDatabaseAndSaysSoOnce) {
  DlctlProject project(Bucket::kLocal);
  project.Query("CREATE TABLE notes AS SELECT 42 AS n");
  fs::path engine_db = project.local() / "engine.duckdb";

  CommandResult waited;
  Clock::time_point start = Clock::now(), done;
  auto held = std::make_optional<FileWriteLock>(engine_db);
  std::thread reader([&] {
    waited = project.Run({"query", "-f", "csv", "SELECT n FROM notes"});
    done = Clock::now();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  held.reset();  // while the reader waits
  reader.join();
  ASSERT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_EQ(waited.out, "n\n42\n");
  EXPECT_GE(done - start, std::chrono::milliseconds(2500));
  std::string said = fmt::format("dlctl: waiting for {}: another process (", engine_db.string());
  EXPECT_EQ(waited.err.find(said), 0u) << waited.err;
  EXPECT_NE(waited.err.find(fmt::format("PID {})", ::getpid())), std::string::npos) << waited.err;
  EXPECT_EQ(std::count(waited.err.begin(), waited.err.end(), '\n'), 1) << waited.err;

  // The wait is bounded: LOCK_WAIT_SECONDS, then one line naming the file and the setting.
  held.emplace(engine_db);
  CommandResult gave_up = project.Run({"query", "SELECT n FROM notes"}, {{"LOCK_WAIT_SECONDS", "1"}});
  EXPECT_EQ(gave_up.exit_code, 1);
  EXPECT_NE(gave_up.err.find(engine_db.string() + " is still held by another process ("), std::string::npos)
      << gave_up.err;
  EXPECT_NE(gave_up.err.find("after 1 s (LOCK_WAIT_SECONDS)"), std::string::npos) << gave_up.err;
  CommandResult bad = project.Run({"query", "SELECT 1"}, {{"LOCK_WAIT_SECONDS", "soon"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("LOCK_WAIT_SECONDS must be a number of seconds"), std::string::npos) << bad.err;
}

TEST(ConcurrentProcesses, QueriesRunWhileATransformRuns) {
  DlctlProject project(Bucket::kLocal);
  fs::copy(fs::path(RequiredEnv("DLCTL_SOURCE_DIR")) / "transform", project.dir() / "transform",
           fs::copy_options::recursive);
  fs::remove_all(project.dir() / "transform" / "target");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"tools", "generate-sample-data", "--scale", "0.01", "--seed", "7", "data"},
        {"ingest", "dataset", "data/deezer-social-networks", "deezer_social_networks"},
        {"ingest", "dataset", "data/million-song-dataset-spotify-lastfm", "million_song_dataset_spotify_lastfm"},
        {"transform", "--threads", "2"}}) {
    CommandResult result = project.Run(args);
    ASSERT_EQ(result.exit_code, 0) << args[0] << ": " << result.err;
  }
  const std::string counts = project.Query(
      "SELECT (SELECT count(*) FROM stage.dsn.hr_edges) AS edges, (SELECT count(*) FROM graphs.music_taste.nodes_genres) AS genres");

  // The same transform again, with 4 x 5 queries of the tables it replaces.
  std::atomic<bool> transform_done{false};
  Clock::time_point transform_end;
  CommandResult transform;
  std::thread transformer([&] {
    transform = project.Run({"transform", "--threads", "2"});
    transform_end = Clock::now();
    transform_done = true;
  });
  std::atomic<int> during{0};
  auto results = RunSideBySide(project, 4, 5, [&](int, int) {
    if (!transform_done) ++during;
    return std::vector<std::string>{
        "query", "-f", "csv",
        "SELECT (SELECT count(*) FROM stage.dsn.hr_edges) AS edges, (SELECT count(*) FROM graphs.music_taste.nodes_genres) AS genres"};
  });
  transformer.join();
  ASSERT_EQ(transform.exit_code, 0) << transform.err;
  EXPECT_EQ(Succeeded(results), 20);
  for (const CommandResult& result : results) EXPECT_EQ(result.out, counts);
  EXPECT_GE(during, 4) << "the queries did not overlap the transform";
}

}  // namespace
}  // namespace dlctl::testing
