// A catalog file that is not a DuckLake catalog (emptied, overwritten) is an error naming the file
// and the way out, never silently replaced by a new catalog; it fails only the commands that use
// it. Only a missing file starts a new catalog, and processes starting one together agree on it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support/dlctl_project.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::Bucket;
using testing::CommandResult;
using testing::DlctlProject;

using testing::OneLine;

class DamagedCatalog : public ::testing::Test {
 protected:
  DamagedCatalog() : project_(Bucket::kLocal) {
    project_.Query("CREATE TABLE stage.main.t AS SELECT 1 AS x");
    project_.Query("CREATE TABLE graphs.main.g AS SELECT 2 AS y");
  }
  fs::path stage() const { return project_.local() / "stage.sqlite"; }

  // The command fails with one line that names the damaged file and `backup restore`.
  void ExpectDamageReported(const std::vector<std::string>& args, const std::string& why) {
    CommandResult r = project_.Run(args);
    EXPECT_EQ(r.exit_code, 1) << ::testing::PrintToString(args) << r.out;
    EXPECT_TRUE(OneLine(r.err)) << r.err;
    EXPECT_NE(r.err.find("catalog stage: " + stage().string() + " is not a DuckLake catalog (" + why + ")"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("dlctl backup restore"), std::string::npos) << r.err;
  }

  DlctlProject project_;
};

TEST_F(DamagedCatalog, AnEmptiedCatalogFileIsAnErrorAndIsNotReplaced) {
  fs::resize_file(stage(), 0);
  ExpectDamageReported({"query", "CREATE TABLE stage.main.u AS SELECT 3 AS z"}, "the file is empty");
  ExpectDamageReported({"query", "SELECT * FROM stage.main.t"}, "the file is empty");
  ExpectDamageReported({"lake", "snapshots", "stage"}, "the file is empty");
  EXPECT_EQ(fs::file_size(stage()), 0u) << "a new catalog was made in the emptied file";
}

TEST_F(DamagedCatalog, AnOverwrittenCatalogFailsOnlyTheCommandsThatUseIt) {
  testing::WriteFile(stage(), std::string(8192, '\x5a'));
  ExpectDamageReported({"query", "SELECT * FROM stage.main.t"}, "file is not a database");
  ExpectDamageReported({"lake", "verify", "stage"}, "file is not a database");

  EXPECT_EQ(project_.Query("SELECT y FROM graphs.main.g"), "y\n2\n");
  CommandResult verify = project_.Run({"lake", "verify", "graphs"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  CommandResult exported = project_.Run({"export", "dataset", "graphs", "main"});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  CommandResult written = project_.Run({"query", "INSERT INTO graphs.main.g VALUES (4)"});
  EXPECT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(project_.Query("SELECT count(*) AS n FROM graphs.main.g"), "n\n2\n");
}

TEST(NewCatalog, ProcessesStartingItTogetherAllCommitToTheSameOne) {
  DlctlProject project(Bucket::kLocal);
  constexpr int kWriters = 4;
  std::vector<CommandResult> results(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      results[w] = project.Run({"query", "CREATE TABLE stage.main.t" + std::to_string(w) + " AS SELECT 1 AS x"});
    });
  for (auto& writer : writers) writer.join();
  for (const CommandResult& r : results) EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(project.Query("SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = 'stage'"), "n\n4\n");
  for (const auto& entry : fs::directory_iterator(project.local()))
    EXPECT_EQ(entry.path().filename().string().find(".creating-"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace dlctl
