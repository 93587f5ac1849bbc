// The dlctl binary as a user sees it: stdout, stderr and exit codes, on the embedded local
// bucket and on the test S3 server.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

#include "generated_init_sql.h"
#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using testing::CommandOptions;
using testing::CommandResult;
using testing::RunDlctl;

int CountLines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(Cli, VersionListsDlctlDuckDbKuzuAndTheDuckLakeSpec) {
  CommandResult r = RunDlctl({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_match(r.out, std::regex("dlctl \\d+\\.\\d+\\.\\d+\nDuckDB 1\\.4\\.4\nKùzu 0\\.11\\.3\n"
                                                 "DuckLake spec 1\\.0\n")))
      << r.out;
  // The DuckDB it names is the one it runs.
  testing::TempDir dir;
  CommandResult engine = RunDlctl({"query", "-f", "csv", "SELECT version() AS v"}, CommandOptions{dir.path()});
  EXPECT_EQ(engine.out, "v\nv1.4.4\n") << engine.err;
}

TEST(Cli, EveryCommandHasHelp) {
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{},
                                             {"ingest"},
                                             {"ingest", "dataset"},
                                             {"ingest", "ls"},
                                             {"ingest", "prune"},
                                             {"query"},
                                             {"lake"},
                                             {"lake", "snapshots"},
                                             {"lake", "tables"},
                                             {"lake", "files"},
                                             {"tools"},
                                             {"tools", "generate-init-sql"},
                                             {"tools", "gc"},
                                             {"transform"},
                                             {"test"},
                                             {"export"},
                                             {"export", "dataset"},
                                             {"export", "ls"},
                                             {"export", "prune"},
                                             {"backup"},
                                             {"backup", "create"},
                                             {"backup", "restore"},
                                             {"backup", "ls"},
                                             {"backup", "prune"},
                                             {"graph"},
                                             {"graph", "load"},
                                             {"graph", "query"},
                                             {"graph", "compute"},
                                             {"graph", "compute", "embeddings"},
                                             {"graph", "reindex"},
                                             {"graph", "similar"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    CommandResult r = RunDlctl(args);
    EXPECT_EQ(r.exit_code, 0) << ::testing::PrintToString(args) << r.err;
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << ::testing::PrintToString(args);
  }
}

TEST(Cli, RootHelpShowsTheOriginalsCommandTree) {
  CommandResult r = RunDlctl({"--help"});
  for (const char* command : {"ingest", "transform", "test", "export", "backup", "graph", "tools"})
    EXPECT_NE(r.out.find(std::string("  ") + command + " "), std::string::npos) << command;
}

TEST(Cli, UsageErrorsExitTwoWithOneLine) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {}, {"ingest"}, {"nope"}, {"ingest", "ls", "--bogus"}, {"ingest", "prune", "--keep", "0"}}) {
    CommandResult r = RunDlctl(args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args);
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(Cli, UnknownOrMissingCommandsListTheCommands) {
  CommandResult unknown = RunDlctl({"foo"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err.rfind("dlctl: unknown command 'foo' for 'dlctl'; the commands are: ingest, query, lake, ", 0), 0u)
      << unknown.err;
  EXPECT_NE(unknown.err.find(", graph"), std::string::npos) << unknown.err;
  CommandResult nested = RunDlctl({"lake", "snapshot"});
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_EQ(nested.err,
            "dlctl: unknown command 'snapshot' for 'dlctl lake'; the commands are: snapshots, tables, files, verify, "
            "expire, cleanup, flush\n");
  CommandResult missing = RunDlctl({"graph"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err.rfind("dlctl: 'dlctl graph' needs a command: load, query, compute, reindex, similar", 0), 0u)
      << missing.err;
  for (const CommandResult& r : {unknown, nested, missing}) {
    EXPECT_EQ(CountLines(r.err), 1) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(Cli, GraphLoadWithoutAMartSaysHowToBuildIt) {
  testing::TempDir dir;
  CommandResult r = RunDlctl({"graph", "load", "music_taste"}, CommandOptions{dir.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("dlctl transform"), std::string::npos) << r.err;
  EXPECT_EQ(CountLines(r.err), 1) << r.err;
}

TEST(Cli, InvalidSettingsNameTheVariableAndExitTwo) {
  testing::TempDir dir;
  CommandOptions o{dir.path(), {{"S3_USE_SSL", "perhaps"}, {"S3_ENDPOINT", "localhost:1"},
                                {"S3_ACCESS_KEY_ID", "id"}, {"S3_SECRET_ACCESS_KEY", "hunter2-very-secret"}}};
  CommandResult r = RunDlctl({"ingest", "ls"}, o);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dlctl: error: S3_USE_SSL must be true or false (got 'perhaps')\n");

  o.env = {{"S3_ENDPOINT", "localhost:1"}, {"S3_SECRET_ACCESS_KEY", "hunter2-very-secret"}};
  r = RunDlctl({"ingest", "ls"}, o);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dlctl: error: S3_ACCESS_KEY_ID is not set (needed to use S3)\n");
}

TEST(Cli, EnvFileComesFromFlagVariableOrCwdAndTheEnvironmentWins) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / ".env", "S3_INGEST_PREFIX=from_cwd_env\n");
  testing::WriteFile(dir.path() / "other.env", "S3_INGEST_PREFIX=from_flag\n");
  auto ingest_to = [&](const std::vector<std::string>& extra, std::map<std::string, std::string> env) {
    std::vector<std::string> args = extra;
    args.insert(args.end(), {"ingest", "dataset", "--manual", "x"});
    CommandResult r = RunDlctl(args, CommandOptions{dir.path(), env});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  EXPECT_NE(ingest_to({}, {}).find("/from_cwd_env/x/"), std::string::npos);
  EXPECT_NE(ingest_to({"--env-file", "other.env"}, {}).find("/from_flag/x/"), std::string::npos);
  EXPECT_NE(ingest_to({}, {{"DLCTL_ENV_FILE", (dir.path() / "other.env").string()}}).find("/from_flag/x/"),
            std::string::npos);
  EXPECT_NE(ingest_to({}, {{"S3_INGEST_PREFIX", "from_process"}}).find("/from_process/x/"), std::string::npos);

  CommandResult missing = RunDlctl({"--env-file", "missing.env", "ingest", "ls"}, CommandOptions{dir.path()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing.env"), std::string::npos);
}

TEST(Cli, GenerateInitSqlWritesAPrivateFileAndPrintsItsPath) {
  testing::TempDir dir;
  CommandOptions o{dir.path(), {{"S3_ENDPOINT", "127.0.0.1:9"}, {"S3_ACCESS_KEY_ID", "id"},
                                {"S3_SECRET_ACCESS_KEY", "o'reilly"}, {"S3_USE_SSL", "false"}}};
  auto [r, sql] = testing::GenerateInitSql(o);
  EXPECT_NE(sql.find("SECRET 'o''reilly'"), std::string::npos);
  EXPECT_NE(sql.find("(DATA_PATH 's3://lakehouse/stage/');\n"), std::string::npos);
  EXPECT_EQ(r.err.find("reilly"), std::string::npos);
}

// Ingest commands, the same on the local default and on S3.
class IngestCli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    options_.cwd = dir_.path();
    if (GetParam() == "s3") {
      S3Settings s3 = testing::TestS3Settings();
      bucket_ = testing::UniqueBucketName("cli");
      store_ = std::make_unique<S3Store>(s3, bucket_);
      static_cast<S3Store*>(store_.get())->CreateBucket();
      options_.env = {{"S3_ENDPOINT", "http://" + s3.endpoint}, {"S3_ACCESS_KEY_ID", s3.access_key_id},
                      {"S3_SECRET_ACCESS_KEY", s3.secret_access_key}, {"S3_BUCKET", bucket_},
                      {"S3_REGION", s3.region}};
    } else {
      bucket_ = "lakehouse";
      store_ = std::make_unique<LocalStore>(dir_.path() / "local" / "bucket" / "lakehouse");
    }
  }
  CommandResult Run(const std::vector<std::string>& args) { return RunDlctl(args, options_); }
  std::string UriPrefix() const {
    return GetParam() == "s3" ? "s3://" + bucket_ + "/" : (dir_.path() / "local/bucket/lakehouse").string() + "/";
  }
  // Makes a folder tree to ingest.
  fs::path MakeTree() {
    fs::path tree = dir_.path() / "input";
    testing::WriteFile(tree / "HR" / "HR_edges.csv", "node_1,node_2\n0,1\n");
    testing::WriteFile(tree / "RO" / "RO_edges.csv", "node_1,node_2\n2,3\n");
    testing::WriteFile(tree / "odd name + 50%.txt", "x");
    return tree;
  }

  testing::TempDir dir_;
  CommandOptions options_;
  std::string bucket_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_P(IngestCli, ManualCreatesAVersionAndPrintsItsUri) {
  CommandResult r = Run({"ingest", "dataset", "--manual", "Your Dataset Name"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::smatch m;
  std::regex shape(std::regex_replace(UriPrefix(), std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                   "raw/your_dataset_name/(\\d{4}_\\d\\d_\\d\\d/\\d\\d_\\d\\d_\\d\\d_\\d{3})\n");
  ASSERT_TRUE(std::regex_match(r.out, m, shape)) << r.out;
  auto manifest = nlohmann::json::parse(store_->Get("raw/your_dataset_name/manifest.json"));
  EXPECT_EQ(manifest["dataset"], "your_dataset_name");
  EXPECT_EQ(manifest["latest"], "s3://" + bucket_ + "/raw/your_dataset_name/" + m[1].str());
  EXPECT_TRUE(store_->Head("raw/your_dataset_name/" + m[1].str() + "/.keep"));
}

TEST_P(IngestCli, LocalFolderIsUploadedWithItsTreeAndManifestLast) {
  fs::path tree = MakeTree();
  CommandResult r = Run({"ingest", "dataset", tree.string(), "My Data"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "no progress bar when stderr is not a terminal";
  std::string version_key = r.out.substr(UriPrefix().size(), r.out.size() - UriPrefix().size() - 1);
  EXPECT_EQ(version_key.rfind("raw/my_data/", 0), 0u) << version_key;
  EXPECT_EQ(store_->Get(version_key + "/HR/HR_edges.csv"), "node_1,node_2\n0,1\n");
  EXPECT_EQ(store_->Get(version_key + "/RO/RO_edges.csv"), "node_1,node_2\n2,3\n");
  EXPECT_EQ(store_->Get(version_key + "/odd name + 50%.txt"), "x");
  auto manifest = nlohmann::json::parse(store_->Get("raw/my_data/manifest.json"));
  EXPECT_EQ(manifest["latest"], "s3://" + bucket_ + "/" + version_key) << "an s3:// URI on every store";
}

TEST_P(IngestCli, ProgressBarOnlyOnATerminal) {
  fs::path tree = MakeTree();
  CommandOptions tty = options_;
  tty.stderr_is_terminal = true;
  CommandResult r = RunDlctl({"ingest", "dataset", tree.string(), "with_progress"}, tty);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("uploading with_progress 100% ["), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("100%"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("uploading"), std::string::npos) << "stdout holds only the URI";
}

TEST_P(IngestCli, SingleFileAndDefaultName) {
  fs::path file = dir_.path() / "Songs List.csv";
  testing::WriteFile(file, "a\n1\n");
  CommandResult r = Run({"ingest", "dataset", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("raw/songs_list/"), std::string::npos) << r.out;
}

TEST_P(IngestCli, BadInputFailsWithoutWritingAnything) {
  CommandResult missing = Run({"ingest", "dataset", (dir_.path() / "nope").string(), "x"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no such file or folder"), std::string::npos);
  fs::create_directories(dir_.path() / "empty");
  CommandResult empty = Run({"ingest", "dataset", (dir_.path() / "empty").string(), "x"});
  EXPECT_EQ(empty.exit_code, 1);
  CommandResult url = Run({"ingest", "dataset", "https://example.com/datasets/a/b"});
  EXPECT_EQ(url.exit_code, 2);
  CommandResult manual_with_two = Run({"ingest", "dataset", "--manual", "a", "b"});
  EXPECT_EQ(manual_with_two.exit_code, 2);
  CommandResult nameless = Run({"ingest", "dataset", "--manual", "?!"});
  EXPECT_EQ(nameless.exit_code, 2);
  EXPECT_TRUE(store_->List("raw/").empty());
}

TEST_P(IngestCli, LsShowsLatestFilesAndJson) {
  fs::path tree = MakeTree();
  ASSERT_EQ(Run({"ingest", "dataset", tree.string(), "deezer"}).exit_code, 0);
  testing::WriteFile(tree / "HR" / "HR_target.csv", "id\n");
  CommandResult second = Run({"ingest", "dataset", tree.string(), "deezer"});
  ASSERT_EQ(second.exit_code, 0);
  std::string latest = second.out.substr(UriPrefix().size(), second.out.size() - UriPrefix().size() - 1);
  ASSERT_EQ(Run({"ingest", "dataset", "--manual", "deezer_extra"}).exit_code, 0);

  // A row per file of each latest version; an empty version is a row without a file.
  CommandResult ls = Run({"ingest", "ls", "--format", "csv"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  std::string version = latest.substr(std::string("raw/deezer/").size());
  std::string expected_deezer = "dataset,version,latest,complete,file,bytes,uri\n";
  for (const auto& [file, bytes] : std::vector<std::pair<std::string, int>>{
           {"HR/HR_edges.csv", 18}, {"HR/HR_target.csv", 3}, {"RO/RO_edges.csv", 18}, {"odd name + 50%.txt", 1}})
    expected_deezer += "deezer," + version + ",true,true," + file + "," + std::to_string(bytes) + "," + UriPrefix() +
                       latest + "/" + file + "\n";
  EXPECT_EQ(ls.out.substr(0, expected_deezer.size()), expected_deezer) << ls.out;
  EXPECT_NE(ls.out.find("\ndeezer_extra,"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find(",true,true,,," + UriPrefix() + "raw/deezer_extra/"), std::string::npos) << ls.out;
  CommandResult table = Run({"ingest", "ls"});
  EXPECT_NE(table.out.find("│ deezer       │ " + version + " │ true    │ true     │ HR/HR_edges.csv"), std::string::npos)
      << table.out;

  CommandResult all = Run({"ingest", "ls", "-a", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  auto json = nlohmann::json::parse(all.out);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0]["dataset"], "deezer");
  ASSERT_EQ(json[0]["versions"].size(), 2u);
  EXPECT_EQ(json[0]["versions"][0]["files"].size(), 3u);
  EXPECT_EQ(json[0]["versions"][1]["files"].size(), 4u);
  EXPECT_EQ(json[0]["versions"][1]["latest"], true);
  EXPECT_EQ(json[0]["versions"][0]["complete"], true);
  EXPECT_EQ(json[1]["dataset"], "deezer_extra");
}

TEST_P(IngestCli, PruneRemovesEmptyVersionsAndKeepsTheNewest) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Run({"ingest", "dataset", "--manual", "hand"}).exit_code, 0);
  fs::path tree = MakeTree();
  ASSERT_EQ(Run({"ingest", "dataset", tree.string(), "hand"}).exit_code, 0);
  ASSERT_EQ(Run({"ingest", "dataset", tree.string(), "hand_more"}).exit_code, 0);

  CommandResult dry = Run({"ingest", "prune", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(CountLines(dry.out), 3) << dry.out;
  EXPECT_EQ(dry.out.rfind("would remove " + UriPrefix() + "raw/hand/", 0), 0u) << dry.out;
  EXPECT_NE(dry.out.find(" (empty, 0 B)\n"), std::string::npos) << dry.out;
  // Each version: its files and its .complete mark.
  EXPECT_EQ(store_->List("raw/hand/").size(), 3u * 2u + 3u + 1u + 1u);

  CommandResult prune = Run({"ingest", "prune"});
  ASSERT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_EQ(CountLines(prune.out), 3);
  EXPECT_EQ(store_->List("raw/hand/").size(), 3u + 1u + 1u) << "the data version and the manifest stay";
  EXPECT_EQ(store_->List("raw/hand_more/").size(), 3u + 1u + 1u);

  ASSERT_EQ(Run({"ingest", "dataset", tree.string(), "hand"}).exit_code, 0);
  CommandResult keep = Run({"ingest", "prune", "--keep", "1"});
  ASSERT_EQ(keep.exit_code, 0) << keep.err;
  EXPECT_EQ(CountLines(keep.out), 1) << keep.out;
  EXPECT_EQ(store_->List("raw/hand/").size(), 3u + 1u + 1u);
}

TEST_P(IngestCli, QueryReadsIngestedFilesThroughS3UrisInEveryFormat) {
  fs::path tree = MakeTree();
  CommandResult ingest = Run({"ingest", "dataset", tree.string(), "deezer"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  std::string key = ingest.out.substr(UriPrefix().size(), ingest.out.size() - UriPrefix().size() - 1);
  std::string sql = "SELECT node_1, node_2 FROM read_csv('s3://" + bucket_ + "/" + key + "/*/*.csv') ORDER BY ALL";

  CommandResult csv = Run({"query", "--format", "csv", sql});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, "node_1,node_2\n0,1\n2,3\n");

  CommandResult json = Run({"query", "-f", "json", sql});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out), nlohmann::json::parse(R"([{"node_1":0,"node_2":1},{"node_1":2,"node_2":3}])"));

  CommandResult table = Run({"query", sql});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("node_1"), std::string::npos);
  EXPECT_NE(table.out.find("int64"), std::string::npos);
}

// DuckDB's context stays: the LINE of SQL and the caret under the error, indented, once.
TEST_P(IngestCli, QueryErrorsKeepDuckDbsContext) {
  CommandResult bad_sql = Run({"query", "SELEC 1"});
  EXPECT_EQ(bad_sql.exit_code, 1);
  EXPECT_EQ(bad_sql.err,
            "dlctl: error: Parser Error: syntax error at or near \"SELEC\"\n"
            "  LINE 1: SELEC 1\n"
            "          ^\n");
  CommandResult missing = Run({"query", "SELECT * FROM read_parquet('s3://" + bucket_ + "/nothing/here.parquet')"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err.rfind("dlctl: error: IO Error: no such object: s3://" + bucket_ + "/nothing/here.parquet\n", 0), 0u)
      << missing.err;
  EXPECT_NE(missing.err.find("\n  LINE 1: SELECT * FROM read_parquet("), std::string::npos) << missing.err;
  EXPECT_EQ(CountLines(missing.err), 3) << missing.err;
  CommandResult format = Run({"query", "--format", "xml", "SELECT 1"});
  EXPECT_EQ(format.exit_code, 2);
}

INSTANTIATE_TEST_SUITE_P(Stores, IngestCli, ::testing::Values("local", "s3"),
                         [](const auto& info) { return info.param; });

// The issue's acceptance check: awscli sees what dlctl ingested into the S3 server.
TEST(IngestS3, AwsCliSeesTheVersionAndManifest) {
  S3Settings s3 = testing::TestS3Settings();
  std::string bucket = testing::UniqueBucketName("awscheck");
  S3Store(s3, bucket).CreateBucket();
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "dir" / "a.csv", "a\n1\n");
  testing::WriteFile(dir.path() / "dir" / "sub" / "b.json", "{}");
  std::map<std::string, std::string> env = {{"S3_ENDPOINT", s3.endpoint}, {"S3_USE_SSL", "false"},
                                            {"S3_ACCESS_KEY_ID", s3.access_key_id},
                                            {"S3_SECRET_ACCESS_KEY", s3.secret_access_key}, {"S3_BUCKET", bucket}};
  CommandResult r = RunDlctl({"ingest", "dataset", "./dir", "My Data"}, CommandOptions{dir.path(), env});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string version = r.out.substr(0, r.out.size() - 1);

  std::map<std::string, std::string> aws_env = {{"AWS_ACCESS_KEY_ID", s3.access_key_id},
                                                {"AWS_SECRET_ACCESS_KEY", s3.secret_access_key},
                                                {"AWS_DEFAULT_REGION", "us-east-1"}};
  for (const char* name : {"PYENV_ROOT", "PYENV_VERSION"})
    if (const char* v = std::getenv(name)) aws_env[name] = v;
  CommandResult ls = testing::RunCommand({"aws", "--endpoint-url", "http://" + s3.endpoint, "s3", "ls", "--recursive",
                                          "s3://" + bucket + "/"},
                                         CommandOptions{{}, aws_env});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  std::string key_prefix = version.substr(("s3://" + bucket + "/").size());
  EXPECT_TRUE(std::regex_match(key_prefix, std::regex(R"(raw/my_data/\d{4}_\d\d_\d\d/\d\d_\d\d_\d\d_\d{3})")))
      << key_prefix;
  EXPECT_NE(ls.out.find(key_prefix + "/a.csv"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find(key_prefix + "/sub/b.json"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("raw/my_data/manifest.json"), std::string::npos) << ls.out;

  CommandResult cat = testing::RunCommand({"aws", "--endpoint-url", "http://" + s3.endpoint, "s3", "cp",
                                           "s3://" + bucket + "/raw/my_data/manifest.json", "-"},
                                          CommandOptions{{}, aws_env});
  ASSERT_EQ(cat.exit_code, 0) << cat.err;
  EXPECT_EQ(nlohmann::json::parse(cat.out)["latest"], version);
  EXPECT_NE(ls.out.find(key_prefix + ".complete"), std::string::npos) << ls.out;
}

TEST(IngestS3, WrongSecretFailsWithoutPrintingIt) {
  S3Settings s3 = testing::TestS3Settings();
  std::string bucket = testing::UniqueBucketName("wrongsecret");
  S3Store(s3, bucket).CreateBucket();
  testing::TempDir dir;
  std::map<std::string, std::string> env = {{"S3_ENDPOINT", s3.endpoint}, {"S3_USE_SSL", "false"},
                                            {"S3_ACCESS_KEY_ID", s3.access_key_id},
                                            {"S3_SECRET_ACCESS_KEY", "not-the-secret-4711"}, {"S3_BUCKET", bucket}};
  CommandResult r = RunDlctl({"ingest", "dataset", "--manual", "x"}, CommandOptions{dir.path(), env});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(CountLines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(bucket), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not-the-secret-4711"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace dlctl
