#include "config/settings.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace dlctl {
namespace {

const std::filesystem::path kCwd = "/lab/project";

Settings Build(const EnvEntries& file, const EnvEntries& env = {}) { return BuildSettings(file, env, kCwd); }

// The message of the UsageError `fn` throws.
template <typename Fn>
std::string UsageMessage(Fn fn) {
  try {
    fn();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), 2);
    return e.what();
  }
  ADD_FAILURE() << "expected a UsageError";
  return "";
}

TEST(Settings, DefaultsAreTheOriginalsAndTheEmbeddedBucket) {
  Settings s = Build({});
  EXPECT_FALSE(s.s3);
  EXPECT_EQ(s.bucket, "lakehouse");
  EXPECT_EQ(s.local_dir, "/lab/project/local");
  EXPECT_EQ(s.LocalBucketRoot(), "/lab/project/local/bucket/lakehouse");
  EXPECT_EQ(s.ingest_prefix, "raw");
  EXPECT_EQ(s.exports_prefix, "exports");
  EXPECT_EQ(s.backups_prefix, "backups");
  EXPECT_EQ(s.engine_db, "/lab/project/local/engine.duckdb");
  ASSERT_EQ(s.catalogs.size(), 2u);
  EXPECT_EQ(s.catalogs[0].name, "stage");
  EXPECT_EQ(s.catalogs[0].db_path, "/lab/project/local/stage.sqlite");
  EXPECT_EQ(s.catalogs[0].data_prefix, "stage");
  EXPECT_FALSE(s.catalogs[0].is_mart);
  EXPECT_EQ(s.catalogs[1].name, "graphs");
  EXPECT_EQ(s.catalogs[1].db_path, "/lab/project/local/marts/graphs.sqlite");
  EXPECT_EQ(s.catalogs[1].data_prefix, "marts/graphs");
  EXPECT_TRUE(s.catalogs[1].is_mart);
  ASSERT_NE(s.FindGraph("music_taste"), nullptr);
  EXPECT_EQ(s.FindGraph("music_taste")->db_path, "/lab/project/local/graphs/music_taste");
}

TEST(Settings, EnvironmentWinsOverTheFile) {
  Settings s = Build({{"S3_BUCKET", "from-file"}, {"LOCAL_DIR", "/data/lab"}}, {{"S3_BUCKET", "from-env"}});
  EXPECT_EQ(s.bucket, "from-env");
  EXPECT_EQ(s.local_dir, "/data/lab");
}

TEST(Settings, DiscoversMartsInOrderFromEitherVariable) {
  Settings s = Build({{"ANALYTICS_MART_DB", "marts/analytics.sqlite"},
                      {"S3_ANALYTICS_MART_PREFIX", "/marts/analytics/"},
                      {"S3_SALES_MART_PREFIX", "marts/sales"},
                      {"SALES_MART_DB", "marts/sales.sqlite"}});
  std::vector<std::string> names;
  for (const auto& c : s.catalogs) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"stage", "graphs", "analytics", "sales"}));
  EXPECT_EQ(s.FindCatalog("analytics")->data_prefix, "marts/analytics");
  EXPECT_EQ(s.FindCatalog("sales")->db_variable, "SALES_MART_DB");
  EXPECT_EQ(s.FindCatalog("sales")->prefix_variable, "S3_SALES_MART_PREFIX");
}

TEST(Settings, AMartNeedsBothVariables) {
  EXPECT_EQ(UsageMessage([] { Build({{"DATA_MART_DB", "marts/data.sqlite"}}); }),
            "S3_DATA_MART_PREFIX is not set (needed by DATA_MART_DB)");
  EXPECT_EQ(UsageMessage([] { Build({{"S3_DATA_MART_PREFIX", "marts/data"}}); }),
            "DATA_MART_DB is not set (needed by S3_DATA_MART_PREFIX)");
}

TEST(Settings, AMartCanBeTurnedOffWithEmptyValues) {
  Settings s = Build({{"GRAPHS_MART_DB", ""}, {"S3_GRAPHS_MART_PREFIX", ""}});
  EXPECT_EQ(s.catalogs.size(), 1u);
}

TEST(Settings, RejectsOverlappingOrInvalidPrefixes) {
  EXPECT_NE(UsageMessage([] { Build({{"S3_STAGE_PREFIX", "marts/graphs/stage"}}); }).find("S3_STAGE_PREFIX"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { Build({{"S3_INGEST_PREFIX", "raw/../x"}}); }).find("S3_INGEST_PREFIX"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { Build({{"S3_EXPORTS_PREFIX", "raw"}}); }).find("S3_EXPORTS_PREFIX"), std::string::npos);
  EXPECT_NE(UsageMessage([] { Build({{"S3_BUCKET", "Bad_Bucket"}}); }).find("S3_BUCKET"), std::string::npos);
  EXPECT_NE(UsageMessage([] { Build({{"STAGE_DB", "../stage.sqlite"}}); }).find("STAGE_DB"), std::string::npos);
}

