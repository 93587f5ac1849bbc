#include <gtest/gtest.h>

#include "support/error_of.h"
#include "transform/project/project.h"
#include "transform/project_files.h"
#include "transform/project/generic_tests.h"

namespace dlctl::transform {
namespace {

using testing::ErrorOf;
using testing::LoadWith;
using testing::TempDir;
using Strings = std::vector<std::string>;

const DataTest* FindTest(const Project& p, const std::string& name) {
  for (const auto& t : p.tests)
    if (t.name == name) return &t;
  return nullptr;
}

Strings TestNames(const Project& p) {
  Strings names;
  for (const auto& t : p.tests) names.push_back(t.name);
  return names;
}

const char* kSchema = R"yml(version: 2
models:
  - name: users
    description: One row per user.
    config:
      materialized: table
    columns:
      - name: id
        description: The user id.
        data_type: integer
        tags: [keys]
        data_tests:
          - not_null
          - unique:
              config:
                severity: warn
                where: "id > 0"
      - name: country
        tests:
          - accepted_values:
              values: ['HR', 'HU', 'RO']
          - relationships:
              to: ref('countries')
              field: code
              severity: warn
    data_tests:
      - dbt_utils.expression_is_true:
          arguments:
            expression: "source in ('Deezer', 'MSDSL')"
      - dbt_utils.unique_combination_of_columns:
          combination_of_columns: [id, country]
)yml";

class PropertiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_ = LoadWith(dir_, {{"dbt_project.yml", "name: p\n"},
                               {"models/marts/users.sql", "select 1"},
                               {"models/marts/schema.yml", kSchema}});
  }
  TempDir dir_;
  Project project_;
};

TEST_F(PropertiesTest, DescribesModelsAndColumns) {
  const Model* users = project_.FindModel("users");
  ASSERT_NE(users, nullptr);
  EXPECT_EQ(users->description, "One row per user.");
  EXPECT_EQ(users->patch_path, "models/marts/schema.yml");
  EXPECT_EQ(users->config.materialized, "table");
  ASSERT_EQ(users->columns.size(), 2u);
  EXPECT_EQ(users->columns[0].name, "id");
  EXPECT_EQ(users->columns[0].description, "The user id.");
  EXPECT_EQ(users->columns[0].data_type, "integer");
  EXPECT_EQ(users->columns[0].tags, Strings{"keys"});
  EXPECT_EQ(users->columns[1].name, "country");
}

TEST_F(PropertiesTest, NamesGenericTestsLikeDbt) {
  EXPECT_EQ(TestNames(project_),
            (Strings{"not_null_users_id", "unique_users_id", "accepted_values_users_country__HR__HU__RO",
                     "relationships_users_country__code__ref_countries_",
                     "dbt_utils_expression_is_true_users_source_in_Deezer_MSDSL_",
                     "dbt_utils_unique_combination_of_columns_users_id__country"}));
}

TEST_F(PropertiesTest, KeepsTestNameNamespaceColumnAndArguments) {
  const DataTest* t = FindTest(project_, "accepted_values_users_country__HR__HU__RO");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->kind, DataTest::Kind::kGeneric);
  EXPECT_EQ(t->unique_id, "test.p.accepted_values_users_country__HR__HU__RO");
  EXPECT_EQ(t->test_name, "accepted_values");
  EXPECT_EQ(t->test_namespace, "");
  EXPECT_EQ(t->attached_to, "model.p.users");
  EXPECT_EQ(t->column_name, "country");
  EXPECT_EQ(t->arguments, (nlohmann::json{{"values", {"HR", "HU", "RO"}}}));
  EXPECT_EQ(t->fqn, (Strings{"p", "marts", "accepted_values_users_country__HR__HU__RO"}));
  EXPECT_EQ(t->path, "models/marts/schema.yml");
  EXPECT_EQ(t->line, 20);
  EXPECT_EQ(t->config.materialized, "test");

  const DataTest* e = FindTest(project_, "dbt_utils_expression_is_true_users_source_in_Deezer_MSDSL_");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->test_namespace, "dbt_utils");
  EXPECT_EQ(e->test_name, "expression_is_true");
  EXPECT_FALSE(e->column_name.has_value());
  EXPECT_EQ(e->arguments, (nlohmann::json{{"expression", "source in ('Deezer', 'MSDSL')"}}));
}

