// SQL a user types on the attached lake, on SQLite and PostgreSQL catalogs, local and S3 data:
// MERGE INTO, explicit transactions, time travel with AT (...), writes refused at a past snapshot,
// and the row estimate the optimizer gets from the catalog.
#include <regex>

#include "attach_catalog.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

class WriteSql : public WriteLakeTest {
 protected:
  SnapshotId LatestSnapshot() { return std::stoll(CatalogRows("SELECT max(snapshot_id) FROM ducklake_snapshot").at(0)); }

  // The message of the error `sql` raises ("" when it succeeds).
  std::string ErrorOf(const std::string& sql) {
    try {
      engine_->Query(sql);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
};

TEST_P(WriteSql, MergeIntoUpdatesMatchedRowsAndInsertsTheOthersInOneSnapshot) {
  Commit("CREATE TABLE stage.main.accounts AS SELECT i::INTEGER AS id, (i * 10)::INTEGER AS balance, 'old' AS note "
         "FROM range(5) t(i)");
  SnapshotId before = LatestSnapshot();
  int64_t changed = Count(
      "MERGE INTO stage.main.accounts AS a USING (SELECT 1 AS id, 111 AS balance UNION ALL SELECT 3, 333 UNION ALL "
      "SELECT 7, 777) AS s ON a.id = s.id "
      "WHEN MATCHED THEN UPDATE SET balance = s.balance, note = 'merged' "
      "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.balance, 'new')");
  EXPECT_EQ(changed, 3);
  EXPECT_EQ(LatestSnapshot(), before + 1);
  EXPECT_EQ(Rows("SELECT id, balance, note FROM stage.main.accounts ORDER BY id"),
            (Lines{"0|0|old", "1|111|merged", "2|20|old", "3|333|merged", "4|40|old", "7|777|new"}));
  // A matched DELETE action, and the table as of the snapshot before the merges.
  Count("MERGE INTO stage.main.accounts AS a USING (SELECT 0 AS id) AS s ON a.id = s.id WHEN MATCHED THEN DELETE");
  EXPECT_EQ(Rows("SELECT count(*), sum(balance) FROM stage.main.accounts"), Lines{"5|1281"});
  EXPECT_EQ(Rows("SELECT count(*), sum(balance) FROM stage.main.accounts AT (VERSION => " + std::to_string(before) +
                 ")"),
            Lines{"5|100"});
}

TEST_P(WriteSql, AThreeStatementTransactionIsOneSnapshotAndARolledBackOneIsNone) {
  Commit("CREATE TABLE stage.main.t (k INTEGER, v VARCHAR)");
  SnapshotId before = LatestSnapshot();
  engine_->Query("BEGIN");
  engine_->Query("INSERT INTO stage.main.t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  engine_->Query("UPDATE stage.main.t SET v = 'B' WHERE k = 2");
  engine_->Query("DELETE FROM stage.main.t WHERE k = 3");
  // Nothing is visible to another process (another engine) before COMMIT.
  Engine other(store_, settings_, EngineOptions{.threads = 1});
  Attach(other);
  EXPECT_EQ(testing::JoinedRows(other.Query("SELECT count(*) FROM stage.main.t")), Lines{"0"});
  EXPECT_EQ(LatestSnapshot(), before);
  engine_->Query("COMMIT");
  EXPECT_EQ(LatestSnapshot(), before + 1);
  EXPECT_EQ(Rows("SELECT k, v FROM stage.main.t ORDER BY k"), (Lines{"1|a", "2|B"}));

  engine_->Query("BEGIN");
  engine_->Query("INSERT INTO stage.main.t VALUES (9, 'z')");
  engine_->Query("DELETE FROM stage.main.t WHERE k = 1");
  EXPECT_EQ(Rows("SELECT k FROM stage.main.t ORDER BY k"), (Lines{"2", "9"}));  // the transaction sees its own
  engine_->Query("ROLLBACK");
  EXPECT_EQ(LatestSnapshot(), before + 1);
  EXPECT_EQ(Rows("SELECT k, v FROM stage.main.t ORDER BY k"), (Lines{"1|a", "2|B"}));
}

TEST_P(WriteSql, TimeTravelByVersionAndByTimestamp) {
  Commit("CREATE TABLE stage.main.t AS SELECT 1 AS k");
  SnapshotId first = LatestSnapshot();
  std::string first_time =
      CatalogRows("SELECT snapshot_time FROM ducklake_snapshot WHERE snapshot_id = " + std::to_string(first)).at(0);
  Commit("INSERT INTO stage.main.t VALUES (2)");
  Commit("DELETE FROM stage.main.t WHERE k = 1");
  EXPECT_EQ(Rows("SELECT k FROM stage.main.t ORDER BY k"), Lines{"2"});
  EXPECT_EQ(Rows("SELECT k FROM stage.main.t AT (VERSION => " + std::to_string(first) + ") ORDER BY k"), Lines{"1"});
  EXPECT_EQ(Rows("SELECT k FROM stage.main.t AT (VERSION => " + std::to_string(first + 1) + ") ORDER BY k"),
            (Lines{"1", "2"}));
  EXPECT_EQ(Rows("SELECT k FROM stage.main.t AT (TIMESTAMP => TIMESTAMPTZ '" + first_time + "') ORDER BY k"),
            Lines{"1"});
  // Before the table existed, and after the latest snapshot.
  EXPECT_NE(ErrorOf("SELECT * FROM stage.main.t AT (VERSION => 0)"), "");
  EXPECT_NE(ErrorOf("SELECT * FROM stage.main.t AT (VERSION => 999)"), "");
}

TEST_P(WriteSql, WritesAtAPastSnapshotAreRefused) {
  Commit("CREATE TABLE stage.main.t AS SELECT 1 AS k");
  SnapshotId first = LatestSnapshot();
  Commit("INSERT INTO stage.main.t VALUES (2)");
  AttachTestCatalog(*engine_, [this](bool create) { return OpenMetadata(create); }, data_path_, "past", first);
  EXPECT_EQ(Rows("SELECT k FROM past.main.t"), Lines{"1"});
  for (const std::string& write : {"INSERT INTO past.main.t VALUES (3)", "DELETE FROM past.main.t",
                                   "UPDATE past.main.t SET k = 5", "CREATE TABLE past.main.u (x INTEGER)",
                                   "DROP TABLE past.main.t"}) {
    std::string message = ErrorOf(write);
    EXPECT_NE(message.find("\"past\""), std::string::npos) << write << ": " << message;
    EXPECT_NE(message.find("read-only"), std::string::npos) << write << ": " << message;
  }
  EXPECT_EQ(LatestSnapshot(), first + 1);
  // Reading the past to write the present is fine.
  Commit("INSERT INTO stage.main.t SELECT k + 10 FROM stage.main.t AT (VERSION => " + std::to_string(first) + ")");
  EXPECT_EQ(Rows("SELECT k FROM stage.main.t ORDER BY k"), (Lines{"1", "2", "11"}));
}

TEST_P(WriteSql, ExplainEstimatesTheLiveRowsOfALakeScan) {
  Commit("CREATE TABLE stage.main.big AS SELECT i::INTEGER AS k FROM range(3000) t(i)");
  Commit("INSERT INTO stage.main.big SELECT i::INTEGER FROM range(3000, 5000) t(i)");
  Commit("DELETE FROM stage.main.big WHERE k % 10 = 0");  // 500 deleted: 4500 live rows
  EXPECT_EQ(Rows("SELECT count(*) FROM stage.main.big"), Lines{"4500"});
  std::string plan;
  for (const auto& row : engine_->Query("EXPLAIN SELECT k FROM stage.main.big").rows)
    for (const auto& cell : row) plan += cell.value_or("") + "\n";
  std::smatch estimate;
  ASSERT_TRUE(std::regex_search(plan, estimate, std::regex("~([0-9,]+) [Rr]ows"))) << plan;
  std::string digits = std::regex_replace(estimate[1].str(), std::regex(","), "");
  double rows = std::stod(digits);
  EXPECT_NEAR(rows, 4500, 450) << plan;
}

INSTANTIATE_TEST_SUITE_P(Write, WriteSql, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

}  // namespace
}  // namespace dlctl::lake
