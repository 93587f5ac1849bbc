// The ingest sources' settings: the variable names Kaggle's and Hugging Face's tools read.
#include <gtest/gtest.h>

#include "config/settings.h"
#include "support/error_of.h"

namespace dlctl {
namespace {

const std::filesystem::path kCwd = "/lab/project";

SourceSettings Sources(const EnvEntries& env) { return BuildSettings({}, env, kCwd).sources; }

TEST(SourceSettings, DefaultsAreThePublicSitesAndACacheUnderLocal) {
  SourceSettings s = Sources({{"HOME", "/home/ada"}});
  EXPECT_EQ(s.kaggle_endpoint, "https://www.kaggle.com");
  EXPECT_EQ(s.hf_endpoint, "https://huggingface.co");
  EXPECT_EQ(s.kaggle_config_dir, "/home/ada/.kaggle");
  EXPECT_EQ(s.hf_token_file, "/home/ada/.cache/huggingface/token");
  EXPECT_EQ(s.cache_dir, "/lab/project/local/cache/ingest");
  EXPECT_EQ(s.kaggle_api_token, "");
  EXPECT_EQ(s.hf_token, "");
}

TEST(SourceSettings, TheToolsOwnVariablesOverrideThem) {
  SourceSettings s = Sources({{"HOME", "/home/ada"},
                              {"KAGGLE_API_ENDPOINT", "http://127.0.0.1:8080/"},
                              {"HF_ENDPOINT", "https://hf-mirror.example//"},
                              {"KAGGLE_USERNAME", "ada"},
                              {"KAGGLE_KEY", "k"},
                              {"KAGGLE_API_TOKEN", "KGAT_t"},
                              {"KAGGLE_CONFIG_DIR", "/etc/kaggle"},
                              {"HUGGING_FACE_HUB_TOKEN", "hf_old"},
                              {"HF_HOME", "/data/hf"},
                              {"INGEST_CACHE_DIR", "/var/cache/dlctl"}});
  EXPECT_EQ(s.kaggle_endpoint, "http://127.0.0.1:8080");
  EXPECT_EQ(s.hf_endpoint, "https://hf-mirror.example");
  EXPECT_EQ(s.kaggle_username, "ada");
  EXPECT_EQ(s.kaggle_key, "k");
  EXPECT_EQ(s.kaggle_api_token, "KGAT_t");
  EXPECT_EQ(s.kaggle_config_dir, "/etc/kaggle");
  EXPECT_EQ(s.hf_token, "hf_old");
  EXPECT_EQ(s.hf_token_file, "/data/hf/token");
  EXPECT_EQ(s.cache_dir, "/var/cache/dlctl");
  EXPECT_EQ(Sources({{"HF_TOKEN", "hf_new"}, {"HUGGING_FACE_HUB_TOKEN", "hf_old"}}).hf_token, "hf_new");
}

TEST(SourceSettings, BadBaseUrlsAreUsageErrors) {
  EXPECT_EQ(testing::ErrorOf([] { Sources({{"HF_ENDPOINT", "huggingface.co"}}); }),
            "HF_ENDPOINT must be an http:// or https:// base URL (got 'huggingface.co')");
  EXPECT_THROW(Sources({{"KAGGLE_API_ENDPOINT", "https://www.kaggle.com/api?x"}}), UsageError);
}

TEST(SourceSettings, CredentialsAreSecretVariables) {
  for (const char* name : {"KAGGLE_KEY", "KAGGLE_API_TOKEN", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"})
    EXPECT_TRUE(IsSecretVariable(name)) << name;
}

}  // namespace
}  // namespace dlctl
