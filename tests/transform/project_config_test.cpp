#include "transform/project/config.h"

#include <gtest/gtest.h>

#include "support/error_of.h"
#include "transform/project/project.h"
#include "transform/project_files.h"

namespace dlctl::transform {
namespace {

using testing::ErrorOf;
using testing::LoadWith;
using testing::TempDir;
using Strings = std::vector<std::string>;

const char* kProject = R"(name: shop
models:
  +tags: everywhere
  shop:
    +materialized: table
    materialized: view        # '+' wins at the same level
    +tags: [shop]
    stage:
      +database: stage
      +schema: stg
      tags: stage             # a plain key with a scalar value is a config
      +meta: {owner: ann, tier: 2}
      orders:
        +alias: o
        +materialized: incremental
        +meta: {tier: 1}
        stg_orders:           # a file name is the last level
          +enabled: false
    marts:
      +database: graphs
      +post-hook: "analyze {{ this }}"
      users:
        +post-hook: ["vacuum"]
seeds:
  +schema: seeds
  shop:
    codes:
      +column_types: {code: varchar}
)";

class ProjectConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = LoadWith(dir_, {{"dbt_project.yml", kProject},
                               {"models/stage/orders/stg_orders.sql", "select 1"},
                               {"models/stage/orders/stg_items.sql", "select 1"},
                               {"models/stage/stg_users.sql", "select 1"},
                               {"models/marts/users/users.sql", "select 1"},
                               {"models/top.sql", "select 1"},
                               {"seeds/codes.csv", "code\n1\n"}});
  }
  const NodeConfig& Config(const std::string& model) { return project_.FindModel(model)->config; }
  TempDir dir_;
  Project project_;
};

TEST_F(ProjectConfigTest, InnermostFolderWins) {
  EXPECT_EQ(Config("top").materialized, "table");
  EXPECT_EQ(Config("stg_users").materialized, "table");
  EXPECT_EQ(Config("stg_items").materialized, "incremental");
  EXPECT_EQ(Config("stg_items").alias, "o");
  EXPECT_FALSE(Config("stg_users").alias.has_value());
}

TEST_F(ProjectConfigTest, DatabaseAndSchemaComeFromTheirFolder) {
  EXPECT_EQ(Config("stg_items").database, "stage");
  EXPECT_EQ(Config("stg_items").schema, "stg");
  EXPECT_EQ(Config("users").database, "graphs");
  EXPECT_FALSE(Config("users").schema.has_value());
  EXPECT_FALSE(Config("top").database.has_value());
}

TEST_F(ProjectConfigTest, TagsAccumulateFromOuterToInner) {
  EXPECT_EQ(Config("top").tags, (Strings{"everywhere", "shop"}));
  EXPECT_EQ(Config("stg_items").tags, (Strings{"everywhere", "shop", "stage"}));
}

TEST_F(ProjectConfigTest, MetaMergesKeyByKey) {
  EXPECT_EQ(Config("stg_items").values["meta"], (nlohmann::json{{"owner", "ann"}, {"tier", 1}}));
  EXPECT_EQ(Config("stg_users").values["meta"], (nlohmann::json{{"owner", "ann"}, {"tier", 2}}));
}

TEST_F(ProjectConfigTest, HooksAppendAndTakeOneSpelling) {
  EXPECT_EQ(Config("users").values["post_hook"], (nlohmann::json{"analyze {{ this }}", "vacuum"}));
  EXPECT_FALSE(Config("users").values.contains("post-hook"));
}

TEST_F(ProjectConfigTest, AFileLevelCanDisableOneModel) {
  EXPECT_FALSE(Config("stg_orders").enabled);
  EXPECT_TRUE(Config("stg_items").enabled);
}

TEST_F(ProjectConfigTest, SeedsHaveTheirOwnBlock) {
  const Seed* seed = project_.FindSeed("codes");
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(seed->config.schema, "seeds");
  EXPECT_EQ(seed->config.materialized, "seed");
  EXPECT_EQ(seed->config.values["column_types"]["code"], "varchar");
  EXPECT_TRUE(project_.warnings.empty()) << project_.warnings[0];
}

