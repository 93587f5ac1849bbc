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

TEST(ProjectLoad, ReadsNameDefaultPathsAndModelsWithTheirFqnAndText) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: shop\nversion: '1.0'\nprofile: shop\n"},
                             {"models/stage/orders/stg_orders.sql", "select 1 as id\n"},
                             {"models/customers.sql", "select {{ ref('stg_orders') }}"}});
  EXPECT_EQ(p.name, "shop");
  EXPECT_EQ(p.model_paths, Strings{"models"});
  EXPECT_EQ(p.seed_paths, Strings{"seeds"});
  EXPECT_EQ(p.macro_paths, Strings{"macros"});
  EXPECT_EQ(p.test_paths, Strings{"tests"});
  EXPECT_EQ(p.target_path, "target");
  ASSERT_EQ(p.models.size(), 2u);
  const Model& customers = p.models[0];  // ordered by path
  EXPECT_EQ(customers.name, "customers");
  EXPECT_EQ(customers.unique_id, "model.shop.customers");
  EXPECT_EQ(customers.fqn, (Strings{"shop", "customers"}));
  EXPECT_EQ(customers.file.path, "models/customers.sql");
  EXPECT_EQ(customers.file.text, "select {{ ref('stg_orders') }}");
  const Model& orders = p.models[1];
  EXPECT_EQ(orders.fqn, (Strings{"shop", "stage", "orders", "stg_orders"}));
  EXPECT_EQ(orders.file.path, "models/stage/orders/stg_orders.sql");
  EXPECT_EQ(orders.config.materialized, "view");
  EXPECT_TRUE(p.warnings.empty());
}

TEST(ProjectLoad, HonorsConfiguredFoldersAndTheirOldNames) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml",
                              "name: p\nsource-paths: [sql, more/sql/]\ndata-paths: [data]\n"
                              "macro-paths: [jinja]\ntest-paths: [checks]\ntarget-path: out\n"},
                             {"sql/a.sql", "select 1"},
                             {"more/sql/sub/b.sql", "select 2"},
                             {"models/ignored.sql", "select 3"},
                             {"data/codes.csv", "code\n1\n"},
                             {"jinja/m.sql", "{% macro m() %}1{% endmacro %}"},
                             {"checks/no_rows.sql", "select 1 where false"}});
  EXPECT_EQ(p.model_paths, (Strings{"sql", "more/sql"}));
  ASSERT_EQ(p.models.size(), 2u);
  EXPECT_EQ(p.models[1].fqn, (Strings{"p", "sub", "b"}));
  ASSERT_EQ(p.seeds.size(), 1u);
  EXPECT_EQ(p.seeds[0].path, "data/codes.csv");
  ASSERT_EQ(p.macro_files.size(), 1u);
  EXPECT_EQ(p.macro_files[0].path, "jinja/m.sql");
  ASSERT_EQ(p.tests.size(), 1u);
  EXPECT_EQ(p.tests[0].name, "no_rows");
  EXPECT_EQ(p.target_path, "out");
}

TEST(ProjectLoad, MissingProjectFileIsNotFoundNamingIt) {
  TempDir dir;
  std::string message = ErrorOf([&] { LoadProject(dir.path()); });
  EXPECT_NE(message.find((dir.path() / "dbt_project.yml").string() + ": no dbt project here"), std::string::npos)
      << message;
  EXPECT_THROW(LoadProject(dir.path()), NotFoundError);
}

TEST(ProjectLoad, YamlSyntaxErrorNamesFileLineAndColumn) {
  TempDir dir;
  std::string message = ErrorOf([&] { LoadWith(dir, {{"dbt_project.yml", "name: p\nmodels:\n  - a\n  b: [\n"}}); });
  EXPECT_EQ(message.rfind((dir.path() / "dbt_project.yml").string() + ":", 0), 0u) << message;
  EXPECT_NE(message.find(":4:"), std::string::npos) << message;
}

TEST(ProjectLoad, ProjectNeedsAValidName) {
  TempDir a, b;
  EXPECT_EQ(ErrorOf([&] { LoadWith(a, {{"dbt_project.yml", "version: 2\n"}}); }),
            (a.path() / "dbt_project.yml").string() + ":1: the project needs a name");
  EXPECT_EQ(ErrorOf([&] { LoadWith(b, {{"dbt_project.yml", "\nname: my-project\n"}}); }),
            (b.path() / "dbt_project.yml").string() +
                ":2: the project name must be letters, digits and '_' (got 'my-project')");
}

TEST(ProjectLoad, FoldersMustStayInsideTheProject) {
  TempDir dir;
  std::string message = ErrorOf([&] { LoadWith(dir, {{"dbt_project.yml", "name: p\nmodel-paths: [../elsewhere]\n"}}); });
  EXPECT_NE(message.find(":2: model-paths must be folders inside the project (got '../elsewhere')"), std::string::npos)
      << message;
}