TEST(Settings, S3NeedsBothCredentialsAndNamesTheMissingOne) {
  EXPECT_EQ(UsageMessage([] { Build({{"S3_ENDPOINT", "localhost:9000"}, {"S3_SECRET_ACCESS_KEY", "x"}}); }),
            "S3_ACCESS_KEY_ID is not set (needed to use S3)");
  EXPECT_EQ(UsageMessage([] { Build({{"S3_ACCESS_KEY_ID", "id"}}); }),
            "S3_SECRET_ACCESS_KEY is not set (needed to use S3)");
}

TEST(Settings, ReadsS3SettingsLikeTheOriginal) {
  Settings s = Build({{"S3_ENDPOINT", "localhost:9000"},
                      {"S3_USE_SSL", "false"},
                      {"S3_URL_STYLE", "path"},
                      {"S3_ACCESS_KEY_ID", "minio_username"},
                      {"S3_SECRET_ACCESS_KEY", "minio_password"},
                      {"S3_REGION", "eu-west-1"}});
  ASSERT_TRUE(s.s3);
  EXPECT_EQ(s.s3->endpoint, "localhost:9000");
  EXPECT_FALSE(s.s3->use_ssl);
  EXPECT_TRUE(s.s3->path_style);
  EXPECT_EQ(s.s3->region, "eu-west-1");
  EXPECT_EQ(s.s3->Scheme(), "http");
}

TEST(Settings, EndpointSchemeDecidesSslAndAwsIsTheDefaultEndpoint) {
  EnvEntries keys = {{"S3_ACCESS_KEY_ID", "id"}, {"S3_SECRET_ACCESS_KEY", "secret"}};
  EnvEntries https = keys;
  https.push_back({"S3_ENDPOINT", "https://s3.example.test:8443/"});
  Settings s = Build(https);
  EXPECT_TRUE(s.s3->use_ssl);
  EXPECT_EQ(s.s3->endpoint, "s3.example.test:8443");

  EnvEntries aws = keys;
  aws.push_back({"S3_REGION", "eu-west-3"});
  Settings a = Build(aws);
  EXPECT_EQ(a.s3->endpoint, "s3.eu-west-3.amazonaws.com");
  EXPECT_TRUE(a.s3->use_ssl);
  EXPECT_FALSE(a.s3->path_style);
}

TEST(Settings, InvalidValuesNameTheVariable) {
  EnvEntries base = {{"S3_ENDPOINT", "localhost:9000"}, {"S3_ACCESS_KEY_ID", "id"}, {"S3_SECRET_ACCESS_KEY", "s"}};
  auto with = [&](const std::string& k, const std::string& v) {
    EnvEntries e = base;
    e.push_back({k, v});
    return e;
  };
  EXPECT_EQ(UsageMessage([&] { Build(with("S3_USE_SSL", "maybe")); }), "S3_USE_SSL must be true or false (got 'maybe')");
  EXPECT_NE(UsageMessage([&] { Build(with("S3_URL_STYLE", "virtual")); }).find("S3_URL_STYLE"), std::string::npos);
  EXPECT_NE(UsageMessage([&] { Build(with("S3_ENDPOINT", "http://host/path")); }).find("S3_ENDPOINT"),
            std::string::npos);
}

TEST(Settings, ErrorsNeverContainSecrets) {
  std::string message = UsageMessage([] {
    Build({{"S3_ENDPOINT", "localhost:9000"}, {"S3_SECRET_ACCESS_KEY", "super-secret-value"}});
  });
  EXPECT_EQ(message.find("super-secret-value"), std::string::npos);
  EXPECT_TRUE(IsSecretVariable("S3_SECRET_ACCESS_KEY"));
  EXPECT_TRUE(IsSecretVariable("KAGGLE_KEY"));
  EXPECT_TRUE(IsSecretVariable("HF_TOKEN"));
  EXPECT_FALSE(IsSecretVariable("S3_BUCKET"));
}

TEST(Settings, GraphDatabasesComeFromGraphDbVariables) {
  Settings s = Build({{"ECON_COMP_GRAPH_DB", "graphs/econ_comp.kuzu"}});
  ASSERT_NE(s.FindGraph("econ_comp"), nullptr);
  EXPECT_EQ(s.FindGraph("econ_comp")->db_path, "/lab/project/local/graphs/econ_comp.kuzu");
}

}  // namespace
}  // namespace dlctl
