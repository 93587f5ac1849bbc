// dbt's artifacts as dlctl writes them, read back as artifact tools read them: manifest.json and
// run_results.json checked against JSON schemas of the fields those tools use
// (tests/cli/data/*.schema.json, by Debian's python3-jsonschema), then a few fields by value.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "support/dlctl_project.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

// Validates `document` against `schema` (both files); returns the problems, "" when none.
std::string SchemaProblems(const fs::path& schema, const fs::path& document) {
  const char* script =
      "import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1])); document = json.load(open(sys.argv[2]))\n"
      "errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))\n"
      "for e in errors[:10]: print(list(e.path), e.message[:300])\n"
      "sys.exit(1 if errors else 0)\n";
  CommandResult result = RunCommand({"/usr/bin/python3", "-c", script, schema.string(), document.string()});
  if (result.exit_code == 0) return "";
  return result.out + result.err + " (exit " + std::to_string(result.exit_code) + ")";
}

TEST(DbtArtifacts, ManifestAndRunResultsHaveTheFieldsArtifactToolsRead) {
  DlctlProject project(Bucket::kLocal);
  fs::path dir = project.dir() / "p";
  WriteFile(dir / "dbt_project.yml", "name: p\nconfig-version: 2\nmodels:\n  p:\n    +materialized: table\n");
  WriteFile(dir / "dbt_packages/lib/dbt_project.yml", "name: lib\n");
  WriteFile(dir / "dbt_packages/lib/macros/twice.sql", "{% macro twice(x) %}{{ x }} * 2{% endmacro %}");
  WriteFile(dir / "seeds/people.csv", "id,name\n1,Ada\n2,Bob\n");
  WriteFile(dir / "models/named.sql", "select id, {{ lib.twice('id') }} as doubled from {{ ref('people') }}");
  WriteFile(dir / "models/schema.yml",
            "version: 2\nmodels:\n  - name: named\n    description: people with ids\n    columns:\n"
            "      - name: id\n        data_tests: [unique, not_null]\n"
            "exposures:\n  - name: dashboard\n    type: dashboard\n    owner: {email: a@b.c}\n"
            "    depends_on: [ref('named')]\n"
            "metrics:\n  - name: people_count\n    label: People\n    type: simple\n"
            "    type_params: {measure: people}\n"
            "semantic_models:\n  - name: people_sm\n    model: ref('named')\n");
  CommandResult build = project.Run({"build", "--project-dir", "p"});
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;

  fs::path schemas = fs::path(RequiredEnv("DLCTL_SOURCE_DIR")) / "tests/cli/data";
  EXPECT_EQ(SchemaProblems(schemas / "manifest_fields.schema.json", dir / "target/manifest.json"), "");
  EXPECT_EQ(SchemaProblems(schemas / "run_results_fields.schema.json", dir / "target/run_results.json"), "");

  nlohmann::json manifest = nlohmann::json::parse(ReadFile(dir / "target/manifest.json"));
  const auto& model = manifest["nodes"]["model.p.named"];
  EXPECT_EQ(model["relation_name"], "\"stage\".\"main\".\"named\"");
  EXPECT_EQ(model["depends_on"]["nodes"], nlohmann::json::array({"seed.p.people"}));
  EXPECT_EQ(model["description"], "people with ids");
  EXPECT_EQ(manifest["child_map"]["model.p.named"].size(), 2u);  // its two tests
  EXPECT_EQ(manifest["nodes"]["test.p.unique_named_id"]["test_metadata"]["name"], "unique");
  EXPECT_TRUE(manifest["macros"].contains("macro.lib.twice"));
  EXPECT_TRUE(manifest["macros"].contains("macro.dbt.generate_schema_name"));
  EXPECT_TRUE(manifest["exposures"].contains("exposure.p.dashboard"));
  EXPECT_TRUE(manifest["metrics"].contains("metric.p.people_count"));
  EXPECT_TRUE(manifest["semantic_models"].contains("semantic_model.p.people_sm"));

  nlohmann::json results = nlohmann::json::parse(ReadFile(dir / "target/run_results.json"));
  ASSERT_EQ(results["results"].size(), 4u);
  for (const auto& result : results["results"]) {
    EXPECT_TRUE(result["status"] == "success" || result["status"] == "pass") << result.dump();
    EXPECT_EQ(result["timing"].size(), 2u);
  }
  EXPECT_EQ(results["metadata"]["invocation_id"], manifest["metadata"]["invocation_id"]);
}

}  // namespace
}  // namespace dlctl::testing
