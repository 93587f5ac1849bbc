#include "config/env_file.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace dlctl {
namespace {

TEST(ParseEnvFile, ReadsPlainQuotedAndExportedValuesInOrder) {
  EnvEntries e = ParseEnvFile(
      "# comment\n"
      "A=1\n"
      "export B = two words \n"
      "C='single # not a comment'\n"
      "D=\"line\\nbreak \\\"q\\\"\"\n"
      "E=value # trailing comment\n"
      "F=\n"
      "\n",
      "test.env");
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0], (std::pair<std::string, std::string>{"A", "1"}));
  EXPECT_EQ(e[1], (std::pair<std::string, std::string>{"B", "two words"}));
  EXPECT_EQ(e[2], (std::pair<std::string, std::string>{"C", "single # not a comment"}));
  EXPECT_EQ(e[3], (std::pair<std::string, std::string>{"D", "line\nbreak \"q\""}));
  EXPECT_EQ(e[4], (std::pair<std::string, std::string>{"E", "value"}));
  EXPECT_EQ(e[5], (std::pair<std::string, std::string>{"F", ""}));
}

TEST(ParseEnvFile, NamesFileAndLineOfMalformedLines) {
  try {
    ParseEnvFile("A=1\nnot a setting\n", "my.env");
    FAIL() << "expected an error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "my.env:2: expected KEY=VALUE");
    EXPECT_EQ(e.exit_code(), 2);
  }
  EXPECT_THROW(ParseEnvFile("1BAD=x\n", "f"), UsageError);
  EXPECT_THROW(ParseEnvFile("A=\"open\n", "f"), UsageError);
}

}  // namespace
}  // namespace dlctl
