// Start-up: the commands that need no engine never load DuckDB. The engine module libdlctl_engine.so
// (and with it libduckdb.so) is loaded on the first command that needs it; the dynamic loader's
// own log (LD_DEBUG=files, on stderr) names every library a run loaded.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::CommandOptions;
using testing::CommandResult;
using testing::RunCommand;
using testing::RunDlctl;

// Whether the loader's log names `library` as a file it loaded ("file=libduckdb.so [0]; needed by
// ...", "file=/.../libdlctl_engine.so [0]; dynamically loaded by ...").
bool Loaded(const CommandResult& run, const std::string& library) {
  std::stringstream log(run.err);
  for (std::string line; std::getline(log, line);) {
    size_t file = line.find("file=");
    if (file != std::string::npos && line.find(library, file) != std::string::npos) return true;
  }
  return false;
}

class StartupCli : public ::testing::Test {
 protected:
  // `args` run in the lab with the loader's log on stderr.
  CommandResult Logged(const std::vector<std::string>& args) {
    return RunDlctl(args, CommandOptions{dir_.path(), {{"LD_DEBUG", "files"}}});
  }
  testing::TempDir dir_;
};

TEST_F(StartupCli, CommandsWithoutTheEngineDoNotLoadDuckDB) {
  // A query loads the module and DuckDB: the log shows it (so the checks below can fail).
  CommandResult query = Logged({"query", "CREATE TABLE stage.main.t AS SELECT 1 AS x"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_TRUE(Loaded(query, "libduckdb.so")) << query.err;
  EXPECT_TRUE(Loaded(query, "libdlctl_engine.so")) << query.err;

  testing::WriteFile(dir_.path() / "notes.csv", "a\n1\n");
  ASSERT_EQ(RunDlctl({"ingest", "dataset", "notes.csv"}, CommandOptions{dir_.path()}).exit_code, 0);

  const std::vector<std::vector<std::string>> engine_free = {
      {"--version"}, {"--help"},    {"ingest", "ls"},     {"export", "ls"},
      {"backup", "ls"}, {"lake", "snapshots", "stage"}, {"lake", "tables", "stage"}, {"tools", "gc", "--dry-run"}};
  for (const auto& args : engine_free) {
    CommandResult run = Logged(args);
    std::string command = args[0] + (args.size() > 1 ? " " + args[1] : "");
    EXPECT_EQ(run.exit_code, 0) << command << ": " << run.err;
    EXPECT_FALSE(Loaded(run, "libduckdb.so")) << command;
    EXPECT_FALSE(Loaded(run, "libdlctl_engine.so")) << command;
  }
  // ... and did their work.
  EXPECT_NE(Logged({"ingest", "ls"}).out.find("notes.csv"), std::string::npos);
  EXPECT_NE(Logged({"lake", "tables", "stage"}).out.find("main"), std::string::npos);
}

TEST_F(StartupCli, WithoutTheEngineModuleOnlyItsCommandsFailWithOneLine) {
  fs::path alone = dir_.path() / "alone";
  fs::create_directories(alone);
  fs::copy_file(testing::RequiredEnv("DLCTL_BINARY"), alone / "dlctl");
  std::string dlctl = (alone / "dlctl").string();
  CommandOptions here{dir_.path()};

  EXPECT_EQ(RunCommand({dlctl, "--help"}, here).exit_code, 0);
  CommandResult ls = RunCommand({dlctl, "ingest", "ls"}, here);
  EXPECT_EQ(ls.exit_code, 0) << ls.err;

  CommandResult query = RunCommand({dlctl, "query", "SELECT 1"}, here);
  EXPECT_EQ(query.exit_code, 1);
  EXPECT_EQ(query.err.rfind("dlctl: error: cannot load dlctl's engine module", 0), 0u) << query.err;
  EXPECT_NE(query.err.find("libdlctl_engine.so"), std::string::npos) << query.err;
  EXPECT_EQ(std::count(query.err.begin(), query.err.end(), '\n'), 1) << query.err;
}

}  // namespace
}  // namespace dlctl
