// The PostgreSQL server holding a catalog restarts (as after a crash) while dlctl processes
// commit to it: a commit either lands whole or not at all, none that reported success is lost,
// the catalog verifies, and the next command works. The test runs its own cluster
// (scripts/pg/pg-up.sh on PG_RESTART_TEST_PORT), never restarting the one the other tests share.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "lake/metadata/postgres_metadata_store.h"
#include "support/dlctl_project.h"
#include "support/run_command.h"
#include "support/joined_rows.h"
#include "support/test_env.h"
#include "support/test_postgres.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using Lines = std::vector<std::string>;

constexpr int kWriters = 4;

// A durable cluster of its own, removed when the object goes away.
class OwnPostgres {
 public:
  OwnPostgres() : port_(testing::RequiredEnv("DLCTL_TEST_PG_RESTART_PORT")) {
    CommandResult up = testing::RunCommand({Script("pg-up.sh"), dir(), port_, "durable"});
    EXPECT_EQ(up.exit_code, 0) << up.out << up.err;
  }
  ~OwnPostgres() { testing::RunCommand({Script("pg-down.sh"), dir()}); }

  void Restart() {
    CommandResult restarted = testing::RunCommand({Script("pg-restart.sh"), dir(), "immediate"});
    EXPECT_EQ(restarted.exit_code, 0) << restarted.out << restarted.err;
  }

  PostgresSettings settings() const {
    PostgresSettings pg;
    pg.host = "127.0.0.1";
    pg.port = port_;
    pg.database = "dlctl_test";
    pg.user = "postgres";
    return pg;
  }

 private:
  static std::string Script(const std::string& name) {
    return testing::RequiredEnv("DLCTL_SOURCE_DIR") + "/scripts/pg/" + name;
  }
  std::string dir() const { return (parent_.path() / "cluster").string(); }

  testing::TempDir parent_;
  std::string port_;
};

using testing::OneLine;

TEST(PostgresRestart, CommitsAcrossACrashRestartAreWholeOrAbsentAndTheNextCommandWorks) {
  OwnPostgres server;
  // Each writer on a machine of its own (LOCAL_DIR), sharing the bucket and the server.
  testing::DlctlProject project(testing::Bucket::kS3);
  std::map<std::string, std::string> env = testing::PostgresVariables(server.settings());
  env["PSQL_CATALOG_STAGE_SCHEMA"] = "restarted";
  CommandResult created = project.Run({"query", "CREATE TABLE stage.main.r (writer INTEGER, seq INTEGER)"}, env);
  ASSERT_EQ(created.exit_code, 0) << created.err;

  // Writers commit one row per process, one after the other, until the restarts are over and a
  // few commits more have gone through.
  std::atomic<bool> restarting{true};
  std::vector<std::vector<CommandResult>> results(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      std::map<std::string, std::string> machine = env;
      machine["LOCAL_DIR"] = (project.dir() / fmt::format("writer_{}", w)).string();
      for (int seq = 0, after = 0; after < 3; ++seq) {
        if (!restarting) ++after;
        results[w].push_back(project.Run({"query", fmt::format("INSERT INTO stage.main.r VALUES ({}, {})", w, seq)},
                                         machine));
      }
    });
  for (int restart = 0; restart < 2; ++restart) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    server.Restart();
  }
  restarting = false;
  for (auto& writer : writers) writer.join();

  std::set<std::pair<int, int>> succeeded, failed;
  for (int w = 0; w < kWriters; ++w)
    for (size_t seq = 0; seq < results[w].size(); ++seq) {
      const CommandResult& result = results[w][seq];
      (result.exit_code == 0 ? succeeded : failed).insert({w, static_cast<int>(seq)});
      if (result.exit_code != 0) {
        EXPECT_EQ(result.exit_code, 1);
        EXPECT_TRUE(OneLine(result.err)) << result.err;
      }
    }
  EXPECT_GE(failed.size(), 1u) << "the restarts met no commit";

  // Every commit that said so is there once; one that failed may be there (its COMMIT reached
  // the server, the answer did not), once at most.
  std::map<std::pair<int, int>, int> rows;
  std::string csv = project.Query("SELECT writer, seq FROM stage.main.r", env);
  std::istringstream lines(csv.substr(csv.find('\n') + 1));
  for (std::string line; std::getline(lines, line);)
    ++rows[{std::stoi(line.substr(0, line.find(','))), std::stoi(line.substr(line.find(',') + 1))}];
  for (const auto& commit : succeeded) EXPECT_EQ(rows[commit], 1) << commit.first << "/" << commit.second;
  int in_doubt = 0;
  for (const auto& [commit, count] : rows) {
    EXPECT_EQ(count, 1) << commit.first << "/" << commit.second;
    if (!succeeded.count(commit)) {
      EXPECT_TRUE(failed.count(commit)) << "a row no writer wrote";
      ++in_doubt;
    }
  }
  std::cout << succeeded.size() << " commits, " << failed.size() << " failed across two restarts, " << in_doubt
            << " of those landed\n";

  // Whole snapshots: ids without a gap, each with its changes, and every landed row counted once.
  PostgresMetadataStore catalog(server.settings().ConnectionString(), "restarted", false);
  size_t snapshots = 2 + rows.size();  // the catalog's first snapshot, CREATE TABLE, one per row
  EXPECT_EQ(testing::JoinedRows(catalog.Query("SELECT count(*), min(snapshot_id), max(snapshot_id) "
                                              "FROM ducklake_snapshot")),
            Lines{fmt::format("{}|0|{}", snapshots, snapshots - 1)});
  EXPECT_EQ(testing::JoinedRows(catalog.Query("SELECT count(*) FROM ducklake_snapshot_changes")),
            Lines{std::to_string(snapshots)});
  // Rows this small are inlined into the catalog: the table's stats count each landed row once.
  EXPECT_EQ(testing::JoinedRows(catalog.Query("SELECT record_count FROM ducklake_table_stats")),
            Lines{std::to_string(rows.size())});
  CommandResult verify = project.Run({"lake", "verify", "stage"}, env);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(" 0 problems"), std::string::npos) << verify.out;

  CommandResult next = project.Run({"query", "INSERT INTO stage.main.r VALUES (-1, -1)"}, env);
  EXPECT_EQ(next.exit_code, 0) << next.err;
}

}  // namespace
}  // namespace dlctl::lake
