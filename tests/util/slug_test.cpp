#include "util/slug.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace dlctl {
namespace {

TEST(SnakeCase, MatchesTheOriginalsExamples) {
  EXPECT_EQ(SnakeCase("deezer-social-networks"), "deezer_social_networks");
  EXPECT_EQ(SnakeCase("Your Dataset Name"), "your_dataset_name");
  EXPECT_EQ(SnakeCase("The Atlas of Economic Complexity"), "the_atlas_of_economic_complexity");
  EXPECT_EQ(SnakeCase("HR_edges"), "hr_edges");
  EXPECT_EQ(SnakeCase("Music Info"), "music_info");
}

TEST(SnakeCase, CollapsesAndTrimsRunsOfOtherCharacters) {
  EXPECT_EQ(SnakeCase("  --My   Data!!  "), "my_data");
  EXPECT_EQ(SnakeCase("a__b..c/d"), "a_b_c_d");
  EXPECT_EQ(SnakeCase("2024 results (v2)"), "2024_results_v2");
}

TEST(SnakeCase, FoldsToAscii) {
  EXPECT_EQ(SnakeCase("Café Müller"), "cafe_muller");
  EXPECT_EQ(SnakeCase("Ærøskøbing Straße"), "aeroskobing_strasse");
  EXPECT_EQ(SnakeCase("Москва"), "moskva");
  std::string cjk = SnakeCase("北京");
  EXPECT_FALSE(cjk.empty());
  for (char c : cjk) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << cjk;
}

TEST(SnakeCase, RejectsNamesWithNothingLeft) {
  EXPECT_THROW(SnakeCase("!!!"), UsageError);
  EXPECT_THROW(SnakeCase(""), UsageError);
}

}  // namespace
}  // namespace dlctl
