// `dlctl ingest dataset URL` end to end: the binary against the fake sources and the test S3 server.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

#include "fake_sources.h"
#include "storage/s3_store.h"
#include "support/run_command.h"
#include "support/test_env.h"
#include "zip_fixture.h"

namespace dlctl {
namespace {

using testing::CommandOptions;
using testing::CommandResult;
using testing::FakeSources;

class IngestUrlCli : public ::testing::Test {
 protected:
  void SetUp() override {
    S3Settings s3 = testing::TestS3Settings();
    bucket_ = testing::UniqueBucketName("ingest-cli");
    store_ = std::make_unique<S3Store>(s3, bucket_);
    store_->CreateBucket();
    options_.cwd = dir_.path();
    options_.env = {{"S3_ENDPOINT", "http://" + s3.endpoint},
                    {"S3_ACCESS_KEY_ID", s3.access_key_id},
                    {"S3_SECRET_ACCESS_KEY", s3.secret_access_key},
                    {"S3_BUCKET", bucket_},
                    {"KAGGLE_API_ENDPOINT", sources_.api_url()},
                    {"KAGGLE_USERNAME", sources_.kaggle_username},
                    {"KAGGLE_KEY", sources_.kaggle_key},
                    {"HF_ENDPOINT", sources_.api_url() + "/"}};
    sources_.AddKaggleVersion("andreagarritano", "deezer-social-networks", 4, testing::MakeZip(testing::DeezerEntries()));
    sources_.AddHubRepo("acme", "songs", "main", std::string(40, 'a'),
                        {{"data/train.parquet", std::string(100'000, 'p'), {}, true}, {"README.md", "# hi\n", {}, false}});
  }
  CommandResult Run(const std::vector<std::string>& args) { return testing::RunDlctl(args, options_); }

  testing::TempDir dir_;
  FakeSources sources_;
  std::string bucket_;
  std::unique_ptr<S3Store> store_;
  CommandOptions options_;
};

TEST_F(IngestUrlCli, KagglePrintsTheVersionUriAndCachesUnderLocal) {
  CommandResult r = Run({"ingest", "dataset", "https://www.kaggle.com/datasets/andreagarritano/deezer-social-networks/"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex("s3://" + bucket_ +
                                                    "/(raw/deezer_social_networks/\\d{4}_\\d\\d_\\d\\d/\\d\\d_\\d\\d_\\d\\d_\\d{3})\n")))
      << r.out;
  EXPECT_EQ(store_->Get(m[1].str() + "/HU/HU_edges.csv"), "node_1,node_2\n0,14270\n");
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "local/cache/ingest/kaggle/andreagarritano/deezer-social-networks/4/"
                                                     "files/RO/RO_genres.json"));
}

TEST_F(IngestUrlCli, HuggingFaceWithNameIncludeAndRevision) {
  CommandResult r = Run({"ingest", "dataset", "https://huggingface.co/datasets/acme/songs", "--name", "Song Data",
                         "--include", "data/*", "--revision", "main"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string key = r.out.substr(("s3://" + bucket_ + "/").size());
  key.pop_back();
  EXPECT_EQ(key.rfind("raw/song_data/", 0), 0u);
  EXPECT_EQ(store_->List(key + "/").size(), 1u);
  EXPECT_EQ(store_->Get(key + "/data/train.parquet"), std::string(100'000, 'p'));
}

TEST_F(IngestUrlCli, ProgressBarsOnATerminal) {
  options_.stderr_is_terminal = true;
  options_.terminal_columns = 120;  // room for the whole label next to the numbers
  CommandResult r = Run({"ingest", "dataset", "https://huggingface.co/datasets/acme/songs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("downloading acme/songs 100% ["), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("uploading songs 100% ["), std::string::npos) << r.err;
  EXPECT_EQ(r.out.rfind("s3://", 0), 0u);
}

TEST_F(IngestUrlCli, UnknownHostsAndShapesExit2WithOneLine) {
  for (const char* url : {"https://example.com/datasets/a/b", "https://www.kaggle.com/code/someone/notebook",
                          "https://huggingface.co/datasets/acme"}) {
    CommandResult r = Run({"ingest", "dataset", url});
    EXPECT_EQ(r.exit_code, 2) << url;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("dlctl: error: unsupported dataset URL ", 0), 0u) << r.err;
  }
  CommandResult local = Run({"ingest", "dataset", dir_.path().string(), "--revision", "2"});
  EXPECT_EQ(local.exit_code, 2);
  EXPECT_NE(local.err.find("apply to Kaggle and Hugging Face URLs only"), std::string::npos);
  CommandResult kaggle_branch = Run({"ingest", "dataset", "https://www.kaggle.com/datasets/a/b", "--revision", "main"});
  EXPECT_EQ(kaggle_branch.exit_code, 2);
  EXPECT_NE(kaggle_branch.err.find("a Kaggle revision is a dataset version number"), std::string::npos);
}

TEST_F(IngestUrlCli, FailuresExit1AndNeverPrintSecrets) {
  options_.env["KAGGLE_KEY"] = "wrong-secret-key";
  options_.env["HF_TOKEN"] = "hf_wrong_secret";
  sources_.AddHubRepo("meta", "gated", "main", std::string(40, 'b'), {{"a.csv", "x", {}, false}}, true);
  for (const char* url : {"https://www.kaggle.com/datasets/andreagarritano/deezer-social-networks",
                          "https://huggingface.co/datasets/meta/gated"}) {
    CommandResult r = Run({"ingest", "dataset", url});
    EXPECT_EQ(r.exit_code, 1) << url;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.find("wrong-secret-key"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("hf_wrong_secret"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(store_->List("raw/").empty());
}

}  // namespace
}  // namespace dlctl
