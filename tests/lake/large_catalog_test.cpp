// Loading and binding the latest snapshot of a big catalog (large_catalog.h) gives the right
// tables, files and rows; bench/lake_catalog measures how fast.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/catalog_binding.h"
#include "lake/catalog_reader.h"
#include "large_catalog.h"
#include "storage/local_store.h"
#include "support/test_env.h"
#include "test_metadata_store.h"

namespace dlctl::lake {
namespace {

class LargeCatalog : public ::testing::TestWithParam<MetadataKind> {};

TEST_P(LargeCatalog, LoadsAndBindsTheLatestSnapshot) {
  testing::TempDir dir;
  Settings settings;
  settings.bucket = "lake";
  Engine engine(std::make_shared<LocalStore>(dir.path() / "bucket"), settings);
  std::unique_ptr<MetadataStore> metadata = NewTestMetadataStore(GetParam(), dir.path(), "large");
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

  // Bound with every file loaded, or without (each table's files read when a query reads it):
  // the same rows. Every file row points at the same 100-row file and every delete file
  // removes its first row: table 101 has 182 files, all with a delete file.
  BindCatalog(engine, reader, state, "big");
  EXPECT_EQ(engine.Query("SELECT count(*) FROM big.s2.t101").rows[0][0], std::to_string(182 * 99));
  BindCatalog(engine, reader, reader.Load({}, /*with_files=*/false), "lazy");
  EXPECT_EQ(engine.Query("SELECT count(*) FROM lazy.s2.t101").rows[0][0], std::to_string(182 * 99));
  EXPECT_EQ(engine.Query("SELECT count(*) FROM lazy.s1.t100").rows[0][0],
            engine.Query("SELECT count(*) FROM big.s1.t100").rows[0][0]);
}

INSTANTIATE_TEST_SUITE_P(Lake, LargeCatalog, ::testing::Values(MetadataKind::kSqlite, MetadataKind::kPostgres),
                         MetadataKindName);

}  // namespace
}  // namespace dlctl::lake
