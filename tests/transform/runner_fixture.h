#pragma once
// A scratch dbt project next to a scratch lake (local default or S3) for runner tests: write
// files, run transform/seed/test through the runner, and read the lake back with the engine.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "lake/lakehouse.h"
#include "support/dlctl_project.h"
#include "support/test_env.h"
#include "transform/run/runner.h"

namespace dlctl::testing {

class RunnerTest : public ::testing::TestWithParam<Bucket> {
 protected:
  RunnerTest() : lake_(GetParam()), settings_(lake_.settings()) {}

  std::filesystem::path project_dir() const { return lake_.dir() / "project"; }

  void Write(const std::map<std::string, std::string>& files) {
    for (const auto& [path, text] : files) WriteFile(project_dir() / path, text);
  }

  transform::RunReport Run(transform::RunKind kind, std::vector<std::string> select = {}, bool full_refresh = false,
                           int threads = 1) {
    transform::RunOptions options;
    options.project_dir = project_dir();
    options.kind = kind;
    options.selection.select = std::move(select);
    options.full_refresh = full_refresh;
    options.threads = threads;
    return transform::RunProject(settings_, lake_.store(), options);
  }

  // The query's rows as "a,b" lines, read from the lake as it is now.
  std::vector<std::string> Rows(const std::string& sql) {
    Engine engine(lake_.store(), settings_);
    lake::Lakehouse lakehouse(settings_);
    lakehouse.Attach(engine);
    std::vector<std::string> lines;
    for (const auto& row : engine.Query(sql).rows) {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) line += (i ? "," : "") + row[i].value_or("NULL");
      lines.push_back(line);
    }
    return lines;
  }

  static const transform::NodeResult& Result(const transform::RunReport& report, const std::string& name) {
    for (const auto& result : report.results)
      if (result.name == name) return result;
    ADD_FAILURE() << "no result for " << name;
    static transform::NodeResult none;
    return none;
  }

  static constexpr const char* kProjectYml =
      "name: demo\nconfig-version: 2\nmodels:\n  demo:\n    +database: stage\n";

  DlctlProject lake_;
  Settings settings_;
};

}  // namespace dlctl::testing
