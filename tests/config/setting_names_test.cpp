#include "config/setting_names.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/env_file.h"
#include "config/settings.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

const std::filesystem::path kCwd = "/lab/project";

std::vector<std::string> WarningsFor(const EnvEntries& file) { return BuildSettings(file, {}, kCwd, "/lab/.env").warnings; }

TEST(SettingNames, FixedNamesAndFamiliesAreKnown) {
  for (const char* name : {"S3_BUCKET", "LOCAL_DIR", "PSQL_CATALOG_PASSWORD", "HF_TOKEN", "DBT_PROJECT_DIR",
                           "ECON_MART_DB", "S3_ECON_MART_PREFIX", "PSQL_CATALOG_ECON_MART_SCHEMA", "SOCIAL_GRAPH_DB"})
    EXPECT_TRUE(IsKnownSetting(name)) << name;
  for (const char* name : {"S3_BUKET", "_MART_DB", "S3__MART_PREFIX", "MY_MODEL_SETTING", "_GRAPH_DB"})
    EXPECT_FALSE(IsKnownSetting(name)) << name;
}

TEST(SettingNames, ATypoNamesTheClosestSetting) {
  EXPECT_EQ(ClosestSetting("S3_BUKET", {}), "S3_BUCKET");
  EXPECT_EQ(ClosestSetting("S3_BUCEKT", {}), "S3_BUCKET");
  EXPECT_EQ(ClosestSetting("s3_bucket", {}), "S3_BUCKET");
  EXPECT_EQ(ClosestSetting("LOCALDIR", {}), "LOCAL_DIR");
  EXPECT_EQ(ClosestSetting("GRAPHS_MART_BD", {}), "GRAPHS_MART_DB");
  EXPECT_EQ(ClosestSetting("ECON_MART_BD", {"S3_ECON_MART_PREFIX", "ECON_MART_BD"}), "ECON_MART_DB");
  EXPECT_EQ(ClosestSetting("S3_SECRET_KEY", {}), "S3_SECRET_ACCESS_KEY") << "our prefix: the most words shared";
  EXPECT_EQ(ClosestSetting("PSQL_CATALOG_PASS", {}), "PSQL_CATALOG_PASSWORD");
}

TEST(SettingNames, OtherToolsVariablesAreNoTypos) {
  EXPECT_EQ(ClosestSetting("MINIO_ROOT_USER", {}), std::nullopt);
  EXPECT_EQ(ClosestSetting("MY_MODEL_SETTING", {}), std::nullopt);
  EXPECT_EQ(ClosestSetting("COMPOSE_PROJECT_NAME", {}), std::nullopt);
}

TEST(SettingNames, BuildSettingsWarnsOnceAboutATypoInTheFile) {
  std::vector<std::string> warnings = WarningsFor({{"S3_BUKET", "mine"}, {"S3_BUKET", "again"}, {"MY_VAR", "x"}});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "/lab/.env sets S3_BUKET, which is not a dlctl setting: did you mean S3_BUCKET?");
  // Only the file is checked: the process environment holds everything else on the machine.
  EXPECT_TRUE(BuildSettings({}, {{"S3_BUKET", "mine"}}, kCwd).warnings.empty());
}

TEST(SettingNames, AnErrorCausedByATypoSaysSo) {
  try {
    BuildSettings({{"S3_ENDPOINT", "localhost:9000"}, {"S3_ACCESS_KEY_ID", "id"}, {"S3_SECRET_ACESS_KEY", "long-enough"}},
                  {}, kCwd, ".env");
    ADD_FAILURE() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "S3_SECRET_ACCESS_KEY is not set (needed to use S3); .env sets S3_SECRET_ACESS_KEY, which is not a "
              "dlctl setting: did you mean S3_SECRET_ACCESS_KEY?");
  }
}

TEST(SettingNames, ShortSecretsAreWarnedAbout) {
  std::vector<std::string> warnings = BuildSettings(
      {{"MY_API_TOKEN", "abc"}}, {{"S3_ENDPOINT", "localhost:9000"}, {"S3_ACCESS_KEY_ID", "id"},
                                  {"S3_SECRET_ACCESS_KEY", "e"}, {"SOME_OTHER_TOKEN", "xy"}},
      kCwd).warnings;
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "MY_API_TOKEN is unusually short for a secret (3 characters): messages do not mask it");
  EXPECT_EQ(warnings[1], "S3_SECRET_ACCESS_KEY is unusually short for a secret (1 character): messages do not mask it");
  EXPECT_TRUE(BuildSettings({}, {{"S3_ENDPOINT", "h:1"}, {"S3_ACCESS_KEY_ID", "id"}, {"S3_SECRET_ACCESS_KEY", "12345678"}},
                            kCwd).warnings.empty());
}

TEST(SettingNames, TheExampleEnvFileHasNoUnknownSetting) {
  std::ifstream in(testing::RequiredEnv("DLCTL_SOURCE_DIR") + "/.env.example");
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_FALSE(text.str().empty());
  for (const auto& [name, value] : ParseEnvFile(text.str(), ".env.example")) EXPECT_TRUE(IsKnownSetting(name)) << name;
  // The commented-out ones too.
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# ", 0) != 0 || line.find('=') == std::string::npos || line.find(' ', 2) < line.find('=')) continue;
    std::string name = line.substr(2, line.find('=') - 2);
    EXPECT_TRUE(IsKnownSetting(name)) << name;
  }
}

}  // namespace
}  // namespace dlctl
