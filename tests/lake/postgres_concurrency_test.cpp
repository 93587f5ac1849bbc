// Several dlctl processes writing to one catalog on PostgreSQL at once: 8 writers x 50 commits
// (into a table of their own and into one shared table) plus two pairs of conflicting DDL.
// Every commit lands exactly once (its row inlined in the catalog), snapshot ids have no gap,
// `lake verify` is clean, and the losing DDL exits non-zero with a one-line message.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <thread>

#include "lake/metadata/postgres_metadata_store.h"
#include "support/dlctl_project.h"
#include "support/joined_rows.h"
#include "support/test_postgres.h"

namespace dlctl::lake {
namespace {

using testing::CommandResult;
using Lines = std::vector<std::string>;

constexpr int kWriters = 8, kCommitsPerWriter = 50;

// 50 INSERT statements, each its own commit: even ones into the shared table, odd ones into the
// writer's own table.
std::string WriterScript(int writer) {
  std::string sql;
  for (int seq = 0; seq < kCommitsPerWriter; ++seq)
    sql += seq % 2 == 0 ? fmt::format("INSERT INTO stage.main.shared VALUES ({}, {});\n", writer, seq)
                        : fmt::format("INSERT INTO stage.main.own_{} VALUES ({});\n", writer, seq);
  return sql;
}

// One error line; DuckDB's own context for it (a "Did you mean" when the other transaction dropped
// the table first) follows on indented lines.
bool OneError(const std::string& text) {
  if (text.rfind("dlctl: error: ", 0) != 0 || text.back() != '\n') return false;
  for (size_t end = text.find('\n'); end + 1 < text.size(); end = text.find('\n', end + 1))
    if (text.compare(end + 1, 2, "  ") != 0) return false;
  return true;
}

TEST(PostgresConcurrency, EightWritersFiftyCommitsEachAndConflictingDdl) {
  // As in a lab: the data in one bucket, the metadata on one server, and each writer on its own
  // machine (its own LOCAL_DIR, whose engine database only one process can open).
  testing::DlctlProject project(testing::Bucket::kS3);
  // The password user, so the processes also go through password authentication.
  std::map<std::string, std::string> env = testing::PostgresVariables(testing::TestPostgresPasswordSettings());
  env["PSQL_CATALOG_STAGE_SCHEMA"] = testing::MakeTestSchema("concurrency");

  std::string setup = "CREATE TABLE stage.main.shared (writer INTEGER, seq INTEGER);\n"
                      "CREATE TABLE stage.main.altered (a INTEGER);\n"
                      "CREATE TABLE stage.main.dropped (a INTEGER);\n";
  for (int w = 0; w < kWriters; ++w) setup += fmt::format("CREATE TABLE stage.main.own_{} (seq INTEGER);\n", w);
  CommandResult created = project.Run({"query", setup}, env);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const int setup_commits = 3 + kWriters;

  // Each DDL holds its transaction open a moment (the scan) so the two of a pair usually overlap
  // and the second meets a commit-time conflict; when they do not, it fails binding instead.
  const std::string hold = "SELECT count(*) FROM range(30000000)";
  std::vector<std::string> ddl = {
      "BEGIN; ALTER TABLE stage.main.altered ADD COLUMN b INTEGER; " + hold + "; COMMIT;",
      "BEGIN; ALTER TABLE stage.main.altered ADD COLUMN b INTEGER; " + hold + "; COMMIT;",
      "BEGIN; DROP TABLE stage.main.dropped; " + hold + "; COMMIT;",
      "BEGIN; DROP TABLE stage.main.dropped; " + hold + "; COMMIT;",
  };
  auto on_machine = [&](const std::string& name) {
    std::map<std::string, std::string> machine = env;
    machine["LOCAL_DIR"] = (project.dir() / name).string();
    return machine;
  };
  std::vector<CommandResult> writer_results(kWriters), ddl_results(ddl.size());
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      writer_results[w] = project.Run({"query", WriterScript(w)}, on_machine("writer_" + std::to_string(w)));
    });
  for (size_t i = 0; i < ddl.size(); ++i)
    threads.emplace_back([&, i] { ddl_results[i] = project.Run({"query", ddl[i]}, on_machine("ddl_" + std::to_string(i))); });
  for (auto& thread : threads) thread.join();