TEST_F(PropertiesTest, TestConfigFromItsKeysAndItsConfigBlock) {
  const DataTest* unique = FindTest(project_, "unique_users_id");
  ASSERT_NE(unique, nullptr);
  EXPECT_EQ(unique->config.severity, "warn");
  EXPECT_EQ(unique->config.where, "id > 0");
  EXPECT_TRUE(unique->arguments.empty());
  EXPECT_EQ(unique->config.tags, Strings{"keys"});  // the column's tags
  const DataTest* rel = FindTest(project_, "relationships_users_country__code__ref_countries_");
  ASSERT_NE(rel, nullptr);
  EXPECT_EQ(rel->config.severity, "warn");
  EXPECT_EQ(rel->arguments, (nlohmann::json{{"field", "code"}, {"to", "ref('countries')"}}));
  EXPECT_EQ(FindTest(project_, "not_null_users_id")->config.severity, "error");
}

TEST(Properties, LongTestNamesAreShortenedWithAnMd5) {
  auto [short_name, full] =
      SynthesizeTestName("dbt_utils_unique_combination_of_columns", "users", {{"combination_of_columns", {"id", "country"}}});
  EXPECT_EQ(full, "dbt_utils_unique_combination_of_columns_users_id__country");
  EXPECT_EQ(short_name, full);  // 57 characters: kept
  auto [hashed, long_full] = SynthesizeTestName("accepted_values", "a_rather_long_model_name",
                                                {{"column_name", "status"}, {"values", {"placed", "shipped", "done"}}});
  EXPECT_EQ(long_full, "accepted_values_a_rather_long_model_name_status__placed__shipped__done");
  EXPECT_EQ(hashed, "accepted_values_a_rather_long__226ea56ee40493f7cac8557bbd1da81e");  // first 30 characters, '_', MD5
}

TEST(Properties, PythonStrOfYamlValues) {
  EXPECT_EQ(PythonStr(true), "True");
  EXPECT_EQ(PythonStr(nullptr), "None");
  EXPECT_EQ(PythonStr(2.5), "2.5");
  EXPECT_EQ(PythonStr(3.0), "3.0");
  EXPECT_EQ(PythonStr(7), "7");
  EXPECT_EQ(PythonStr(nlohmann::json{"a", 1}), "['a', 1]");
  EXPECT_EQ(PythonStr(nlohmann::json{{"k", "v"}}), "{'k': 'v'}");
}

TEST(Properties, CustomNamesAndTheTestNameForm) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\n"},
                             {"models/m.sql", "select 1"},
                             {"models/m.yml", "models:\n  - name: m\n    columns:\n      - name: c\n        data_tests:\n"
                                              "          - not_null:\n              name: c_is_set\n"
                                              "          - name: c_in_list\n            test_name: accepted_values\n"
                                              "            values: [1, 2]\n            where: c is not null\n"}});
  EXPECT_EQ(TestNames(p), (Strings{"c_is_set", "c_in_list"}));
  const DataTest* t = FindTest(p, "c_in_list");
  EXPECT_EQ(t->test_name, "accepted_values");
  EXPECT_EQ(t->arguments, (nlohmann::json{{"values", {1, 2}}}));
  EXPECT_EQ(t->config.where, "c is not null");
}

TEST(Properties, ModelLevelTestsMayNameAColumn) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\n"},
                             {"models/m.sql", "select 1"},
                             {"models/m.yml", "models:\n  - name: m\n    data_tests:\n      - unique:\n"
                                              "          column_name: \"a || '-' || b\"\n"}});
  ASSERT_EQ(p.tests.size(), 1u);
  EXPECT_EQ(p.tests[0].name, "unique_m_a_b");
  EXPECT_EQ(p.tests[0].column_name, "a || '-' || b");
}

TEST(Properties, ProjectTestConfigsApplyByFolder) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\ndata_tests:\n  p:\n    marts:\n      +severity: warn\n"
                                                 "      +tags: [mart_checks]\n"},
                             {"models/marts/m.sql", "select 1"},
                             {"models/marts/m.yml", "models:\n  - name: m\n    columns:\n      - name: c\n"
                                                    "        tests: [not_null, {unique: {severity: error}}]\n"},
                             {"tests/marts/check.sql", "select 1 where false"}});
  EXPECT_EQ(FindTest(p, "not_null_m_c")->config.severity, "warn");
  EXPECT_EQ(FindTest(p, "not_null_m_c")->config.tags, Strings{"mart_checks"});
  EXPECT_EQ(FindTest(p, "unique_m_c")->config.severity, "error");  // the test's own config wins
  EXPECT_EQ(FindTest(p, "check")->config.severity, "warn");
}

