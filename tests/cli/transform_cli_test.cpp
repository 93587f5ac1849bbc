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

  // A raw dataset's name runs the models that read it and what depends on them (the seed README's
  // `dlctl transform "<dataset-name>"`), and nothing else.
  CommandResult deezer = Must({"transform", "Deezer Social Networks"});
  EXPECT_NE(deezer.out.find("OK    table model stage.dsn.hr_edges"), std::string::npos) << deezer.out;
  EXPECT_NE(deezer.out.find("OK    table model graphs.music_taste.dsn_nodes_users"), std::string::npos) << deezer.out;
  EXPECT_EQ(deezer.out.find("stage.msdsl."), std::string::npos) << deezer.out;

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

// A failing model names itself and its file, and DuckDB's context points into the model's SQL
// (not into the statement the lake wrapped it in).
TEST_P(TransformCli, AFailingModelNamesItsFileAndPointsIntoItsSql) {
  Write({{"dbt_project.yml", "name: p\nconfig-version: 2\nmodels:\n  p:\n    +materialized: table\n"},
         {"models/m.sql", "select 1 as x,\n  nope_column as y\nfrom (select 1)\n"},
         {"models/n.sql", "selec 1\n"}});
  CommandResult run = project_.Run({"transform", "--project-dir", "p", "--threads", "1"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("dlctl: error: model m (p/models/m.sql): Binder Error: Referenced column \"nope_column\" not "
                         "found in FROM clause!\n"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("\n  LINE 2:   nope_column as y\n            ^\n"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("dlctl: error: model n (p/models/n.sql): Parser Error: syntax error at or near \"selec\"\n"
                         "  LINE 1: selec 1\n          ^\n"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("DESCRIBE"), std::string::npos) << run.err;
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

TEST_P(TransformCli, DbtOptionsVarsModelsTargetDebugLogLevelAndFailFast) {
  Write({{"dbt_project.yml",
          "name: p\nprofile: lab\nconfig-version: 2\nvars:\n  n: 1\nmodels:\n  p:\n"
          "    +materialized: \"{{ 'view' if target.name == 'fast' else 'table' }}\"\n"},
         {"profiles.yml",
          "lab:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: x.duckdb, schema: analytics, threads: 2}\n"
          "    fast: {type: duckdb, schema: \"{{ env_var('FAST_SCHEMA', 'quick') }}\"}\n"
          "    pg: {type: postgres, schema: x}\n"},
         {"models/a.sql", "select {{ var('n') }} as n, '{{ target.name }}' as t"},
         {"models/b.sql", "select n + 1 as n from {{ ref('a') }}"}});
  // The profile's target names the schema; -m is --select; --vars wins over dbt_project.yml.
  CommandResult first = Must({"transform", "--project-dir", "p", "-m", "a", "--vars", "{n: 41}"});
  EXPECT_NE(first.out.find("OK    table model stage.analytics.a"), std::string::npos) << first.out;
  EXPECT_EQ(project_.Query("select n, t from stage.analytics.a"), "n,t\n41,dev\n");
  // --target picks another output; dbt_project.yml's Jinja sees it (a view there).
  CommandResult fast = Must({"transform", "--project-dir", "p", "a", "--target", "fast"});
  EXPECT_NE(fast.out.find("OK    view model stage.quick.a"), std::string::npos) << fast.out;
  CommandResult pg = project_.Run({"transform", "--project-dir", "p", "--target", "pg"});
  EXPECT_EQ(pg.exit_code, 2) << pg.err;
  EXPECT_NE(pg.err.find("of type postgres"), std::string::npos) << pg.err;
  CommandResult bad_vars = project_.Run({"transform", "--project-dir", "p", "--vars", "[1, 2]"});
  EXPECT_EQ(bad_vars.exit_code, 2) << bad_vars.err;
  // --debug shows the SQL a node runs; --log-level error shows no node lines.
  CommandResult debug = Must({"transform", "--project-dir", "p", "b", "--debug"});
  EXPECT_NE(debug.err.find("dlctl: debug: model.p.b:\nselect n + 1 as n from \"stage\".\"analytics\".\"a\""),
            std::string::npos)
      << debug.err;
  CommandResult quiet = Must({"transform", "--project-dir", "p", "--log-level", "error"});
  EXPECT_EQ(quiet.out, "");
  // --fail-fast skips what is left after the first failure.
  Write({{"models/a.sql", "select nope"}, {"models/c.sql", "select 1 as x"}});
  CommandResult failing = project_.Run({"transform", "--project-dir", "p", "--fail-fast", "--threads", "1", "--json"});
  EXPECT_EQ(failing.exit_code, 1);
  nlohmann::json results = nlohmann::json::parse(ReadFile(project_.dir() / "p/target/run_results.json"));
  ASSERT_EQ(results["results"].size(), 3u) << results.dump();
  EXPECT_EQ(results["results"][0]["status"], "error");
  EXPECT_EQ(results["results"][2]["status"], "skipped");
  EXPECT_NE(results["results"][2]["message"].get<std::string>().find("--fail-fast"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Buckets, TransformCli, ::testing::Values(Bucket::kLocal, Bucket::kS3), BucketName);

}  // namespace
}  // namespace dlctl::testing
