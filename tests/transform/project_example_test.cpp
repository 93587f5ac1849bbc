// The example project committed under transform/ loads cleanly and has the shape the issue asks for.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/test_env.h"
#include "transform/graph/dag.h"
#include "transform/project/project.h"
#include "transform/graph/selector.h"

namespace dlctl::transform {
namespace {

using Strings = std::vector<std::string>;

Project Example() { return LoadProject(std::filesystem::path(testing::RequiredEnv("DLCTL_SOURCE_DIR")) / "transform"); }

TEST(ProjectExample, LoadsWithoutWarnings) {
  Project p = Example();
  EXPECT_EQ(p.name, "transform");
  EXPECT_TRUE(p.warnings.empty()) << p.warnings.front();
  EXPECT_EQ(p.models.size(), 16u);
}

TEST(ProjectExample, StageAndMartLiveInTheirCatalogsAndSchemas) {
  Project p = Example();
  for (const auto& model : p.models) {
    bool mart = model.fqn[1] == "marts";
    EXPECT_EQ(model.config.database, mart ? "graphs" : "stage") << model.name;
    EXPECT_EQ(model.config.materialized, "table") << model.name;
  }
  EXPECT_EQ(p.FindModel("dsn_hr_edges")->config.schema, "dsn");
  EXPECT_EQ(p.FindModel("msdsl_music_info")->config.schema, "msdsl");
  EXPECT_EQ(p.FindModel("msdsl_nodes_tracks")->config.schema, "music_taste");
  for (const char* mart : {"dsn_nodes_users", "msdsl_nodes_tracks", "msdsl_nodes_users", "nodes_genres",
                           "dsn_edges_friendships", "dsn_edges_user_genres", "msdsl_edges_track_tags",
                           "msdsl_edges_user_tracks"})
    EXPECT_NE(p.FindModel(mart), nullptr) << mart;
}

TEST(ProjectExample, RawSourcesAreTheIngestedDatasets) {
  Project p = Example();
  ASSERT_EQ(p.sources.size(), 8u);
  for (const auto& source : p.sources) EXPECT_TRUE(source.IsRawDataset()) << source.name;
  EXPECT_NE(p.FindSource("deezer_social_networks", "HR/HR_edges.csv"), nullptr);
  EXPECT_NE(p.FindSource("deezer_social_networks", "RO/RO_genres.json"), nullptr);
  EXPECT_NE(p.FindSource("million_song_dataset_spotify_lastfm", "Music Info.csv"), nullptr);
  EXPECT_NE(p.FindSource("million_song_dataset_spotify_lastfm", "User Listening History.csv"), nullptr);
}

TEST(ProjectExample, TestsIncludeTheCrossTableNodeIdCheckAndCustomGenericTests) {
  Project p = Example();
  auto has_test = [&](const std::string& name) {
    return std::any_of(p.tests.begin(), p.tests.end(), [&](const DataTest& t) { return t.name == name; });
  };
  EXPECT_TRUE(has_test("graphs_music_taste_unique_node_ids"));
  EXPECT_TRUE(has_test("accepted_values_dsn_nodes_users_country__HR__HU__RO"));
  EXPECT_TRUE(has_test("list_not_empty_dsn_hr_genres_genres"));
  EXPECT_TRUE(has_test("positive_integer_msdsl_edges_user_tracks_play_count"));
  Strings macros;
  for (const auto& file : p.macro_files) macros.push_back(file.path);
  EXPECT_NE(std::find(macros.begin(), macros.end(), "tests/generic/list_not_empty.sql"), macros.end());
  EXPECT_NE(std::find(macros.begin(), macros.end(), "macros/node_id.sql"), macros.end());
}

TEST(ProjectExample, SelectingTheMartWithItsAncestorsReachesEveryModel) {
  Project p = Example();
  Dag dag = BuildDag(p);
  // Without rendering there are no ref() edges yet: the folder selector alone picks the mart.
  size_t models = 0;
  for (const auto& id : SelectNodes(dag, {{"marts.graphs.music_taste"}, {}}))
    if (dag.Node(id).kind == NodeKind::kModel) ++models;
  EXPECT_EQ(models, 8u);
}

}  // namespace
}  // namespace dlctl::transform