TEST(Properties, TestsOfADisabledModelAreDisabled) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\nmodels:\n  p:\n    off:\n      +enabled: false\n"},
                             {"models/off/m.sql", "select 1"},
                             {"models/off/m.yml", "models:\n  - name: m\n    columns:\n      - name: c\n"
                                                  "        tests: [not_null]\n"}});
  ASSERT_EQ(p.tests.size(), 1u);
  EXPECT_FALSE(p.tests[0].config.enabled);
}

TEST(Properties, SourcesWithTablesDefaultsAndTests) {
  TempDir dir;
  Project p = LoadWith(
      dir, {{"dbt_project.yml", "name: p\nsources:\n  p:\n    raw_data:\n      +tags: [from_project]\n"},
            {"models/raw_data/sources.yml",
             "version: 2\nsources:\n  - name: deezer\n    database: raw\n    tags: [raw]\n"
             "    freshness: {warn_after: {count: 1, period: day}}\n    loaded_at_field: ts\n    tables:\n"
             "      - name: HR/HR_edges.csv\n        description: Friendships.\n        columns:\n"
             "          - name: node_1\n            data_tests: [not_null]\n"
             "      - name: genres\n        identifier: HR/HR_genres.json\n        tags: hr\n"
             "  - name: shop\n    schema: main\n    tables:\n      - name: orders\n"}});
  ASSERT_EQ(p.sources.size(), 3u);
  const SourceTable* edges = p.FindSource("deezer", "HR/HR_edges.csv");
  ASSERT_NE(edges, nullptr);
  EXPECT_EQ(edges->unique_id, "source.p.deezer.HR/HR_edges.csv");
  EXPECT_EQ(edges->identifier, "HR/HR_edges.csv");
  EXPECT_EQ(edges->schema, "deezer");
  EXPECT_EQ(edges->database, "raw");
  EXPECT_TRUE(edges->IsRawDataset());
  EXPECT_EQ(edges->description, "Friendships.");
  EXPECT_EQ(edges->fqn, (Strings{"p", "raw_data", "deezer", "HR/HR_edges.csv"}));
  EXPECT_EQ(edges->config.tags, (Strings{"from_project", "raw"}));
  EXPECT_EQ(edges->line, 9);
  const SourceTable* genres = p.FindSource("deezer", "genres");
  EXPECT_EQ(genres->identifier, "HR/HR_genres.json");
  EXPECT_EQ(genres->config.tags, (Strings{"from_project", "raw", "hr"}));
  const SourceTable* orders = p.FindSource("shop", "orders");
  EXPECT_EQ(orders->schema, "main");
  EXPECT_FALSE(orders->database.has_value());
  EXPECT_FALSE(orders->IsRawDataset());
  ASSERT_EQ(p.tests.size(), 1u);
  EXPECT_EQ(p.tests[0].name, "source_not_null_deezer_HR/HR_edges.csv_node_1");
  EXPECT_EQ(p.tests[0].attached_to, "source.p.deezer.HR/HR_edges.csv");
  EXPECT_TRUE(p.warnings.empty()) << p.warnings[0];
}

TEST(Properties, SeedsAndSingularTestsCanBeDescribed) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\n"},
                             {"seeds/codes.csv", "code\n1\n"},
                             {"seeds/codes.yml", "seeds:\n  - name: codes\n    config:\n      column_types: {code: int}\n"
                                                 "    columns:\n      - name: code\n        tests: [unique]\n"},
                             {"tests/no_orphans.sql", "select 1 where false"},
                             {"tests/tests.yml", "data_tests:\n  - name: no_orphans\n    description: None left.\n"
                                                 "    config: {severity: warn}\n"}});
  EXPECT_EQ(p.FindSeed("codes")->config.values["column_types"]["code"], "int");
  EXPECT_EQ(p.FindSeed("codes")->columns.size(), 1u);
  EXPECT_EQ(FindTest(p, "unique_codes_code")->attached_to, "seed.p.codes");
  EXPECT_EQ(FindTest(p, "no_orphans")->config.severity, "warn");
  EXPECT_EQ(FindTest(p, "no_orphans")->description, "None left.");
}