TEST(ProjectLoad, TwoModelsWithOneNameIsAnErrorNamingBothFiles) {
  TempDir dir;
  std::string message = ErrorOf([&] {
    LoadWith(dir, {{"dbt_project.yml", "name: p\n"}, {"models/a/x.sql", "select 1"}, {"models/b/x.sql", "select 2"}});
  });
  std::string root = dir.path().string();
  EXPECT_EQ(message, root + "/models/b/x.sql: a model named 'x' already exists in " + root + "/models/a/x.sql");
}

TEST(ProjectLoad, ASeedNamedLikeAModelIsAnError) {
  TempDir dir;
  std::string message = ErrorOf([&] {
    LoadWith(dir, {{"dbt_project.yml", "name: p\n"}, {"models/x.sql", "select 1"}, {"seeds/x.csv", "a\n1\n"}});
  });
  EXPECT_NE(message.find("seeds/x.csv: a model named 'x' already exists"), std::string::npos) << message;
}

TEST(ProjectLoad, MacroFilesIncludeGenericTestsAndSingularTestsSkipThem) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\n"},
                             {"macros/utils/b.sql", "{% macro b() %}{% endmacro %}"},
                             {"macros/a.sql", "{% macro a() %}{% endmacro %}"},
                             {"macros/notes.md", "not a macro"},
                             {"tests/generic/positive.sql", "{% test positive(model, column_name) %}{% endtest %}"},
                             {"tests/one.sql", "select 1 from {{ ref('x') }}"},
                             {"tests/more/two.sql", "select 2"}});
  Strings macros;
  for (const auto& f : p.macro_files) macros.push_back(f.path);
  EXPECT_EQ(macros, (Strings{"macros/a.sql", "macros/utils/b.sql", "tests/generic/positive.sql"}));
  ASSERT_EQ(p.tests.size(), 2u);
  EXPECT_EQ(p.tests[0].name, "two");
  EXPECT_EQ(p.tests[0].fqn, (Strings{"p", "more", "two"}));
  EXPECT_EQ(p.tests[1].name, "one");
  EXPECT_EQ(p.tests[1].unique_id, "test.p.one");
  EXPECT_EQ(p.tests[1].kind, DataTest::Kind::kSingular);
  EXPECT_EQ(p.tests[1].file.text, "select 1 from {{ ref('x') }}");
  EXPECT_EQ(p.tests[1].config.materialized, "test");
  EXPECT_EQ(p.tests[1].config.severity, "error");
}

TEST(ProjectLoad, VarsScopedToTheProjectWinOverGlobalOnes) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml",
                              "name: p\nvars:\n  limit: 10\n  start: '2020-01-01'\n  flag: yes\n"
                              "  p:\n    limit: 20\n  other_package:\n    limit: 30\n"}});
  nlohmann::json vars = p.VarsFor("p", nlohmann::json::object());
  EXPECT_EQ(vars["limit"], 20);
  EXPECT_EQ(vars["start"], "2020-01-01");
  EXPECT_EQ(vars["flag"], true);  // YAML 1.1, as dbt reads it
  EXPECT_EQ(vars["other_package"]["limit"], 30);
  // A package's nodes see the root project's vars scoped to it; --vars win over all.
  EXPECT_EQ(p.VarsFor("other_package", nlohmann::json::object())["limit"], 30);
  EXPECT_EQ(p.VarsFor("p", {{"limit", 5}})["limit"], 5);
}

TEST(ProjectLoad, UnknownTopLevelKeysWarnWithTheirLine) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\nmodle-paths: [x]\n"}});
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], (dir.path() / "dbt_project.yml").string() + ":2: unknown key 'modle-paths' ignored");
}

TEST(ProjectLoad, EmptyOrMissingFoldersAreFine) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "models");
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\n"}});
  EXPECT_TRUE(p.models.empty());
  EXPECT_TRUE(p.seeds.empty());
  EXPECT_TRUE(p.tests.empty());
  EXPECT_TRUE(p.macro_files.empty());
}

TEST(ProjectLoad, HooksAndLookups) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\non-run-start: \"select 1\"\non-run-end: [a, b]\n"},
                             {"models/m.sql", "select 1"},
                             {"seeds/s.csv", "a\n1\n"}});
  EXPECT_EQ(p.on_run_start, Strings{"select 1"});
  EXPECT_EQ(p.on_run_end, (Strings{"a", "b"}));
  ASSERT_NE(p.FindModel("m"), nullptr);
  EXPECT_EQ(p.FindModel("s"), nullptr);
  ASSERT_NE(p.FindSeed("s"), nullptr);
  EXPECT_EQ(p.FindSeed("s")->config.materialized, "seed");
  EXPECT_EQ(p.DisplayPath("models/m.sql"), (dir.path() / "models/m.sql").string());
}

}  // namespace
}  // namespace dlctl::transform
