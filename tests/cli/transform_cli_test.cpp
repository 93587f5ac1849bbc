// dlctl transform / seed / test as a user runs them: the example project end to end on sample
// data, exit codes, dbt-like lines, --json run results.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/dlctl_project.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

class TransformCli : public ::testing::TestWithParam<Bucket> {
 protected:
  TransformCli() : project_(GetParam()) {}

  CommandResult Must(const std::vector<std::string>& args) {
    CommandResult result = project_.Run(args);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
    return result;
  }

  void Write(const std::map<std::string, std::string>& files) {
    for (const auto& [path, text] : files) WriteFile(project_.dir() / "p" / path, text);
  }

  DlctlProject project_;
};

// The four node tables' ids with their natural keys.
std::string NodeIds(const DlctlProject& project) {
  return project.Query("select node_id, country, user_id::varchar from graphs.music_taste.dsn_nodes_users "
                       "union all select node_id, null, track_id from graphs.music_taste.msdsl_nodes_tracks "
                       "union all select node_id, null, user_id from graphs.music_taste.msdsl_nodes_users "
                       "union all select node_id, null, genre from graphs.music_taste.nodes_genres order by 1");
}

TEST_P(TransformCli, TheExampleProjectRunsEndToEndOnSampleData) {
  fs::copy(fs::path(RequiredEnv("DLCTL_SOURCE_DIR")) / "transform", project_.dir() / "transform",
           fs::copy_options::recursive);
  fs::remove_all(project_.dir() / "transform" / "target");
  Must({"tools", "generate-sample-data", "--scale", "0.01", "--seed", "7", "data"});
  Must({"ingest", "dataset", "data/deezer-social-networks", "deezer_social_networks"});
  Must({"ingest", "dataset", "data/million-song-dataset-spotify-lastfm", "million_song_dataset_spotify_lastfm"});

  CommandResult transform = Must({"transform", "--threads", "2"});
  EXPECT_NE(transform.out.find("ERROR=0 SKIP=0 TOTAL=16"), std::string::npos) << transform.out;
  EXPECT_NE(transform.out.find("OK    table model graphs.music_taste.nodes_genres"), std::string::npos) << transform.out;
  std::string first = NodeIds(project_);
  EXPECT_GT(std::count(first.begin(), first.end(), '\n'), 100) << first;

  CommandResult test = Must({"test"});
  EXPECT_EQ(test.out.find("FAIL"), std::string::npos) << test.out;
  EXPECT_NE(test.out.find("WARN=0 ERROR=0 SKIP=0"), std::string::npos) << test.out;

  // Node ids are deterministic: a second run gives the same ids to the same nodes.
  Must({"transform", "--select", "+marts.graphs.music_taste"});
  EXPECT_EQ(NodeIds(project_), first);

  // The node id uniqueness test can fail: make two tables share an id.
  std::string tracks = project_.dir() / "transform/models/marts/graphs/music_taste/msdsl_nodes_tracks.sql";
  std::string text = ReadFile(tracks);
  WriteFile(tracks, text.substr(0, text.find("order by node_id")) + "union all select 1, 'x', 'x', 'x', 2000\n");
  Must({"transform", "--select", "msdsl_nodes_tracks"});
  CommandResult broken = project_.Run({"test", "--select", "graphs_music_taste_unique_node_ids"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_NE(broken.out.find("FAIL"), std::string::npos) << broken.out;
}

TEST_P(TransformCli, AFailingTestOrModelExitsNonZeroWithOneLineEach) {
  Write({{"dbt_project.yml", "name: p\nconfig-version: 2\nmodels:\n  p:\n    +materialized: table\n"},
         {"models/m.sql", "select * from (values (1), (null)) t(x)"},
         {"models/n.sql", "select x from {{ ref('m') }}"},
         {"models/schema.yml", "version: 2\nmodels:\n  - name: m\n    columns:\n      - name: x\n        data_tests: [not_null]\n"}});
  CommandResult run = project_.Run({"transform", "--project-dir", "p"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("1 of 2 OK    table model stage.main.m"), std::string::npos) << run.out;

  CommandResult test = project_.Run({"test", "--project-dir", "p"});
  EXPECT_EQ(test.exit_code, 1) << test.out << test.err;
  EXPECT_NE(test.out.find("FAIL  test not_null_m_x"), std::string::npos) << test.out;
  EXPECT_NE(test.out.find("[FAIL 1 in"), std::string::npos) << test.out;
  EXPECT_EQ(std::count(test.err.begin(), test.err.end(), '\n'), 2) << test.err;

  Write({{"models/m.sql", "select nope"}});
  CommandResult failed = project_.Run({"transform", "--project-dir", "p", "--json"});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  nlohmann::json results = nlohmann::json::parse(ReadFile(project_.dir() / "p/target/run_results.json"));
  ASSERT_EQ(results["results"].size(), 2u) << results.dump();
  EXPECT_EQ(results["results"][0]["status"], "error");
  EXPECT_EQ(results["results"][1]["status"], "skipped");
  EXPECT_EQ(results["success"], false);
  EXPECT_EQ(nlohmann::json::parse(failed.out.substr(failed.out.find('{')))["results"][0]["unique_id"], "model.p.m");
  // The table from the earlier run is still there.
  EXPECT_EQ(project_.Query("select count(*) from stage.main.m"), "count_star()\n2\n");
}

TEST_P(TransformCli, SeedLoadsCsvFiles) {
  Write({{"dbt_project.yml", "name: p\nconfig-version: 2\nseeds:\n  p:\n    +schema: ref\n"},
         {"seeds/codes.csv", "code,label\n1,one\n2,two\n"}});
  CommandResult seed = Must({"seed", "--project-dir", "p"});
  EXPECT_NE(seed.out.find("[2 rows in"), std::string::npos) << seed.out;
  EXPECT_EQ(project_.Query("select label from stage.main_ref.codes order by code"), "label\none\ntwo\n");
}

TEST_P(TransformCli, BadSelectorsAreUsageErrors) {
  Write({{"dbt_project.yml", "name: p\nconfig-version: 2\n"}, {"models/m.sql", "select 1"}});
  CommandResult bad = project_.Run({"transform", "--project-dir", "p", "--select", "bogus:x"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  CommandResult missing = project_.Run({"transform", "--project-dir", "nowhere"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

INSTANTIATE_TEST_SUITE_P(Buckets, TransformCli, ::testing::Values(Bucket::kLocal, Bucket::kS3), BucketName);

}  // namespace
}  // namespace dlctl::testing
