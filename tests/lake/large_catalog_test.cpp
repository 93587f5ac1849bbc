// Loading the latest snapshot of a big catalog (large_catalog.h) and attaching it give the right
// tables, files and rows; bench/lake_catalog measures how fast.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/settings.h"
#include "engine/engine.h"
#include "attach_catalog.h"
#include "lake/metadata/catalog_reader.h"
#include "large_catalog.h"
#include "storage/local_store.h"
#include "support/test_env.h"
#include "test_metadata_store.h"

namespace dlctl::lake {
namespace {

class LargeCatalog : public ::testing::TestWithParam<MetadataKind> {};

TEST_P(LargeCatalog, LoadsAndAttachesTheLatestSnapshot) {
  testing::TempDir dir;
  Settings settings;
  settings.bucket = "lake";
  Engine engine(std::make_shared<LocalStore>(dir.path() / "bucket"), settings);
  MetadataOpener open = NewTestMetadataOpener(GetParam(), dir.path(), "large");
  std::unique_ptr<MetadataStore> metadata = open(true);
  WriteLargeCatalog(engine, *metadata, dir.path());
  MetadataStore& store = *metadata;
  CatalogReader reader(store);
  CatalogState state = reader.Load();

  EXPECT_EQ(state.snapshot.id, kSnapshots);
  size_t tables = 0, files = 0, deletes = 0;
  for (const SchemaInfo& schema : state.schemas)
    for (const TableInfo& table : schema.tables) {
      ++tables;
      ASSERT_EQ(table.columns.size(), 10u);
      EXPECT_EQ(table.columns[2].name, "c3_renamed");
      files += table.files.size();
      for (const DataFileInfo& file : table.files) deletes += file.deletes.has_value();
    }
  EXPECT_EQ(tables, 500u);
  auto count = [&](const std::string& sql) { return static_cast<size_t>(store.Query(sql)[0].Int(0)); };
  const std::string latest =
      fmt::format(" begin_snapshot <= {0} AND (end_snapshot IS NULL OR end_snapshot > {0}) ", kSnapshots);
  const std::string live_table = "AND table_id IN (SELECT table_id FROM ducklake_table WHERE" + latest + ")";
  EXPECT_EQ(files, count("SELECT count(*) FROM ducklake_data_file WHERE" + latest + live_table));
  EXPECT_EQ(deletes, count("SELECT count(*) FROM ducklake_delete_file WHERE" + latest +
                           "AND data_file_id IN "
                           "(SELECT data_file_id FROM ducklake_data_file WHERE" +
                           latest + ")" + live_table));
  EXPECT_GT(files, 70000u);

  // Attached, each table's files are read when a query reads it. Every file row points at the
  // same 100-row file and every delete file removes its first row: table 101 has 182 files,
  // all with a delete file; table 100 has no delete file.
  AttachTestCatalog(engine, open, "/nowhere/", "big");
  EXPECT_EQ(engine.Query("SELECT count(*) FROM big.s2.t101").rows[0][0], std::to_string(182 * 99));
  const TableInfo* t100 = state.FindTable("s1", "t100");
  ASSERT_NE(t100, nullptr);
  EXPECT_EQ(engine.Query("SELECT count(*) FROM big.s1.t100").rows[0][0], std::to_string(t100->files.size() * 100));
  // The optimizer's estimate is the live row count.
  EXPECT_NE(engine.Query("EXPLAIN SELECT * FROM big.s2.t101").rows.at(0).at(1)->find("~18,018 rows"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Lake, LargeCatalog, ::testing::Values(MetadataKind::kSqlite, MetadataKind::kPostgres),
                         MetadataKindName);

}  // namespace
}  // namespace dlctl::lake
