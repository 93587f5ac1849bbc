#include "lake/metadata/catalog_schema.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "lake/metadata/sqlite_metadata_store.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

fs::path FixtureCatalog(const std::string& lake) {
  return fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / lake / "catalog.sqlite";
}

// name -> CREATE TABLE statement, for the 28 fixed tables (not the dynamically named ones).
std::map<std::string, std::string> FixedTables(MetadataStore& store) {
  std::map<std::string, std::string> tables;
  for (const Row& row : store.Query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    std::string name = row.Text(0);
    if (name.rfind("ducklake_inlined_data_", 0) == 0 && name != "ducklake_inlined_data_tables") continue;
    if (name.rfind("ducklake_inlined_delete_", 0) == 0) continue;
    tables[name] = row.Text(1);
  }
  return tables;
}

TEST(CatalogSchema, CreatesTheSameTablesAsTheOfficialExtension) {
  testing::TempDir dir;
  SqliteMetadataStore ours(dir.path() / "cat.sqlite", true);
  CreateCatalog(ours, "/data/lake");
  auto our_tables = FixedTables(ours);
  EXPECT_EQ(our_tables.size(), 28u);
  for (const char* lake : {"parquet_only", "inlined"}) {
    SqliteMetadataStore fixture(FixtureCatalog(lake), false);
    EXPECT_EQ(our_tables, FixedTables(fixture)) << lake;
  }
}

TEST(CatalogSchema, WritesSnapshotZeroWithSchemaMain) {
  testing::TempDir dir;
  SqliteMetadataStore store(dir.path() / "cat.sqlite", true);
  CreateCatalog(store, "s3://lakehouse/stage");

  std::map<std::string, std::string> metadata;
  for (const Row& r : store.Query("SELECT \"key\", \"value\", \"scope\", scope_id FROM ducklake_metadata")) {
    EXPECT_TRUE(r.IsNull(2) && r.IsNull(3));
    metadata[r.Text(0)] = r.Text(1);
  }
  EXPECT_EQ(metadata.size(), 4u);
  EXPECT_EQ(metadata["version"], "1.0");
  EXPECT_EQ(metadata["data_path"], "s3://lakehouse/stage/");
  EXPECT_EQ(metadata["encrypted"], "false");
  EXPECT_EQ(metadata["created_by"].rfind("dlctl ", 0), 0u);

  auto snapshots = store.Query("SELECT snapshot_id, snapshot_time, schema_version, next_catalog_id, next_file_id "
                               "FROM ducklake_snapshot");
  ASSERT_EQ(snapshots.size(), 1u);
  EXPECT_EQ(snapshots[0].Int(0), 0);
  EXPECT_TRUE(std::regex_match(snapshots[0].Text(1),
                               std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00)")))
      << snapshots[0].Text(1);
  EXPECT_EQ(snapshots[0].Int(2), 0);
  EXPECT_EQ(snapshots[0].Int(3), 1);
  EXPECT_EQ(snapshots[0].Int(4), 0);

  auto changes = store.Query("SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 0");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].Text(0), "created_schema:\"main\"");

  auto schemas = store.Query("SELECT schema_id, schema_uuid, begin_snapshot, end_snapshot, schema_name, path, "
                             "path_is_relative, typeof(path_is_relative) FROM ducklake_schema");
  ASSERT_EQ(schemas.size(), 1u);
  EXPECT_EQ(schemas[0].Int(0), 0);
  EXPECT_TRUE(std::regex_match(schemas[0].Text(1), std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(schemas[0].Int(2), 0);
  EXPECT_TRUE(schemas[0].IsNull(3));
  EXPECT_EQ(schemas[0].Text(4), "main");
  EXPECT_EQ(schemas[0].Text(5), "main/");
  EXPECT_EQ(schemas[0].Int(6), 1);
  EXPECT_EQ(schemas[0].Text(7), "integer");
  CheckSpecVersion(store);
}

TEST(CatalogSchema, RefusesToCreateTwiceAndOtherVersions) {
  testing::TempDir dir;
  SqliteMetadataStore store(dir.path() / "cat.sqlite", true);
  CreateCatalog(store, "/data/");
  EXPECT_THROW(CreateCatalog(store, "/data/"), Error);
  store.Execute("UPDATE ducklake_metadata SET \"value\" = '0.3' WHERE \"key\" = 'version'");
  EXPECT_THROW(CheckSpecVersion(store), Error);
  EXPECT_TRUE(IsCatalog(store));
}

TEST(CatalogSchema, FixturesAreSpecOne) {
  for (const char* lake : {"parquet_only", "inlined"}) {
    SqliteMetadataStore fixture(FixtureCatalog(lake), false);
    EXPECT_NO_THROW(CheckSpecVersion(fixture)) << lake;
  }
}

}  // namespace
}  // namespace dlctl::lake
