// Writers racing on one catalog, on the local default and on S3: transactions that began at the
// same snapshot both commit when they touch different things, the second one fails clearly when
// they collide, and a writer killed between writing its files and committing leaves the catalog
// exactly as it was (its files are orphans).
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "lake/metadata/catalog_time.h"
#include "lake/maintenance/catalog_verify.h"
#include "lake/maintenance/file_cleanup.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

class WriteConcurrency : public WriteLakeTest {
 protected:
  void SetUp() override {
    WriteLakeTest::SetUp();
    engine_->Query("CREATE SCHEMA stage.dsn");
    engine_->Query("CREATE TABLE stage.dsn.edges AS SELECT i::INTEGER AS source_id, i::INTEGER AS target_id "
                   "FROM range(10) t(i)");
    ASSERT_EQ(LastCommittedSnapshot(*engine_, "stage"), 2);
    other_ = std::make_unique<Engine>(store_, settings_, EngineOptions{.threads = 2});
    Attach(*other_);  // another connection to the catalog, as another process would have
  }

  // The error COMMIT fails with on `engine`.
  std::string CommitError(Engine& engine) {
    try {
      engine.Query("COMMIT");
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "the commit did not fail";
    return {};
  }

  std::unique_ptr<Engine> other_;
};

TEST_P(WriteConcurrency, NonConflictingTransactionsBothCommit) {
  engine_->Query("BEGIN; SELECT count(*) FROM stage.dsn.edges");  // both begin at snapshot 2
  other_->Query("BEGIN; SELECT count(*) FROM stage.dsn.edges");
  other_->Query("CREATE TABLE stage.dsn.nodes AS SELECT range AS id FROM range(5)");
  other_->Query("INSERT INTO stage.dsn.edges VALUES (100, 100)");
  engine_->Query("CREATE VIEW stage.dsn.v AS SELECT count(*) AS n FROM stage.dsn.edges");
  engine_->Query("INSERT INTO stage.dsn.edges VALUES (200, 200), (201, 201)");  // appends to one table commute
  other_->Query("COMMIT");
  EXPECT_EQ(LastCommittedSnapshot(*other_, "stage"), 3);
  engine_->Query("COMMIT");
  EXPECT_EQ(LastCommittedSnapshot(*engine_, "stage"), 4);

  EXPECT_EQ(CatalogRows("SELECT snapshot_id, changes_made FROM ducklake_snapshot_changes WHERE snapshot_id > 2"),
            (Lines{"3|created_table:\"dsn\".\"nodes\",inserted_into_table:2,inserted_into_table:3",
                   "4|created_view:\"dsn\".\"v\",inserted_into_table:2"}));
  // Our ids were handed out after the other commit's: view 4, file 3 (after 1 and 2).
  EXPECT_EQ(CatalogRows("SELECT view_id FROM ducklake_view"), Lines{"4"});
  EXPECT_EQ(CatalogRows("SELECT data_file_id, table_id, begin_snapshot, row_id_start, record_count FROM "
                        "ducklake_data_file ORDER BY 1"),
            (Lines{"0|2|2|0|10", "1|2|3|10|1", "2|3|3|0|5", "3|2|4|11|2"}));
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats WHERE table_id = 2"),
            Lines{"13|13"});
  EXPECT_EQ(CatalogRows("SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                        "WHERE snapshot_id > 2"),
            (Lines{"3|3|4|3", "4|4|5|4"}));
  EXPECT_EQ(Rows("SELECT n FROM stage.dsn.v"), Lines{"13"});
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.nodes"), Lines{"5"});
}

TEST_P(WriteConcurrency, ConflictingTransactionsFailTheSecondClearly) {
  engine_->Query("BEGIN; INSERT INTO stage.dsn.edges VALUES (1, 1)");
  other_->Query("DROP TABLE stage.dsn.edges");
  std::string message = CommitError(*engine_);
  EXPECT_NE(message.find("transaction conflict: this transaction inserts into table \"dsn\".\"edges\" but another "
                         "writer dropped it after snapshot 2, so nothing was committed"),
            std::string::npos)
      << message;
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id), count(*) FROM ducklake_snapshot"), Lines{"3|4"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_data_file WHERE end_snapshot IS NULL"), Lines{"0"});

  engine_->Query("CREATE TABLE stage.dsn.t AS SELECT range::INTEGER AS x FROM range(10)");  // 4
  struct Case {
    const char* name;
    const char *ours, *theirs;
    const char* message;
  };
  std::vector<Case> cases = {
      {"same table created", "CREATE TABLE stage.dsn.u (a INTEGER)", "CREATE VIEW stage.dsn.u AS SELECT 1",
       "creates \"dsn\".\"u\" but another writer created an entry of that name"},
      {"same rows deleted", "DELETE FROM stage.dsn.t WHERE x < 5", "UPDATE stage.dsn.t SET x = x + 100 WHERE x = 7",
       "deletes rows of table \"dsn\".\"t\" but another writer deleted rows of the same data files"},
      {"altered twice", "ALTER TABLE stage.dsn.t ADD COLUMN y INTEGER", "ALTER TABLE stage.dsn.t RENAME COLUMN x TO z",
       "alters table \"dsn\".\"t\" but another writer altered it"},
      {"schema created twice", "CREATE SCHEMA stage.s2", "CREATE SCHEMA stage.s2",
       "creates schema \"s2\" but another writer created a schema"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    engine_->Query("BEGIN; SELECT count(*) FROM stage.dsn.t");  // begins before the other commits
    other_->Query(c.theirs);
    engine_->Query(c.ours);
    SnapshotId before = *LastCommittedSnapshot(*other_, "stage");
    std::string error = CommitError(*engine_);
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
    EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{std::to_string(before)});
  }
}

