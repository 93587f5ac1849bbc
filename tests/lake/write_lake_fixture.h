#pragma once
// A fresh DuckLake catalog named "stage" for write tests, its data on the local default or on
// the test S3 server, its metadata in a SQLite file or a fresh schema of the test PostgreSQL
// server, with an engine that sees the bucket. Every test of this fixture runs on each pair.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/catalog/attach.h"
#include "lake/metadata/catalog_reader.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/open_metadata_store.h"
#include "storage/local_store.h"
#include "storage/s3_store.h"
#include "support/test_env.h"
#include "support/joined_rows.h"
#include "support/test_postgres.h"
#include "test_metadata_store.h"

namespace dlctl::lake {

enum class StoreKind { kLocal, kS3 };  // where the data files go

struct LakeSetup {
  StoreKind data;
  MetadataKind metadata;
};

// Every pair of data store and metadata store.
inline std::vector<LakeSetup> AllLakeSetups() {
  return {{StoreKind::kLocal, MetadataKind::kSqlite},
          {StoreKind::kS3, MetadataKind::kSqlite},
          {StoreKind::kLocal, MetadataKind::kPostgres},
          {StoreKind::kS3, MetadataKind::kPostgres}};
}

inline std::string LakeSetupName(const ::testing::TestParamInfo<LakeSetup>& info) {
  return std::string(info.param.data == StoreKind::kLocal ? "Local" : "S3") +
         (info.param.metadata == MetadataKind::kSqlite ? "Sqlite" : "Postgres");
}

inline void PrintTo(const LakeSetup& setup, std::ostream* out) {
  *out << (setup.data == StoreKind::kLocal ? "local data, " : "S3 data, ")
       << (setup.metadata == MetadataKind::kSqlite ? "SQLite metadata" : "PostgreSQL metadata");
}

class WriteLakeTest : public ::testing::TestWithParam<LakeSetup> {
 protected:
  void SetUp() override {
    if (GetParam().data == StoreKind::kLocal) {
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
    catalog_.name = "stage";
    catalog_.db_variable = "STAGE_DB";
    catalog_.prefix_variable = "S3_STAGE_PREFIX";
    catalog_.db_path = catalog_path_;
    catalog_.data_prefix = "stage";
    if (GetParam().metadata == MetadataKind::kPostgres) {
      settings_.postgres = testing::TestPostgresSettings();
      catalog_.postgres_schema = testing::MakeTestSchema("lake");
      catalog_.schema_variable = "PSQL_CATALOG_STAGE_SCHEMA";
    }
    metadata_ = OpenMetadata(true);
    CreateCatalog(*metadata_, data_path_);
    Attach(*engine_);
  }

  // Attaches the catalog to `engine` as "stage", read-write; files of failed writes are removed.
  void Attach(Engine& engine, WriteOptions write = {}) const {
    CatalogSource source;
    source.name = "stage";
    source.data_path = data_path_;
    source.open = [settings = settings_, catalog = catalog_](bool create) {
      return OpenMetadataStore(settings, catalog, create);
    };
    if (!write.store) write.store = store_;
    if (!write.data_inlining_row_limit) write.data_inlining_row_limit = inlining_row_limit_;
    source.write = std::move(write);
    AttachCatalog(engine, std::move(source));
  }

  // Runs the statements (autocommit, or BEGIN ... COMMIT) and returns the snapshot the engine's
  // latest commit to the catalog made (0: none yet).
  SnapshotId Commit(const std::string& sql) {
    engine_->Query(sql);
    return LastCommittedSnapshot(*engine_, "stage").value_or(0);
  }

  // The single value a statement returns, as an integer (a write's row count).
  int64_t Count(const std::string& sql) { return std::stoll(engine_->Query(sql).rows.at(0).at(0).value_or("-1")); }

  // Another connection to the catalog, as another process would have.
  std::unique_ptr<MetadataStore> OpenMetadata(bool create = false) const {
    return OpenMetadataStore(settings_, catalog_, create);
  }

  // Rows of an engine query, NULL as "NULL", columns joined by '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    return testing::JoinedRows(engine_->Query(sql));
  }

  // Rows of a catalog query, the same way.
  std::vector<std::string> CatalogRows(const std::string& sql) {
    return testing::JoinedRows(metadata_->Query(sql));
  }

  // The catalog's data_inlining_row_limit as attached: 0 (every write in Parquet files) for the
  // tests of files; tests of inlining set it before SetUp (nullopt: the default).
  std::optional<uint64_t> inlining_row_limit_ = 0;
  testing::TempDir dir_;
  Settings settings_;
  std::shared_ptr<ObjectStore> store_;
  std::unique_ptr<Engine> engine_;
  std::string data_path_;
  std::filesystem::path catalog_path_;  // the SQLite file (when the metadata is there)
  CatalogSettings catalog_;              // "stage", in SQLite or PostgreSQL
  std::unique_ptr<MetadataStore> metadata_;
};

using Lines = std::vector<std::string>;

}  // namespace dlctl::lake
