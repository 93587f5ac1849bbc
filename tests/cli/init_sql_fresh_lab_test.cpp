// init.sql on a lab where some catalogs don't exist yet: every SQLite catalog it attaches either
// exists or has its folder in place, so DuckDB's ATTACH can create it (and does not stop with
// "unable to open database file").
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "generated_init_sql.h"
#include "support/dlctl_project.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> AttachedSqliteFiles(const std::string& sql) {
  std::vector<fs::path> files;
  static const std::regex attach("ATTACH IF NOT EXISTS 'ducklake:sqlite:([^']+)'");
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), attach); it != std::sregex_iterator(); ++it)
    files.emplace_back((*it)[1].str());
  return files;
}

TEST(InitSqlOnAFreshLab, EveryCatalogFileExistsOrHasItsFolderBeforeTheFirstTransform) {
  DlctlProject project(Bucket::kLocal);
  ASSERT_FALSE(fs::exists(project.local() / "marts"));
  auto [command, sql] = GenerateInitSql({project.dir(), project.env()});
  std::vector<fs::path> files = AttachedSqliteFiles(sql);
  ASSERT_GE(files.size(), 2u) << sql;  // stage and the graphs mart
  for (const fs::path& file : files) {
    EXPECT_FALSE(fs::exists(file)) << file;  // nothing has written a catalog yet
    EXPECT_TRUE(fs::is_directory(file.parent_path())) << file;
  }
}

// A transform writes stage only: the graphs mart is still to be created.
TEST(InitSqlOnAFreshLab, TheSameAfterATransformThatWroteOneCatalog) {
  DlctlProject project(Bucket::kLocal);
  WriteFile(project.dir() / "p" / "dbt_project.yml", "name: p\nconfig-version: 2\n");
  WriteFile(project.dir() / "p" / "models" / "one.sql", "select 1 as x\n");
  CommandResult transform = project.Run({"transform", "--project-dir", "p"});
  ASSERT_EQ(transform.exit_code, 0) << transform.out << transform.err;
  auto [command, sql] = GenerateInitSql({project.dir(), project.env()});
  std::vector<fs::path> files = AttachedSqliteFiles(sql);
  ASSERT_GE(files.size(), 2u) << sql;
  for (const fs::path& file : files) {
    if (file.filename() == "stage.sqlite") EXPECT_TRUE(fs::is_regular_file(file)) << file;
    EXPECT_TRUE(fs::is_directory(file.parent_path())) << file;
  }
}

}  // namespace
}  // namespace dlctl::testing
