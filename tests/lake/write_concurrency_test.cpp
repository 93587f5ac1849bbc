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

#include "lake/catalog_time.h"
#include "lake/catalog_verify.h"
#include "lake/file_cleanup.h"
#include "lake/lake_transaction.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

class WriteConcurrency : public WriteLakeTest {
 protected:
  void SetUp() override {
    WriteLakeTest::SetUp();
    LakeTransaction setup(*metadata_, *engine_, data_path_);
    setup.CreateSchema("dsn");
    setup.CreateTableAs("dsn", "edges", "SELECT i::INTEGER AS source_id, i::INTEGER AS target_id FROM range(10) t(i)");
    ASSERT_EQ(setup.Commit(), 1);
    second_store_ = OpenMetadata();
  }

  // A transaction on its own connection to the catalog, as another process would have.
  LakeTransaction Other() { return LakeTransaction(*second_store_, *engine_, data_path_); }
  LakeTransaction Ours() { return LakeTransaction(*metadata_, *engine_, data_path_); }

  std::string CommitError(LakeTransaction& transaction) {
    try {
      transaction.Commit();
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "the commit did not fail";
    return {};
  }

  std::unique_ptr<MetadataStore> second_store_;
};

TEST_P(WriteConcurrency, NonConflictingTransactionsBothCommit) {
  LakeTransaction ours = Ours(), other = Other();
  EXPECT_EQ(ours.base_snapshot(), 1);
  EXPECT_EQ(other.base_snapshot(), 1);
  other.CreateTableAs("dsn", "nodes", "SELECT range AS id FROM range(5)");
  other.Insert("dsn", "edges", "VALUES (100, 100)");
  ours.CreateView("dsn", "v", "SELECT count(*) AS n FROM dsn.edges");
  ours.Insert("dsn", "edges", "VALUES (200, 200), (201, 201)");  // appends to the same table commute
  EXPECT_EQ(other.Commit(), 2);
  EXPECT_EQ(ours.Commit(), 3);

  EXPECT_EQ(CatalogRows("SELECT snapshot_id, changes_made FROM ducklake_snapshot_changes WHERE snapshot_id > 1"),
            (Lines{"2|created_table:\"dsn\".\"nodes\",inserted_into_table:2,inserted_into_table:3",
                   "3|created_view:\"dsn\".\"v\",inserted_into_table:2"}));
  // Our ids were handed out after the other commit's: view 4, files 3 (after 1 and 2).
  EXPECT_EQ(CatalogRows("SELECT view_id FROM ducklake_view"), Lines{"4"});
  EXPECT_EQ(CatalogRows("SELECT data_file_id, table_id, begin_snapshot, row_id_start, record_count FROM "
                        "ducklake_data_file ORDER BY 1"),
            (Lines{"0|2|1|0|10", "1|2|2|10|1", "2|3|2|0|5", "3|2|3|11|2"}));
  EXPECT_EQ(CatalogRows("SELECT record_count, next_row_id FROM ducklake_table_stats WHERE table_id = 2"),
            Lines{"13|13"});
  EXPECT_EQ(CatalogRows("SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                        "WHERE snapshot_id > 1"),
            (Lines{"2|2|4|3", "3|3|5|4"}));
  Bind();
  EXPECT_EQ(Rows("SELECT n FROM stage.dsn.v"), Lines{"13"});
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.nodes"), Lines{"5"});
}

TEST_P(WriteConcurrency, ConflictingTransactionsFailTheSecondClearly) {
  {
    LakeTransaction ours = Ours(), other = Other();
    other.DropTable("dsn", "edges");
    ours.Insert("dsn", "edges", "VALUES (1, 1)");
    other.Commit();
    EXPECT_EQ(CommitError(ours),
              "transaction conflict: this transaction inserts into table \"dsn\".\"edges\" but another writer "
              "dropped it after snapshot 1, so nothing was committed");
  }
  EXPECT_EQ(CatalogRows("SELECT max(snapshot_id), count(*) FROM ducklake_snapshot"), Lines{"2|3"});
  EXPECT_EQ(CatalogRows("SELECT count(*) FROM ducklake_data_file WHERE end_snapshot IS NULL"), Lines{"0"});

  LakeTransaction setup = Ours();
  setup.CreateTableAs("dsn", "t", "SELECT range::INTEGER AS x FROM range(10)");
  setup.Commit();  // 3
  struct Case {
    const char* name;
    std::function<void(LakeTransaction&)> ours, theirs;
    const char* message;
  };
  std::vector<Case> cases = {
      {"same table created",
       [](LakeTransaction& t) {
         t.CreateTable("dsn", "u", {{"a", "INTEGER"}});
       },
       [](LakeTransaction& t) { t.CreateView("dsn", "u", "SELECT 1"); },
       "creates \"dsn\".\"u\" but another writer "
       "created an entry of that name"},
      {"same rows deleted", [](LakeTransaction& t) { t.Delete("dsn", "t", "x < 5"); },
       [](LakeTransaction& t) {
         t.Update("dsn", "t", {{"x", "x + 100"}}, "x = 7");
       },
       "deletes rows of table \"dsn\".\"t\" but another writer deleted rows of the same data files"},
      {"altered twice",
       [](LakeTransaction& t) {
         t.AddColumn("dsn", "t", {"y", "INTEGER"});
       },
       [](LakeTransaction& t) { t.RenameColumn("dsn", "t", "x", "z"); },
       "alters table \"dsn\".\"t\" but another "
       "writer altered it"},
      {"schema created twice", [](LakeTransaction& t) { t.CreateSchema("s2"); },
       [](LakeTransaction& t) { t.CreateSchema("s2"); }, "creates schema \"s2\" but another writer created a schema"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    LakeTransaction ours = Ours(), other = Other();
    c.theirs(other);
    c.ours(ours);
    SnapshotId before = other.Commit();
    std::string message = CommitError(ours);
    EXPECT_NE(message.find(c.message), std::string::npos) << message;
    EXPECT_EQ(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot"), Lines{std::to_string(before)});
  }
}

TEST_P(WriteConcurrency, ParallelCommitsAreSerialized) {
  constexpr int kThreads = 4, kCommits = 5;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto store = OpenMetadata();
      for (int i = 0; i < kCommits; ++i) {
        try {
          LakeTransaction transaction(*store, *engine_, data_path_);  // DDL only: the engine is not used
          transaction.CreateTable("dsn", fmt::format("t{}_{}", t, i), {{"a", "INTEGER"}});
          transaction.Commit();
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(CatalogRows("SELECT count(*), max(snapshot_id), max(next_catalog_id) FROM ducklake_snapshot"),
            Lines{"22|21|23"});
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
      auto metadata = OpenMetadata();
      WriteOptions options;
      options.before_metadata_commit = [&] {
        (void)!write(ready[1], "x", 1);
        pause();
      };
      LakeTransaction transaction(*metadata, engine, data_path_, options);
      transaction.Delete("dsn", "edges", "source_id < 3");
      transaction.Insert("dsn", "edges", "SELECT range::INTEGER, range::INTEGER FROM range(1000)");
      transaction.Commit();
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
  Bind();
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
  LakeTransaction next = Ours();
  next.Insert("dsn", "edges", "VALUES (10, 10)");
  EXPECT_EQ(next.Commit(), 2);
  Bind();
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.dsn.edges"), Lines{"11"});
}

INSTANTIATE_TEST_SUITE_P(Write, WriteConcurrency, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
