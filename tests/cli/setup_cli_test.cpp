// Setting dlctl up: shell completion and the man page generated from the command tree, the
// bucket created by dlctl itself, and `make install` into a prefix that runs on its own.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "storage/s3_store.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::CommandOptions;
using testing::CommandResult;
using testing::RunCommand;
using testing::RunDlctl;

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::stringstream stream(text);
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

bool Has(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

class SetupCli : public ::testing::Test {
 protected:
  fs::path Generated(const std::vector<std::string>& args, const std::string& name) {
    CommandResult r = RunDlctl(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    testing::WriteFile(dir_.path() / name, r.out);
    return dir_.path() / name;
  }
  testing::TempDir dir_;
};

TEST_F(SetupCli, BashCompletesCommandsAndOptionsFromTheTree) {
  fs::path script = Generated({"tools", "completion", "bash"}, "dlctl.bash");
  auto complete = [&](const std::string& words, int current) {
    CommandResult r = RunCommand({"bash", "-c", "source '" + script.string() + "'; COMP_WORDS=(" + words +
                                                    "); COMP_CWORD=" + std::to_string(current) +
                                                    "; _dlctl; printf '%s\\n' \"${COMPREPLY[@]}\""});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Words(r.out);
  };
  std::vector<std::string> top = complete("dlctl ''", 1);
  for (const char* command : {"ingest", "query", "lake", "export", "backup", "tools", "transform", "graph", "docs",
                              "--version", "--env-file"})
    EXPECT_TRUE(Has(top, command)) << command;
  EXPECT_EQ(complete("dlctl ingest ''", 2), (std::vector<std::string>{"dataset", "ls", "prune", "-h", "--help"}));
  EXPECT_EQ(complete("dlctl --env-file x.env lake s", 4), (std::vector<std::string>{"snapshots"}));
  std::vector<std::string> query = complete("dlctl query 'SELECT 1' --", 3);
  for (const char* option : {"--format", "--json", "--max-rows", "--max-width", "--snapshot"})
    EXPECT_TRUE(Has(query, option)) << option;
  EXPECT_EQ(complete("dlctl graph compute embeddings music_taste --se", 5), (std::vector<std::string>{"--seed"}));
}

TEST_F(SetupCli, ZshCompletesFromTheSameTree) {
  fs::path script = Generated({"tools", "completion", "zsh"}, "_dlctl");
  // compsys's _describe stands in as a function printing the candidates it is given.
  auto complete = [&](const std::string& words, int current) {
    CommandResult r = RunCommand(
        {"zsh", "-f", "-c",
         "_describe() { local name=${@[-1]}; print -rl -- \"${(@P)name}\"; }; _files() { print FILES; };"
         "source '" + script.string() + "' > /dev/null; words=(" + words + "); CURRENT=" + std::to_string(current) +
             "; _dlctl"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  std::string lake = complete("dlctl lake ''", 3);
  EXPECT_NE(lake.find("snapshots:Every snapshot of a catalog with what it changed\n"), std::string::npos) << lake;
  EXPECT_NE(lake.find("verify:"), std::string::npos) << lake;
  EXPECT_EQ(lake.find("dataset:"), std::string::npos) << lake;
  std::string docs = complete("dlctl docs serve ''", 4);
  EXPECT_NE(docs.find("--port:TCP port (0\\: any free one)"), std::string::npos) << docs;
}

TEST_F(SetupCli, TheManPageHasEveryCommandAndRendersCleanly) {
  fs::path page = Generated({"tools", "man-page"}, "dlctl.1");
  CommandResult rendered = RunCommand({"groff", "-man", "-Tascii", "-ww", page.string()});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_EQ(rendered.err, "");
  std::string text = std::regex_replace(rendered.out, std::regex(".\b"), "");  // no overstriking
  for (const char* heading : {"dlctl ingest dataset DATASET NAME", "dlctl query SQL", "dlctl lake snapshots CATALOG",
                              "dlctl graph compute embeddings SCHEMA", "dlctl docs serve", "dlctl tools create-bucket"})
    EXPECT_NE(text.find(heading), std::string::npos) << heading;
  for (const char* option : {"--max-rows MAX_ROWS", "--format FORMAT", "--env-file ENV_FILE", "--dry-run"})
    EXPECT_NE(text.find(option), std::string::npos) << option;
  CommandResult help = RunDlctl({"query", "--help"});
  EXPECT_NE(text.find("table: rows shown, the first and the last half (0: all)"), std::string::npos);
  EXPECT_NE(help.out.find("table: rows shown, the first and the last half (0: all)"), std::string::npos);
}

TEST_F(SetupCli, CreateBucketMakesAMissingBucketAndSaysSoInTheError) {
  S3Settings s3 = testing::TestS3Settings();
  CommandOptions o{dir_.path(), {{"S3_ENDPOINT", "http://" + s3.endpoint}, {"S3_ACCESS_KEY_ID", s3.access_key_id},
                                 {"S3_SECRET_ACCESS_KEY", s3.secret_access_key},
                                 {"S3_BUCKET", testing::UniqueBucketName("created")}}};
  CommandResult missing = RunDlctl({"ingest", "ls"}, o);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("NoSuchBucket"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("create the bucket: dlctl tools create-bucket"), std::string::npos) << missing.err;
  for (int i = 0; i < 2; ++i) {  // a second time finds it there
    CommandResult created = RunDlctl({"tools", "create-bucket"}, o);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    EXPECT_EQ(created.out, "s3://" + o.env["S3_BUCKET"] + "/\n");
  }
  EXPECT_EQ(RunDlctl({"ingest", "dataset", "--manual", "notes"}, o).exit_code, 0);
  EXPECT_EQ(RunDlctl({"ingest", "ls"}, o).exit_code, 0);

  CommandResult local = RunDlctl({"tools", "create-bucket"}, CommandOptions{dir_.path()});
  EXPECT_EQ(local.exit_code, 0) << local.err;
  EXPECT_TRUE(fs::is_directory(dir_.path() / "local/bucket/lakehouse")) << local.out;
}

TEST_F(SetupCli, MakeInstallGivesAPrefixThatRunsOnItsOwn) {
  fs::path prefix = dir_.path() / "prefix";
  CommandResult install = RunCommand({testing::RequiredEnv("DLCTL_CMAKE_COMMAND"), "--install",
                                      testing::RequiredEnv("DLCTL_BUILD_DIR"), "--prefix", prefix.string()});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  for (const char* file : {"bin/dlctl", "lib/dlctl/libdlctl_engine.so", "lib/dlctl/libduckdb.so",
                           "lib/dlctl/libdlctl_kuzu.so", "lib/dlctl/kuzujs.node",
                           "share/bash-completion/completions/dlctl", "share/zsh/site-functions/_dlctl",
                           "share/man/man1/dlctl.1"})
    EXPECT_TRUE(fs::exists(prefix / file)) << file;
  std::string dlctl = (prefix / "bin/dlctl").string();
  // dlctl itself does not link DuckDB; the engine module does, from the prefix, not from the build.
  EXPECT_EQ(RunCommand({"ldd", dlctl}).out.find("libduckdb"), std::string::npos);
  CommandResult ldd = RunCommand({"ldd", (prefix / "lib/dlctl/libdlctl_engine.so").string()});
  std::smatch duckdb;
  ASSERT_TRUE(std::regex_search(ldd.out, duckdb, std::regex("libduckdb.so => (\\S+)"))) << ldd.out;
  EXPECT_EQ(fs::canonical(duckdb[1].str()), fs::canonical(prefix / "lib/dlctl/libduckdb.so"));

  fs::path work = dir_.path() / "work";
  fs::create_directories(work);
  CommandOptions here{work};
  EXPECT_EQ(RunCommand({dlctl, "--version"}, here).exit_code, 0);
  // The engine module, from lib/dlctl.
  CommandResult made = RunCommand({dlctl, "query", "CREATE SCHEMA graphs.toy; CREATE TABLE graphs.toy.nodes_people AS "
                                                   "SELECT range::BIGINT AS node_id FROM range(3)"},
                                  here);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  CommandResult load = RunCommand({dlctl, "graph", "load", "toy"}, here);  // the Kùzu module, from lib/dlctl
  ASSERT_EQ(load.exit_code, 0) << load.err;
  CommandResult count = RunCommand({dlctl, "graph", "query", "toy", "MATCH (p:People) RETURN count(p) AS n", "-f", "csv"}, here);
  EXPECT_EQ(count.out, "n\n3\n") << count.err;
  CommandResult man = RunCommand({"man", "-l", (prefix / "share/man/man1/dlctl.1").string()},
                                 CommandOptions{{}, {{"MANPAGER", "cat"}, {"MANWIDTH", "100"}}});
  EXPECT_NE(man.out.find("docs"), std::string::npos) << man.err;
}

}  // namespace
}  // namespace dlctl
