// dlctl on S3 with our fault proxy (tests/support/fault_proxy.h) between it and radosgw: whole
// commands complete when one request in ten meets a fault (multipart transfers included), and
// when the server goes away mid-run the command fails within its retry budget, with one line,
// and publishes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <regex>

#include "support/dlctl_project.h"
#include "support/fault_proxy.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

int CountLines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

int ServerPort() {
  std::string endpoint = TestS3Settings().endpoint;
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

class S3Faults : public ::testing::Test {
 protected:
  S3Faults() : project_(Bucket::kS3) { NewProxy(); }

  void NewProxy(FaultMix mix = {}) { proxy_ = std::make_unique<FaultProxy>(ServerPort(), mix); }

  // dlctl through the proxy.
  CommandResult Run(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    env["S3_ENDPOINT"] = "http://" + proxy_->endpoint();
    return project_.Run(args, env);
  }
  CommandResult Must(const std::vector<std::string>& args) {
    CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << ::testing::PrintToString(args) << "\n" << result.err;
    return result;
  }

  // A folder to ingest: a CSV of `rows` rows (40 MB for 2 million: uploaded in parts, since
  // objects from 32 MiB on are) and 61 small files.
  fs::path MakeInput(int rows) {
    fs::path input = project_.dir() / "input";
    fs::create_directories(input);
    std::ofstream big(input / "big.csv");
    big << "id,name\n";
    for (int i = 0; i < rows; ++i) big << i << ",name number " << i << "\n";
    WriteFile(input / "small" / "a.csv", "id\n1\n");
    for (int i = 0; i < 60; ++i) WriteFile(input / "small" / (std::to_string(i) + ".txt"), std::to_string(i));
    return input;
  }

  std::string KeyOf(const std::string& uri) { return project_.store()->KeyOf(uri.substr(0, uri.find('\n'))).value(); }

  int Faults() {
    return proxy_->Faults(FaultProxy::Action::kDrop) + proxy_->Faults(FaultProxy::Action::kReset) +
           proxy_->Faults(FaultProxy::Action::kRespond);
  }

  DlctlProject project_;
  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(S3Faults, EveryCommandCompletesWhenOneRequestInTenMeetsAFault) {
  fs::path input = MakeInput(2'000'000);
  NewProxy({.drop_percent = 4, .reset_percent = 3, .error_percent = 3, .delay_percent = 5, .delay_ms = 200,
            .seed = 2026});

  CommandResult ingested = Must({"ingest", "dataset", input.string(), "lab"});
  std::string version = KeyOf(ingested.out);
  EXPECT_EQ(project_.store()->Head(version + "/big.csv")->size, fs::file_size(input / "big.csv"));
  EXPECT_EQ(project_.store()->Get(version + "/small/a.csv"), "id\n1\n");
  auto manifest = nlohmann::json::parse(project_.store()->Get("raw/lab/manifest.json"));
  EXPECT_EQ(manifest["latest"], project_.store()->Uri(version));

  // Ranged reads of the big file, then a mart written to the bucket.
  std::string big = project_.store()->Uri(version + "/big.csv");
  EXPECT_EQ(Must({"query", "-f", "csv", "select count(*) as n, sum(id) as s from '" + big + "'"}).out,
            "n,s\n2000000,1999999000000\n");
  Must({"query", "CREATE TABLE stage.main.users AS SELECT * FROM '" + big + "' WHERE id % 10 = 0; "
                "CREATE SCHEMA graphs.music; CREATE TABLE graphs.music.nodes_users AS FROM stage.main.users"});

  CommandResult exported = Must({"export", "dataset", "graphs", "music"});
  std::string export_version = KeyOf(exported.out);
  auto export_manifest = nlohmann::json::parse(project_.store()->Get("exports/graphs/music/manifest.json"));
  EXPECT_EQ(export_manifest["latest"], project_.store()->Uri(export_version));

  Must({"backup", "create"});
  fs::path restored = project_.dir() / "restored";
  // The two catalogs: nothing here wrote to the engine database, so there is none to back up.
  EXPECT_THAT(Must({"backup", "restore", "--target", restored.string()}).out, HasSubstr("(2 files)"));
  EXPECT_EQ(fs::file_size(restored / "stage.sqlite"), fs::file_size(project_.local() / "stage.sqlite"));
  EXPECT_TRUE(fs::exists(restored / "marts" / "graphs.sqlite"));

  int requests = proxy_->TotalRequests();
  EXPECT_GE(Faults(), requests / 20) << "of " << requests << " requests";
  EXPECT_GE(requests, 100);
}

TEST_F(S3Faults, AGoneServerFailsTheCommandWithinItsBudgetWithOneLineAndPublishesNothing) {
  const std::map<std::string, std::string> budget = {{"S3_RETRY_BUDGET", "3"}};
  auto fails_in_time = [&](const std::vector<std::string>& args, int at_request) -> CommandResult {
    NewProxy();
    proxy_->GoAwayAt(at_request);
    CommandResult result = Run(args, budget);
    Clock::time_point end = Clock::now();
    EXPECT_EQ(result.exit_code, 1) << ::testing::PrintToString(args) << result.err;
    EXPECT_EQ(CountLines(result.err), 1) << result.err;
    EXPECT_TRUE(std::regex_search(result.err, std::regex("^dlctl: error: .*S3 [A-Za-z0-9]+ .* failed: .*"
                                                         "\\((after [0-9]+ attempts in [0-9.]+ s|not retried: .*)\\)\n$")))
        << result.err;
    if (!proxy_->GoneSince()) {
      ADD_FAILURE() << "the command ended before the server went away";
      return result;
    }
    double after_gone = std::chrono::duration<double>(end - *proxy_->GoneSince()).count();
    EXPECT_LE(after_gone, 3 + 1.5) << ::testing::PrintToString(args) << " took " << after_gone << " s to fail";
    return result;
  };

  fs::path input = MakeInput(2'000'000);
  fails_in_time({"ingest", "dataset", input.string(), "lab"}, 4);
  EXPECT_FALSE(project_.store()->Head("raw/lab/manifest.json")) << "published after a failed upload";

  NewProxy();
  Must({"query", "CREATE SCHEMA graphs.music; CREATE TABLE graphs.music.nodes_users AS "
                 "SELECT range AS id, 'user ' || range AS name FROM range(1000)"});
  fails_in_time({"export", "dataset", "graphs", "music"}, 2);
  EXPECT_FALSE(project_.store()->Head("exports/graphs/music/manifest.json")) << "published after a failed upload";

  fails_in_time({"backup", "create"}, 2);
  EXPECT_FALSE(project_.store()->Head("backups/catalog/manifest.json")) << "published after a failed upload";

  // Gone from the start: a listing fails after the budget.
  CommandResult ls = fails_in_time({"ingest", "ls"}, 1);
  EXPECT_THAT(ls.err, HasSubstr("Failed to connect to 127.0.0.1"));

  // Back: the next command works and sees nothing of the failed ones.
  NewProxy();
  CommandResult listed = Must({"ingest", "ls", "-f", "csv"});
  EXPECT_EQ(listed.out.find("lab"), std::string::npos) << listed.out;
}

}  // namespace
}  // namespace dlctl::testing
