#pragma once
// A fresh DuckLake catalog named "stage" for write tests, its data on the local default or on
// the test S3 server, with an engine that sees the bucket.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/catalog_binding.h"
#include "lake/catalog_reader.h"
#include "lake/catalog_schema.h"
#include "lake/sqlite_metadata_store.h"
#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "support/test_env.h"
#include "support/joined_rows.h"

namespace dlctl::lake {

enum class StoreKind { kLocal, kS3 };

inline std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kLocal ? "Local" : "S3";
}

class WriteLakeTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    if (GetParam() == StoreKind::kLocal) {
      settings_.bucket = "lake";
      auto local = std::make_shared<LocalStore>(dir_.path() / "bucket" / "lake");
      data_path_ = local->root().generic_string() + "/stage/";
      store_ = local;
    } else {
      settings_.bucket = testing::UniqueBucketName("lakewrite");
      auto s3 = std::make_shared<S3Store>(testing::TestS3Settings(), settings_.bucket);
      s3->CreateBucket();
      data_path_ = "s3://" + settings_.bucket + "/stage/";
      store_ = s3;
    }
    engine_ = std::make_unique<Engine>(store_, settings_, EngineOptions{.threads = 2});
    catalog_path_ = dir_.path() / "local" / "stage.sqlite";
    metadata_ = std::make_unique<SqliteMetadataStore>(catalog_path_, true);
    CreateCatalog(*metadata_, data_path_);
  }

  // Binds the latest snapshot into the engine as database "stage".
  void Bind() {
    CatalogReader reader(*metadata_, data_path_);
    BindCatalog(*engine_, reader, reader.Load(), "stage");
  }

  // Rows of an engine query, NULL as "NULL", columns joined by '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    return testing::JoinedRows(engine_->Query(sql));
  }

  // Rows of a catalog query, the same way.
  std::vector<std::string> CatalogRows(const std::string& sql) {
    return testing::JoinedRows(metadata_->Query(sql));
  }

  testing::TempDir dir_;
  Settings settings_;
  std::shared_ptr<ObjectStore> store_;
  std::unique_ptr<Engine> engine_;
  std::string data_path_;
  std::filesystem::path catalog_path_;
  std::unique_ptr<SqliteMetadataStore> metadata_;
};

using Lines = std::vector<std::string>;

}  // namespace dlctl::lake