TEST(Properties, PropertiesOfMissingNodesWarn) {
  TempDir dir;
  Project p = LoadWith(dir, {{"dbt_project.yml", "name: p\n"},
                             {"models/a.yml", "version: 2\nmodels:\n  - name: ghost\n"}});
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], (dir.path() / "models/a.yml").string() + ":3: properties for model 'ghost', which does not exist");
}

class PropertiesErrorTest : public ::testing::Test {
 protected:
  // The error of loading a project with one model "m" and this properties file.
  std::string ErrorFor(const std::string& yml) {
    return ErrorOf([&] {
      LoadWith(dir_, {{"dbt_project.yml", "name: p\n"}, {"models/m.sql", "select 1"}, {"models/m.yml", yml}});
    });
  }
  std::string At(int line) { return (dir_.path() / "models/m.yml").string() + ":" + std::to_string(line) + ": "; }
  TempDir dir_;
};

TEST_F(PropertiesErrorTest, UnsupportedVersion) {
  EXPECT_EQ(ErrorFor("version: 3\n"), At(1) + "unsupported properties version 3 (expected 2)");
}

TEST_F(PropertiesErrorTest, NotAMapping) {
  EXPECT_EQ(ErrorFor("- a\n- b\n"), At(1) + "a properties file must be a mapping (version: 2, models: ...)");
}

TEST_F(PropertiesErrorTest, ModelsNotAList) {
  EXPECT_EQ(ErrorFor("version: 2\nmodels:\n  name: m\n"), At(3) + "model must be a list");
}

TEST_F(PropertiesErrorTest, EntryWithoutName) {
  EXPECT_EQ(ErrorFor("models:\n  - description: x\n"), At(2) + "model entries need a name");
}

TEST_F(PropertiesErrorTest, ModelDescribedTwice) {
  EXPECT_EQ(ErrorFor("models:\n  - name: m\n  - name: m\n"),
            At(3) + "model 'm' is already described at " + At(2).substr(0, At(2).size() - 2));
}

TEST_F(PropertiesErrorTest, TestsAndDataTestsTogether) {
  EXPECT_EQ(ErrorFor("models:\n  - name: m\n    columns:\n      - name: c\n        data_tests: [unique]\n"
                     "        tests: [not_null]\n"),
            At(6) + "'tests' and 'data_tests' are the same list: use only 'data_tests'");
}

TEST_F(PropertiesErrorTest, TestWithTwoKeys) {
  EXPECT_EQ(ErrorFor("models:\n  - name: m\n    data_tests:\n      - unique: {}\n        not_null: {}\n"),
            At(4) + "a test is a name or a mapping with one key, the test's name (e.g. accepted_values: {values: [a, b]})");
}

TEST_F(PropertiesErrorTest, TestArgumentsNotAMapping) {
  EXPECT_EQ(ErrorFor("models:\n  - name: m\n    data_tests:\n      - accepted_values: [a, b]\n"),
            At(4) + "the arguments of test 'accepted_values' must be a mapping");
}

TEST_F(PropertiesErrorTest, BadSeverity) {
  EXPECT_EQ(ErrorFor("models:\n  - name: m\n    data_tests:\n      - unique:\n          severity: fatal\n"),
            At(4) + "severity must be 'error' or 'warn' (got 'fatal')");
}

TEST_F(PropertiesErrorTest, ColumnWithoutName) {
  EXPECT_EQ(ErrorFor("models:\n  - name: m\n    columns:\n      - description: x\n"), At(4) + "a column needs a name");
}

TEST_F(PropertiesErrorTest, SameTestTwice) {
  std::string message = ErrorFor("models:\n  - name: m\n    columns:\n      - name: c\n        tests: [unique, unique]\n");
  EXPECT_EQ(message, At(5) + "test 'unique_m_c' is already defined in " + At(5).substr(0, At(5).size() - 2) +
                         " (give one a different name:)");
}

TEST_F(PropertiesErrorTest, SourceTableDeclaredTwice) {
  EXPECT_EQ(ErrorFor("sources:\n  - name: s\n    tables:\n      - name: t\n  - name: s\n    tables:\n      - name: t\n"),
            At(7) + "source table 's.t' is already declared in models/m.yml");
}

TEST_F(PropertiesErrorTest, ConfigMustBeAMapping) {
  EXPECT_EQ(ErrorFor("models:\n  - name: m\n    config: table\n"), At(3) + "config must be a mapping");
}

}  // namespace
}  // namespace dlctl::transform