  for (int w = 0; w < kWriters; ++w) EXPECT_EQ(writer_results[w].exit_code, 0) << w << ": " << writer_results[w].err;
  int ddl_commits = 0;
  for (size_t pair = 0; pair < ddl.size(); pair += 2) {
    const CommandResult &a = ddl_results[pair], &b = ddl_results[pair + 1];
    EXPECT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a.err << b.err;
    const CommandResult& lost = a.exit_code == 0 ? b : a;
    EXPECT_EQ(lost.exit_code, 1);
    EXPECT_TRUE(OneError(lost.err)) << lost.err;
    bool clear = lost.err.find("transaction conflict: this transaction ") != std::string::npos ||
                 lost.err.find("already exists") != std::string::npos ||
                 lost.err.find("does not exist") != std::string::npos;
    EXPECT_TRUE(clear) << lost.err;
    ++ddl_commits;
  }

  // Every commit exactly once.
  EXPECT_EQ(project.Query("SELECT count(*) AS n, count(DISTINCT (writer, seq)) AS d, min(c) AS lo, max(c) AS hi "
                          "FROM (SELECT writer, seq, count(*) OVER (PARTITION BY writer, seq) AS c "
                          "FROM stage.main.shared)",
                          env),
            fmt::format("n,d,lo,hi\n{0},{0},1,1\n", kWriters * kCommitsPerWriter / 2));
  for (int w = 0; w < kWriters; ++w)
    EXPECT_EQ(project.Query(fmt::format("SELECT count(*) AS n, count(DISTINCT seq) AS d, sum(seq) AS s FROM "
                                        "stage.main.own_{}",
                                        w),
                            env),
              fmt::format("n,d,s\n{},{},{}\n", kCommitsPerWriter / 2, kCommitsPerWriter / 2,
                          kCommitsPerWriter * kCommitsPerWriter / 4))
        << w;

  // Gapless snapshots 0..N, one per commit.
  PostgresMetadataStore catalog(testing::TestPostgresSettings().ConnectionString(), env["PSQL_CATALOG_STAGE_SCHEMA"],
                                false);
  const int commits = 1 + setup_commits + kWriters * kCommitsPerWriter + ddl_commits;
  EXPECT_EQ(testing::JoinedRows(catalog.Query("SELECT count(*), min(snapshot_id), max(snapshot_id), "
                                              "count(DISTINCT snapshot_id) FROM ducklake_snapshot")),
            Lines{fmt::format("{0}|0|{1}|{0}", commits, commits - 1)});
  EXPECT_EQ(testing::JoinedRows(catalog.Query("SELECT count(*) FROM ducklake_snapshot_changes")),
            Lines{std::to_string(commits)});
  // Every single-row insert stayed in the catalog (the default data_inlining_row_limit): no data
  // file, each row inlined once with a row id of its own, one file id taken per commit.
  EXPECT_EQ(testing::JoinedRows(catalog.Query("SELECT count(*) FROM ducklake_data_file")), Lines{"0"});
  int64_t inlined = 0;
  for (const Row& table : catalog.Query("SELECT table_name FROM ducklake_inlined_data_tables")) {
    Row counts = catalog.Query("SELECT count(*), count(DISTINCT row_id) FROM " + table.Text(0)).at(0);
    EXPECT_EQ(counts.Int(0), counts.Int(1)) << table.Text(0);
    inlined += counts.Int(0);
  }
  EXPECT_EQ(inlined, kWriters * kCommitsPerWriter);
  EXPECT_EQ(testing::JoinedRows(catalog.Query("SELECT max(next_file_id) FROM ducklake_snapshot")),
            Lines{std::to_string(kWriters * kCommitsPerWriter)});

  CommandResult verify = project.Run({"lake", "verify", "stage"}, env);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(" 0 problems, 0 orphans"), std::string::npos) << verify.out;
}

}  // namespace
}  // namespace dlctl::lake
