// `dlctl lake verify|expire|cleanup|flush` on a lake written by DuckDB's own extension, on the
// local default and on S3: a clean verify, a missing file found, expire + cleanup keeping the
// latest snapshot's data intact, and flush moving the extension's inlined rows to Parquet with
// every snapshot reading the same.
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "fixture_lake.h"

namespace dlctl {
namespace {

using testing::CommandResult;
using LakeCommands = FixtureLake;

const char* kEveryTable =
    "SELECT (SELECT count(*) FROM stage.dsn.edges) AS edges, (SELECT count(*) FROM stage.main.types) AS types, "
    "(SELECT count(*) FROM stage.dsn.part) AS part, (SELECT sum(n) FROM stage.dsn.heavy) AS heavy";

TEST_P(LakeCommands, VerifyIsCleanThenFindsAMissingFile) {
  CommandResult clean = Run({"lake", "verify", "stage", "--json"});
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  auto report = nlohmann::json::parse(clean.out);
  EXPECT_EQ(report["ok"], true);
  EXPECT_GT(report["files_checked"].get<int>(), 5);
  EXPECT_TRUE(report["problems"].empty());
  EXPECT_TRUE(report["orphans"].empty());

  const std::string key = "stage/dsn/part/country=HU/ducklake-01a21315-4095-70f4-a80d-49b54f79c20e.parquet";
  store_->Delete(key);
  store_->Put("stage/dsn/leftover.parquet", "12345");
  CommandResult broken = Run({"lake", "verify", "stage"});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("problem: " + store_->Uri(key) + ": missing (data file "), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("orphan: " + store_->Uri("stage/dsn/leftover.parquet") + " (5 bytes)"), std::string::npos)
      << broken.out;
  EXPECT_NE(broken.out.find(" files checked, 1 problems, 1 orphans\n"), std::string::npos) << broken.out;
  EXPECT_EQ(broken.err, "dlctl: error: catalog stage does not match its files (1 problem, listed above)\n");

  CommandResult unknown = Run({"lake", "verify", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err, "dlctl: error: unknown catalog 'nope' (configured: stage, graphs)\n");
}

TEST_P(LakeCommands, ExpireAndCleanupKeepTheLatestSnapshotsData) {
  CommandResult before = Query({kEveryTable});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  auto snapshot_count = [&] {
    CommandResult listed = Run({"lake", "snapshots", "stage", "--json"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return nlohmann::json::parse(listed.out).size();
  };
  size_t snapshots = snapshot_count();
  ASSERT_GT(snapshots, 5u);

  CommandResult dry = Run({"lake", "expire", "stage", "--older-than", "0s", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("stage: would expire " + std::to_string(snapshots - 1) + " snapshots"), std::string::npos)
      << dry.out;
  EXPECT_EQ(snapshot_count(), snapshots);

  CommandResult expired = Run({"lake", "expire", "stage", "--older-than", "0s"});
  ASSERT_EQ(expired.exit_code, 0) << expired.err;
  EXPECT_EQ(snapshot_count(), 1u);
  EXPECT_NE(expired.out.find("scheduled for deletion"), std::string::npos) << expired.out;

  CommandResult cleaned = Run({"lake", "cleanup", "stage", "--older-than", "0s"});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_NE(cleaned.out.find("stage: removed "), std::string::npos) << cleaned.out;
  CommandResult verify = Run({"lake", "verify", "stage"});
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(", 0 problems, 0 orphans\n"), std::string::npos) << verify.out;

  CommandResult after = Query({kEveryTable});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);

  CommandResult bad_age = Run({"lake", "expire", "stage", "--older-than", "soon"});
  EXPECT_EQ(bad_age.exit_code, 2);
  EXPECT_EQ(std::count(bad_age.err.begin(), bad_age.err.end(), '\n'), 1) << bad_age.err;
}

TEST_P(LakeCommands, FlushWritesTheExtensionsInlinedRowsToParquet) {
  // Every table and view of the fixture at every snapshot (expected/index.csv), one query a snapshot.
  auto every_snapshot = [&] {
    std::map<std::string, std::vector<std::string>> objects;  // snapshot -> schema.object
    std::ifstream index(fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / "inlined" /
                        "expected" / "index.csv");
    for (std::string line; std::getline(index, line);) {
      size_t first = line.find(','), second = line.find(',', first + 1), third = line.find(',', second + 1);
      objects[line.substr(0, first)].push_back(line.substr(first + 1, second - first - 1) + "." +
                                               line.substr(second + 1, third - second - 1));
    }
    std::map<std::string, std::string> rows;
    for (const auto& [snapshot, names] : objects) {
      std::string sql;
      for (const std::string& name : names)
        sql += (sql.empty() ? "" : " UNION ALL ") + std::string("SELECT '") + name +
               "' AS o, (SELECT string_agg(t::VARCHAR, ' / ' ORDER BY t::VARCHAR) FROM stage." + name + " t) AS r";
      CommandResult result = Query({"--snapshot", "stage=" + snapshot, sql + " ORDER BY o"});
      EXPECT_EQ(result.exit_code, 0) << result.err;
      rows[snapshot] = result.out;
    }
    return rows;
  };
  std::map<std::string, std::string> before = every_snapshot();
  ASSERT_EQ(before.size(), 18u);
  CommandResult flushed = Run({"lake", "flush", "stage"});
  ASSERT_EQ(flushed.exit_code, 0) << flushed.err;
  EXPECT_EQ(flushed.out,
            "flushed 5 rows of main.types\nflushed 2 rows of dsn.edges\nflushed 1 rows of dsn.replaced\n"
            "stage: flushed 8 inlined rows of 3 tables to Parquet in snapshot 20\n");
  EXPECT_EQ(every_snapshot(), before);
  CommandResult latest = Query({kEveryTable});
  ASSERT_EQ(latest.exit_code, 0) << latest.err;
  EXPECT_EQ(latest.out, "edges,types,part,heavy\n902,53,30,902\n");
  CommandResult verify = Run({"lake", "verify", "stage"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find(", 0 problems, 0 orphans\n"), std::string::npos) << verify.out;

  CommandResult again = Run({"lake", "flush", "stage", "--schema", "dsn"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "stage: nothing inlined to flush\n");
  CommandResult missing = Run({"lake", "flush", "stage", "--table", "nope"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("table \"main\".\"nope\" does not exist in catalog stage"), std::string::npos)
      << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

INSTANTIATE_TEST_SUITE_P(Stores, LakeCommands, ::testing::Values("local", "s3"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace dlctl