TEST(ProjectConfig, PropertiesConfigBeatsTheProjectAndTheFileConfigBeatsBoth) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\nmodels:\n  +materialized: table\n  +tags: [a]\n  +schema: s1\n"},
                             {"models/m.sql", "select 1"},
                             {"models/m.yml",
                              "version: 2\nmodels:\n  - name: m\n    config:\n      materialized: view\n"
                              "      tags: b\n      unique_key: id\n"}});
  NodeConfig config = p.FindModel("m")->config;
  EXPECT_EQ(config.materialized, "view");
  EXPECT_EQ(config.schema, "s1");
  EXPECT_EQ(config.tags, (Strings{"a", "b"}));
  ApplyFileConfig(config, {{"materialized", "incremental"}, {"tags", {"c", "a"}}, {"unique_key", {"id", "day"}}},
                  "models/m.sql");
  EXPECT_EQ(config.materialized, "incremental");
  EXPECT_EQ(config.tags, (Strings{"a", "b", "c"}));
  EXPECT_EQ(config.values["unique_key"], (nlohmann::json{"id", "day"}));
  EXPECT_EQ(config.schema, "s1");
}

TEST(ProjectConfig, WrongTypesAreErrorsNamingWhere) {
  NodeConfig config;
  EXPECT_EQ(ErrorOf([&] { MergeConfig(config, {{"enabled", "maybe"}}, "m.sql"); }),
            "m.sql: enabled must be true or false (got \"maybe\")");
  EXPECT_EQ(ErrorOf([&] { MergeConfig(config, {{"schema", 3}}, "m.sql"); }), "m.sql: schema must be a string (got 3)");
  EXPECT_EQ(ErrorOf([&] { MergeConfig(config, {{"tags", {"a", 1}}}, "m.sql"); }), "m.sql: tags must be strings (got 1)");
  EXPECT_EQ(ErrorOf([&] { MergeConfig(config, {{"severity", "loud"}}, "t.yml:3"); }),
            "t.yml:3: severity must be 'error' or 'warn' (got 'loud')");
  EXPECT_EQ(ErrorOf([&] { MergeConfig(config, nlohmann::json::array({1}), "m.sql"); }),
            "m.sql: config must be a mapping (got [1])");
}

TEST(ProjectConfig, EnabledAcceptsTextBooleansAndSeverityAnyCase) {
  NodeConfig config;
  MergeConfig(config, {{"enabled", "False"}, {"severity", "WARN"}}, "x");
  EXPECT_FALSE(config.enabled);
  EXPECT_EQ(config.severity, "warn");
  MergeConfig(config, {{"enabled", true}}, "x");
  EXPECT_TRUE(config.enabled);
}

TEST(ProjectConfig, ABadValueInTheProjectNamesItsPath) {
  TempDir dir;
  std::string message = ErrorOf([&] {
    LoadWith(dir, {{"dbt_project.yml", "name: p\nmodels:\n  p:\n    stage:\n      +enabled: sometimes\n"},
                   {"models/stage/m.sql", "select 1"}});
  });
  EXPECT_EQ(message, (dir.path() / "dbt_project.yml").string() +
                         ": models.p.stage: enabled must be true or false (got \"sometimes\")");
}

TEST(ProjectConfig, UnusedFolderPathsWarnOnce) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\nmodels:\n  p:\n    stgae:\n      deep:\n        +schema: x\n"
                                                 "    stage:\n      +schema: y\n"},
                             {"models/stage/m.sql", "select 1"}});
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], (dir.path() / "dbt_project.yml").string() +
                               ": models.p.stgae matches no models (a folder name typo?)");
  EXPECT_EQ(p.FindModel("m")->config.schema, "y");
}

TEST(ProjectConfig, LevelConfigsTakeScalarsAndPlusKeysButNotFolders) {
  nlohmann::json level = {{"+schema", "a"}, {"alias", "b"}, {"folder", {{"+x", 1}}}, {"+meta", {{"k", 1}}}};
  EXPECT_EQ(LevelConfigs(level), (nlohmann::json{{"schema", "a"}, {"alias", "b"}, {"meta", {{"k", 1}}}}));
}

}  // namespace
}  // namespace dlctl::transform
