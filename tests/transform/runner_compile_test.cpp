// The dbt context the compiler renders models and tests with, without running anything:
// ref/source/var/env_var/config/this/target, raw dataset files from manifests, schema naming
// through project macros, ephemeral CTEs, and errors that name file and line.
#include <gtest/gtest.h>

#include "config/settings.h"
#include "project_files.h"
#include "storage/local_store.h"
#include "storage/versioned_datasets.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "transform/compile/compiler.h"
#include "transform/run/raw_datasets.h"

namespace dlctl::testing {
namespace {

using transform::Compiler;

class CompilerTest : public ::testing::Test {
 protected:
  CompilerTest()
      : settings_(BuildSettings({}, {{"MY_SETTING", "from-env"}}, dir_.path())),
        store_(settings_.LocalBucketRoot()),
        raw_(store_, settings_.bucket, settings_.ingest_prefix) {}

  // Publishes a raw dataset version holding `files`.
  void Ingest(const std::string& dataset, const std::vector<std::string>& files) {
    VersionedDatasets datasets(store_, settings_.ingest_prefix);
    std::string version = datasets.BeginVersion(dataset, TimePoint{std::chrono::seconds(1764000000)});
    for (const auto& file : files) store_.Put(version + "/" + file, "x");
    datasets.Publish(dataset, version);
    version_ = version;
  }

  std::unique_ptr<Compiler> Load(std::map<std::string, std::string> files) {
    files.emplace("dbt_project.yml",
                  "name: demo\nconfig-version: 2\nvars:\n  limit: 10\nmodels:\n  demo:\n    +database: stage\n");
    WriteProject(dir_, files);
    auto compiler = std::make_unique<Compiler>(transform::LoadProject(dir_.path()), settings_, raw_, transform::CompileOptions{});
    compiler->Parse();
    return compiler;
  }

  std::string Compile(const Compiler& compiler, const std::string& name) {
    transform::ExecutionHooks hooks;
    hooks.find_relation = [](const transform::Relation&) { return std::optional<transform::Relation>(); };
    return compiler.CompileModel(*compiler.FindModel("model.demo." + name), hooks);
  }

