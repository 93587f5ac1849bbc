#include "engine/key_glob.h"

#include <gtest/gtest.h>

namespace dlctl {
namespace {

TEST(KeyGlobTest, StarStaysWithinOneSegment) {
  EXPECT_TRUE(KeyMatchesGlob("raw/foo/a.csv", "raw/foo/*"));
  EXPECT_TRUE(KeyMatchesGlob("raw/foo/a.csv", "raw/foo/*.csv"));
  EXPECT_FALSE(KeyMatchesGlob("raw/foo/deep/a.csv", "raw/foo/*"));
  EXPECT_FALSE(KeyMatchesGlob("raw/foo_bar/a.csv", "raw/foo/*"));
  EXPECT_TRUE(KeyMatchesGlob("raw/foo_bar/a.csv", "raw/foo*/*"));
  EXPECT_FALSE(KeyMatchesGlob("raw/foo/a.json", "raw/foo/*.csv"));
}

TEST(KeyGlobTest, DoubleStarSpansAnyNumberOfSegments) {
  EXPECT_TRUE(KeyMatchesGlob("raw/a.csv", "raw/**/*.csv"));
  EXPECT_TRUE(KeyMatchesGlob("raw/x/a.csv", "raw/**/*.csv"));
  EXPECT_TRUE(KeyMatchesGlob("raw/x/y/z/a.csv", "raw/**/*.csv"));
  EXPECT_TRUE(KeyMatchesGlob("raw/x/y/a.csv", "raw/**"));
  EXPECT_FALSE(KeyMatchesGlob("raw/x/a.json", "raw/**/*.csv"));
  EXPECT_FALSE(KeyMatchesGlob("other/a.csv", "raw/**/*.csv"));
}

TEST(KeyGlobTest, QuestionMarkAndBrackets) {
  EXPECT_TRUE(KeyMatchesGlob("d/a1.csv", "d/a?.csv"));
  EXPECT_FALSE(KeyMatchesGlob("d/a12.csv", "d/a?.csv"));
  EXPECT_FALSE(KeyMatchesGlob("d/a/.csv", "d/a?.csv"));
  EXPECT_TRUE(KeyMatchesGlob("d/b.csv", "d/[ab].csv"));
  EXPECT_FALSE(KeyMatchesGlob("d/c.csv", "d/[ab].csv"));
  EXPECT_TRUE(KeyMatchesGlob("d/c.csv", "d/[!ab].csv"));
  EXPECT_TRUE(KeyMatchesGlob("d/7.csv", "d/[0-9].csv"));
}

TEST(KeyGlobTest, LiteralPrefixEndsAtFirstGlobCharacter) {
  EXPECT_EQ(LiteralPrefix("raw/foo/*.csv"), "raw/foo/");
  EXPECT_EQ(LiteralPrefix("raw/2024-[01]?/x"), "raw/2024-");
  EXPECT_EQ(LiteralPrefix("raw/[ab]/x"), "raw/");
  EXPECT_EQ(LiteralPrefix("plain/key.csv"), "plain/key.csv");
  EXPECT_TRUE(HasGlob("a/**"));
  EXPECT_TRUE(HasGlob("a/[x]"));
  EXPECT_FALSE(HasGlob("a/b.csv"));
}

}  // namespace
}  // namespace dlctl
