#pragma once
// The `inlined` fixture lake (written by DuckDB's own extension) laid out as the stage catalog of
// a dlctl setup (local/stage.sqlite, data under the bucket's stage/ prefix), on the local default
// ("local") or on S3 ("s3"), for tests that run dlctl commands on it.
#include <gtest/gtest.h>

#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl {

namespace fs = std::filesystem;
using testing::CommandOptions;
using testing::CommandResult;
using testing::RunDlctl;

class FixtureLake : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    fs::path fixture = fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / "inlined";
    options_.cwd = dir_.path();
    std::unique_ptr<ObjectStore>& store = store_;
    if (GetParam() == "s3") {
      S3Settings s3 = testing::TestS3Settings();
      std::string bucket = testing::UniqueBucketName("lake");
      auto s3_store = std::make_unique<S3Store>(s3, bucket);
      s3_store->CreateBucket();
      options_.env = {{"S3_ENDPOINT", "http://" + s3.endpoint},
                      {"S3_ACCESS_KEY_ID", s3.access_key_id},
                      {"S3_SECRET_ACCESS_KEY", s3.secret_access_key},
                      {"S3_BUCKET", bucket},
                      {"S3_REGION", s3.region}};
      store = std::move(s3_store);
    } else {
      store = std::make_unique<LocalStore>(dir_.path() / "local" / "bucket" / "lakehouse");
    }
    // The catalog file where STAGE_DB says, its data under S3_STAGE_PREFIX: the data path stored
    // in the catalog (/lake-fixture/...) is overridden by the settings.
    fs::create_directories(dir_.path() / "local");
    fs::copy_file(fixture / "catalog.sqlite", dir_.path() / "local" / "stage.sqlite");
    for (const auto& entry : fs::recursive_directory_iterator(fixture / "data"))
      if (entry.is_regular_file())
        store->PutFile("stage/" + fs::relative(entry.path(), fixture / "data").generic_string(), entry.path());
  }

  CommandResult Run(const std::vector<std::string>& args) { return RunDlctl(args, options_); }

  CommandResult Query(std::vector<std::string> args) {
    args.insert(args.begin(), {"query", "--format", "csv"});
    return Run(args);
  }

  testing::TempDir dir_;
  CommandOptions options_;
  std::unique_ptr<ObjectStore> store_;
};

}  // namespace dlctl