  TempDir dir_;
  Settings settings_;
  LocalStore store_;
  transform::RawDatasets raw_;
  std::string version_;
};

TEST_F(CompilerTest, RefVarEnvVarThisAndTargetRender) {
  auto compiler = Load({{"models/a.sql", "select 1 as x"},
                        {"models/b.sql",
                         "select * from {{ ref('a') }} limit {{ var('limit') }} -- {{ env_var('MY_SETTING') }} "
                         "{{ this }} {{ target.database }} {{ var('missing', 'dflt') }} {{ env_var('NOPE', 'd2') }}"}});
  EXPECT_EQ(Compile(*compiler, "b"),
            "select * from \"stage\".\"main\".\"a\" limit 10 -- from-env \"stage\".\"main\".\"b\" stage dflt d2");
}

TEST_F(CompilerTest, ConfigSetsMaterializationSchemaAndAliasThroughTheNamingMacros) {
  auto compiler = Load({{"models/a.sql", "{{ config(materialized='table', schema='dsn', alias='edges', tags=['x']) }}select 1"},
                        {"models/b.sql", "{{ config(schema='dsn') }}select 2"},
                        {"macros/names.sql",
                         "{% macro generate_schema_name(custom_schema_name, node) %}"
                         "{{ custom_schema_name if custom_schema_name else 'plain' }}{% endmacro %}"}});
  const auto* a = compiler->FindModel("model.demo.a");
  EXPECT_EQ(a->config.materialized, "table");
  EXPECT_EQ(compiler->RelationOf("model.demo.a").Render(), "\"stage\".\"dsn\".\"edges\"");
  EXPECT_EQ(compiler->FindModel("model.demo.b")->config.materialized, "view");
  // Tags from config() reach the selectors.
  transform::Dag dag = compiler->BuildGraph();
  EXPECT_EQ(dag.Node("model.demo.a").tags, std::vector<std::string>{"x"});
}

TEST_F(CompilerTest, DbtsDefaultSchemaNameAppendsTheCustomSchema) {
  auto compiler = Load({{"models/a.sql", "{{ config(schema='dsn') }}select 1"}, {"models/b.sql", "select 1"}});
  EXPECT_EQ(compiler->RelationOf("model.demo.a").schema, "main_dsn");
  EXPECT_EQ(compiler->RelationOf("model.demo.b").schema, "main");
}

TEST_F(CompilerTest, RefsBecomeEdgesAndACycleIsNamed) {
  auto compiler = Load({{"models/a.sql", "select * from {{ ref('c') }}"},
                        {"models/b.sql", "select * from {{ ref('a') }}"},
                        {"models/c.sql", "select * from {{ ref('b') }}"}});
  transform::Dag dag = compiler->BuildGraph();
  EXPECT_EQ(dag.Parents("model.demo.b"), std::vector<std::string>{"model.demo.a"});
  std::string error = ErrorOf([&] { dag.TopologicalOrder(); });
  EXPECT_NE(error.find("cycle"), std::string::npos) << error;
}

TEST_F(CompilerTest, ARefToNothingNamesTheFileAndLine) {
  std::string error = ErrorOf([&] { Load({{"models/a.sql", "select 1\nfrom {{ ref('nowhere') }}"}}); });
  EXPECT_NE(error.find("models/a.sql:2"), std::string::npos) << error;
  EXPECT_NE(error.find("nowhere"), std::string::npos) << error;
}

TEST_F(CompilerTest, RaiseCompilerErrorStopsTheParse) {
  std::string error = ErrorOf([&] {
    Load({{"models/a.sql", "{% if var('limit') > 5 %}{{ exceptions.raise_compiler_error('limit too high') }}{% endif %}"}});
  });
  EXPECT_NE(error.find("limit too high"), std::string::npos) << error;
  EXPECT_NE(error.find("models/a.sql:1"), std::string::npos) << error;
}

TEST_F(CompilerTest, RawSourcesResolveToTheLatestVersionFromTheManifest) {
  Ingest("deezer_social_networks", {"HR/HR_edges.csv", "Music Info.csv"});
  auto compiler = Load({{"models/sources.yml",
                         "version: 2\nsources:\n  - name: deezer_social_networks\n    database: raw\n    tables:\n"
                         "      - name: HR/HR_edges.csv\n      - name: Music Info.csv\n"},
                        {"models/a.sql", "select * from read_csv({{ source('deezer_social_networks', 'HR/HR_edges.csv') }})"},
                        {"models/b.sql", "select '{{ env_var('RAW__DEEZER_SOCIAL_NETWORKS__MUSIC_INFO') }}'"}});
  std::string prefix = "s3://" + settings_.bucket + "/" + version_ + "/";
  EXPECT_EQ(Compile(*compiler, "a"), "select * from read_csv('" + prefix + "HR/HR_edges.csv')");
  EXPECT_EQ(Compile(*compiler, "b"), "select '" + prefix + "Music Info.csv'");
  // The source is the model's parent in the DAG.
  transform::Dag dag = compiler->BuildGraph();
  EXPECT_EQ(dag.Parents("model.demo.a").size(), 1u);
}

TEST_F(CompilerTest, ARawSourceNeverIngestedFailsOnlyWhenTheModelCompiles) {
  auto compiler = Load({{"models/sources.yml",
                         "version: 2\nsources:\n  - name: later\n    database: raw\n    tables:\n      - name: x.csv\n"},
                        {"models/a.sql", "select * from {{ source('later', 'x.csv') }}"}});
  std::string error = ErrorOf([&] { Compile(*compiler, "a"); });
  EXPECT_NE(error.find("raw dataset 'later' has no manifest"), std::string::npos) << error;
}

TEST_F(CompilerTest, CompatibilityNamesFollowTheOriginal) {
  EXPECT_EQ(transform::CompatibilityVariableName("raw", "deezer_social_networks", "HR/HR_edges.csv"),
            "RAW__DEEZER_SOCIAL_NETWORKS__HR__HR_EDGES");
  EXPECT_EQ(transform::CompatibilityVariableName("raw", "million_song_dataset_spotify_lastfm", "Music Info.csv"),
            "RAW__MILLION_SONG_DATASET_SPOTIFY_LASTFM__MUSIC_INFO");
}

TEST_F(CompilerTest, EphemeralModelsAreInlinedAsCtesInDependencyOrder) {
  auto compiler = Load({{"models/e1.sql", "{{ config(materialized='ephemeral') }}select 1 as x"},
                        {"models/e2.sql", "{{ config(materialized='ephemeral') }}select x + 1 as x from {{ ref('e1') }}"},
                        {"models/m.sql", "select * from {{ ref('e2') }} join {{ ref('e1') }} using (x)"}});
  EXPECT_EQ(Compile(*compiler, "m"),
            "with __dbt__cte__e1 as (\nselect 1 as x\n),\n__dbt__cte__e2 as (\nselect x + 1 as x from __dbt__cte__e1\n)\n"
            "select * from (\nselect * from __dbt__cte__e2 join __dbt__cte__e1 using (x)\n) as __dbt__model");
}

TEST_F(CompilerTest, IsIncrementalAndRunQueryAskTheHooksOnlyWhenExecuting) {
  auto compiler = Load({{"models/m.sql",
                         "{{ config(materialized='incremental') }}"
                         "{% set result = run_query('select 7 as n') %}"
                         "{% if execute %}{{ result.rows[0][0] }} {{ result.columns[0].values() }}{% endif %}"
                         "{% if is_incremental() %} incremental{% endif %}"}});
  transform::ExecutionHooks hooks;
  hooks.run_sql = [](const std::string& sql) {
    EXPECT_EQ(sql, "select 7 as n");
    QueryResult result;
    result.columns = {"n"};
    result.types = {"INTEGER"};
    result.rows = {{std::string("7")}};
    return result;
  };
  hooks.find_relation = [](const transform::Relation& relation) {
    transform::Relation found = relation;
    found.type = "table";
    return relation.identifier == "m" ? std::optional<transform::Relation>(found) : std::nullopt;
  };
  EXPECT_EQ(compiler->CompileModel(*compiler->FindModel("model.demo.m"), hooks), "7 [7] incremental");
}

TEST_F(CompilerTest, GenericTestsCompileWithTheirArguments) {
  auto compiler = Load({{"models/a.sql", "select 1 as id"},
                        {"models/b.sql", "select 1 as a_id"},
                        {"models/schema.yml",
                         "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: a_id\n        data_tests:\n"
                         "          - relationships:\n              to: ref('a')\n              field: id\n"}});
  const transform::DataTest& test = compiler->project().tests.at(0);
  transform::ExecutionHooks hooks;
  std::string sql = compiler->CompileTest(test, hooks);
  EXPECT_NE(sql.find("from \"stage\".\"main\".\"a\""), std::string::npos) << sql;
  EXPECT_NE(sql.find("select a_id as from_field"), std::string::npos) << sql;
  // The test reads both models.
  transform::Dag dag = compiler->BuildGraph();
  EXPECT_EQ(dag.Parents(test.unique_id).size(), 2u);
}

TEST_F(CompilerTest, AnUnknownGenericTestIsAnError) {
  std::string error = ErrorOf([&] {
    Load({{"models/a.sql", "select 1 as id"},
          {"models/schema.yml", "version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [bogus]\n"}});
  });
  EXPECT_NE(error.find("test 'bogus' is not defined"), std::string::npos) << error;
}

}  // namespace
}  // namespace dlctl::testing