TEST_P(WriteConcurrency, ParallelCommitsAreSerialized) {
  constexpr int kThreads = 4, kCommits = 5;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Engine engine(store_, settings_, EngineOptions{.threads = 1});
      Attach(engine);
      for (int i = 0; i < kCommits; ++i) {
        try {
          engine.Query(fmt::format("CREATE TABLE stage.dsn.t{}_{} (a INTEGER)", t, i));
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(CatalogRows("SELECT count(*), max(snapshot_id), max(next_catalog_id) FROM ducklake_snapshot"),
            Lines{"23|22|23"});
  EXPECT_EQ(CatalogRows("SELECT count(DISTINCT table_id) FROM ducklake_table"), Lines{"21"});
}

// The store's keys under the table folder dsn/edges/ (data path prefix "stage/").
std::set<std::string> TableFiles(ObjectStore& store) {
  std::set<std::string> names;
  for (const auto& object : store.List("stage/dsn/edges/")) names.insert(object.key.substr(16));
  return names;
}

TEST_P(WriteConcurrency, AWriterKilledBeforeCommittingLeavesOnlyOrphanFiles) {
  auto catalog_before = CatalogRows("SELECT * FROM ducklake_snapshot");
  auto files_before = CatalogRows("SELECT data_file_id, path FROM ducklake_data_file");
  std::set<std::string> stored_before = TableFiles(*store_);

  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child opens everything afresh: no connection of the parent's is shared.
    close(ready[0]);
    try {
      std::shared_ptr<ObjectStore> store = store_;
      if (GetParam().data == StoreKind::kS3) store = std::make_shared<S3Store>(testing::TestS3Settings(), settings_.bucket);
      Engine engine(store, settings_, EngineOptions{.threads = 1});
      WriteOptions options;
      options.before_metadata_commit = [&] {
        (void)!write(ready[1], "x", 1);
        pause();
      };
      Attach(engine, options);
      engine.Query("BEGIN; DELETE FROM stage.dsn.edges WHERE source_id < 3; "
                   "INSERT INTO stage.dsn.edges SELECT range::INTEGER, range::INTEGER FROM range(1000); COMMIT");
    } catch (const std::exception& e) {
      fprintf(stderr, "child failed: %s\n", e.what());
    }
    _exit(3);
  }
  close(ready[1]);
  pollfd wait_for{ready[0], POLLIN, 0};
  ASSERT_EQ(poll(&wait_for, 1, 120000), 1) << "the child never reached the commit";
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(ready[0]);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  // The catalog is exactly as before; the files the child wrote are there, referenced by nothing.
  EXPECT_EQ(CatalogRows("SELECT * FROM ducklake_snapshot"), catalog_before);
  EXPECT_EQ(CatalogRows("SELECT data_file_id, path FROM ducklake_data_file"), files_before);
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_delete_file"), Lines{"0"});
  std::set<std::string> stored_after = TableFiles(*store_);
  std::vector<std::string> orphans;
  for (const auto& name : stored_after)
    if (!stored_before.count(name)) orphans.push_back(name);
  ASSERT_EQ(orphans.size(), 2u);  // one data file, one delete file
  for (const auto& name : orphans) EXPECT_EQ(name.rfind("ducklake-", 0), 0u) << name;
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"10"});

  // `lake verify` agrees: no problem, the two files listed as orphans; cleanup with a cutoff
  // after they were written removes them.
  VerifyReport verify = VerifyCatalog(*metadata_, *store_, data_path_);
  EXPECT_TRUE(verify.ok());
  std::vector<std::string> listed;
  for (const OrphanFile& orphan : verify.orphans) listed.push_back(orphan.path);
  std::vector<std::string> expected;
  for (const auto& name : orphans) expected.push_back(store_->Uri("stage/dsn/edges/" + name));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listed, expected);
  auto later = std::chrono::system_clock::now() + std::chrono::seconds(1);
  CleanupReport cleanup = CleanupFiles(*metadata_, *store_, data_path_, ParseCutoffMicros("0s", later), false);
  EXPECT_EQ(cleanup.orphans_removed.size(), 2u);
  EXPECT_EQ(TableFiles(*store_), stored_before);
  verify = VerifyCatalog(*metadata_, *store_, data_path_);
  EXPECT_TRUE(verify.ok());
  EXPECT_TRUE(verify.orphans.empty());

  // The catalog takes the next commit as if nothing happened.
  engine_->Query("INSERT INTO stage.dsn.edges VALUES (10, 10)");
  EXPECT_EQ(LastCommittedSnapshot(*engine_, "stage"), 3);
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"11"});
}

INSTANTIATE_TEST_SUITE_P(Write, WriteConcurrency, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
