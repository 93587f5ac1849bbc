#pragma once
// A small lab for the docs tests: a raw dataset, a dbt project reading it (a stage model, a mart
// model of the graph mart, tests), run, exported, backed up and loaded as a graph with embeddings.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support/dlctl_project.h"
#include "support/test_env.h"

namespace dlctl::testing {

inline CommandResult MustRun(const DlctlProject& project, const std::vector<std::string>& args) {
  CommandResult result = project.Run(args);
  EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.out << result.err;
  return result;
}

inline void MakeSmallLab(const DlctlProject& project) {
  const std::filesystem::path dir = project.dir();
  WriteFile(dir / "data/notes/people.csv", "node_id,name\n1,ada\n2,grace\n3,edsger\n");
  WriteFile(dir / "p/dbt_project.yml",
            "name: p\nconfig-version: 2\nmodels:\n  p:\n    +materialized: table\n"
            "    marts:\n      +database: graphs\n      +schema: toy\n");
  WriteFile(dir / "p/macros/generate_schema_name.sql",
            "{% macro generate_schema_name(custom_schema_name, node) -%}"
            "{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}"
            "{%- endif -%}{%- endmacro %}");
  WriteFile(dir / "p/models/sources.yml",
            "version: 2\nsources:\n  - name: notes\n    database: raw\n    tables:\n      - name: people.csv\n");
  WriteFile(dir / "p/models/stage/people.sql", "select node_id, name\nfrom {{ source('notes', 'people.csv') }}\n");
  WriteFile(dir / "p/models/marts/nodes_people.sql",
            "select node_id::bigint as node_id, upper(name) as name\nfrom {{ ref('people') }}\n");
  WriteFile(dir / "p/models/marts/edges_knows.sql",
            "select a.node_id::bigint as source_id, b.node_id::bigint as target_id\n"
            "from {{ ref('people') }} a join {{ ref('people') }} b on a.node_id < b.node_id\n");
  WriteFile(dir / "p/models/schema.yml",
            "version: 2\nmodels:\n  - name: people\n    description: Everyone we know.\n    columns:\n"
            "      - name: node_id\n        description: Their id.\n        data_tests: [not_null, unique]\n"
            "      - name: name\n        description: What they are called.\n");
  MustRun(project, {"ingest", "dataset", "data/notes", "notes"});
  MustRun(project, {"transform", "--project-dir", "p"});
  MustRun(project, {"test", "--project-dir", "p"});
  MustRun(project, {"export", "dataset", "graphs", "toy"});
  MustRun(project, {"backup", "create"});
  MustRun(project, {"graph", "load", "toy"});
  MustRun(project, {"graph", "compute", "embeddings", "toy", "-d", "4"});
}

// The document of a generated site: lab.js is "window.DLCTL_LAB = {...};".
inline nlohmann::json ReadLab(const std::filesystem::path& site) {
  std::string script = ReadFile(site / "lab.js");
  const std::string prefix = "window.DLCTL_LAB = ";
  EXPECT_EQ(script.rfind(prefix, 0), 0u) << script.substr(0, 100);
  size_t end = script.rfind(';');
  return nlohmann::json::parse(script.substr(prefix.size(), end - prefix.size()));
}

inline const nlohmann::json* FindNode(const nlohmann::json& lab, const std::string& id) {
  for (const auto& node : lab["nodes"])
    if (node["id"] == id) return &node;
  return nullptr;
}

}  // namespace dlctl::testing
