#include "graph/mart_table_names.h"

#include <gtest/gtest.h>

namespace dlctl::graph {
namespace {

TEST(MartTableNames, NodeAndEdgeTablesWithAndWithoutPrefix) {
  auto users = ParseMartTableName("dsn_nodes_users");
  ASSERT_TRUE(users);
  EXPECT_EQ(users->kind, MartTableKind::kNodes);
  EXPECT_EQ(users->prefix, "dsn");
  EXPECT_EQ(users->stem, "users");

  auto genres = ParseMartTableName("nodes_genres");
  ASSERT_TRUE(genres);
  EXPECT_EQ(genres->prefix, "");
  EXPECT_EQ(genres->stem, "genres");

  auto listens = ParseMartTableName("msdsl_edges_user_tracks");
  ASSERT_TRUE(listens);
  EXPECT_EQ(listens->kind, MartTableKind::kEdges);
  EXPECT_EQ(listens->prefix, "msdsl");
  EXPECT_EQ(listens->stem, "user_tracks");
}

TEST(MartTableNames, OtherTablesAreNotPartOfTheGraph) {
  EXPECT_FALSE(ParseMartTableName("embeddings"));
  EXPECT_FALSE(ParseMartTableName("supernodes_x"));  // the marker must start a word
  EXPECT_FALSE(ParseMartTableName("dsn_nodes_"));
}

TEST(MartTableNames, KuzuNamesAreCamelCaseWithASingularLastWord) {
  EXPECT_EQ(KuzuNameFromStem("users"), "User");
  EXPECT_EQ(KuzuNameFromStem("countries"), "Country");
  EXPECT_EQ(KuzuNameFromStem("user_tracks"), "UserTrack");
  EXPECT_EQ(KuzuNameFromStem("competes_with"), "CompetesWith");
  EXPECT_EQ(KuzuNameFromStem("addresses"), "Address");
  EXPECT_EQ(KuzuNameFromStem("status"), "Status");
}

}  // namespace
}  // namespace dlctl::graph
