// CatalogReader on the `inlined` fixture lake (written by DuckDB 1.5.5's ducklake extension; its
// build.sql says what each snapshot did).
#include "lake/metadata/catalog_reader.h"

#include <gtest/gtest.h>

#include "lake/metadata/sqlite_metadata_store.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

class CatalogReaderTest : public ::testing::Test {
 protected:
  CatalogReaderTest() {
    fixture_ = fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / "inlined";
    fs::copy_file(fixture_ / "catalog.sqlite", dir_.path() / "catalog.sqlite");
    store_ = std::make_unique<SqliteMetadataStore>(dir_.path() / "catalog.sqlite", false);
  }

  CatalogState LoadAt(SnapshotId id) {
    CatalogReader reader(*store_, "/lake/data");
    return reader.Load(SnapshotSelector{id, std::nullopt});
  }

  fs::path fixture_;
  testing::TempDir dir_;
  std::unique_ptr<SqliteMetadataStore> store_;
};

TEST_F(CatalogReaderTest, DataPathIsTheStoredOneUnlessOverridden) {
  EXPECT_EQ(CatalogReader(*store_).data_path(), "/lake-fixture/inlined/data/");
  EXPECT_EQ(CatalogReader(*store_, "s3://bucket/stage").data_path(), "s3://bucket/stage/");
}

TEST_F(CatalogReaderTest, ResolvesSnapshotsByIdTimeOrLatest) {
  CatalogReader reader(*store_);
  std::vector<SnapshotInfo> snapshots = reader.Snapshots();
  ASSERT_EQ(snapshots.size(), 20u);
  EXPECT_EQ(snapshots[0].changes_made, "created_schema:\"main\"");
  EXPECT_EQ(snapshots[3].time, "2026-11-25 14:21:28.924133+00");

  SnapshotInfo latest = reader.ResolveSnapshot({});
  EXPECT_EQ(latest.id, 19);
  EXPECT_EQ(latest.schema_version, 13);
  EXPECT_EQ(latest.next_catalog_id, 10);
  EXPECT_EQ(latest.next_file_id, 12);
  EXPECT_EQ(reader.ResolveSnapshot({5, std::nullopt}).id, 5);

  auto at = [&](const std::string& time) { return reader.ResolveSnapshot({std::nullopt, time}).id; };
  EXPECT_EQ(at("2026-11-25 14:21:28.924133+00"), 3);  // exactly its time
  EXPECT_EQ(at("2026-11-25 14:21:28.924132"), 2);
  EXPECT_EQ(at("2026-11-25T14:21:28.95Z"), 3);
  EXPECT_EQ(at("2026-11-25 16:21:28.95+02:00"), 3);
  EXPECT_EQ(at("2027-01-01"), 19);

  EXPECT_THROW(reader.ResolveSnapshot({99, std::nullopt}), NotFoundError);
  EXPECT_THROW(at("2026-11-25 14:00:00"), NotFoundError);
  EXPECT_THROW(at("yesterday"), UsageError);
  EXPECT_THROW(reader.ResolveSnapshot({5, "2027-01-01"}), UsageError);
}

TEST_F(CatalogReaderTest, SchemasTablesAndNestedColumnsAtASnapshot) {
  CatalogState state = LoadAt(10);
  EXPECT_EQ(state.snapshot.id, 10);
  EXPECT_EQ(state.data_path, "/lake/data/");
  ASSERT_EQ(state.schemas.size(), 2u);
  EXPECT_EQ(state.schemas[0].name, "main");
  EXPECT_EQ(state.schemas[0].path, "/lake/data/main/");
  EXPECT_EQ(state.schemas[1].name, "dsn");

  const TableInfo* types = state.FindTable("main", "types");
  ASSERT_NE(types, nullptr);
  EXPECT_EQ(types->id, 3);
  EXPECT_EQ(types->path, "/lake/data/main/types/");
  ASSERT_EQ(types->columns.size(), 18u);
  // Renamed at snapshot 10: the new version of column 10.
  EXPECT_EQ(types->columns[9].column_id, 10);
  EXPECT_EQ(types->columns[9].name, "label");
  EXPECT_EQ(LoadAt(9).FindTable("main", "types")->columns[9].name, "s");

  const ColumnInfo& list = types->columns[15];
  EXPECT_EQ(list.name, "l");
  EXPECT_EQ(list.type, "list");
  ASSERT_EQ(list.children.size(), 1u);
  EXPECT_EQ(list.children[0].name, "element");
  EXPECT_EQ(list.children[0].type, "int32");
  EXPECT_EQ(list.children[0].column_id, 17);
  const ColumnInfo& map = types->columns[17];
  ASSERT_EQ(map.children.size(), 2u);
  EXPECT_EQ(map.children[0].name, "key");
  EXPECT_EQ(map.children[1].name, "value");
  EXPECT_EQ(types->columns[8].type, "decimal(18,3)");
  EXPECT_FALSE(types->columns[0].initial_default);

  const TableInfo* edges = state.FindTable("dsn", "edges");
  ASSERT_NE(edges, nullptr);
  ASSERT_EQ(edges->columns.size(), 3u);
  EXPECT_EQ(edges->columns[2].name, "weight");
  EXPECT_EQ(edges->columns[2].initial_default, "1.5");
  EXPECT_EQ(state.FindTable("dsn", "nothing"), nullptr);
  EXPECT_EQ(state.FindSchema("nothing"), nullptr);
}

TEST_F(CatalogReaderTest, DroppedAndReplacedTablesAndViews) {
  EXPECT_NE(LoadAt(12).FindTable("dsn", "dropme"), nullptr);
  EXPECT_EQ(LoadAt(13).FindTable("dsn", "dropme"), nullptr);
  EXPECT_EQ(LoadAt(18).FindTable("dsn", "replaced")->id, 8);
  EXPECT_EQ(LoadAt(19).FindTable("dsn", "replaced")->id, 9);

  EXPECT_EQ(LoadAt(10).FindView("dsn", "heavy"), nullptr);
  CatalogState state = LoadAt(11);
  const ViewInfo* heavy = state.FindView("dsn", "heavy");
  ASSERT_NE(heavy, nullptr);
  EXPECT_EQ(heavy->dialect, "duckdb");
  EXPECT_EQ(heavy->sql,
            "SELECT source_id, count_star() AS n FROM dsn.edges GROUP BY source_id HAVING (count_star() >= 1)");
  EXPECT_EQ(heavy->column_aliases, "");  // the extension writes an empty list, not NULL
}

TEST_F(CatalogReaderTest, CommentsFromTags) {
  EXPECT_FALSE(LoadAt(13).FindTable("dsn", "edges")->comment);
  EXPECT_EQ(LoadAt(14).FindTable("dsn", "edges")->comment, "friendship edges");
}

TEST_F(CatalogReaderTest, DataFilesWithTheirDeleteFileResolvedThroughThePathChain) {
  CatalogState at_six = LoadAt(6);
  const TableInfo* edges = at_six.FindTable("dsn", "edges");
  ASSERT_EQ(edges->files.size(), 1u);
  const DataFileInfo& file = edges->files[0];
  EXPECT_EQ(file.id, 0);
  EXPECT_EQ(file.path, "/lake/data/dsn/edges/ducklake-01a21315-3db5-72e1-ba10-a3a39da03eea.parquet");
  EXPECT_EQ(file.format, "parquet");
  EXPECT_EQ(file.record_count, 1000);
  EXPECT_EQ(file.footer_size, 265);
  ASSERT_TRUE(file.deletes);
  EXPECT_EQ(file.deletes->id, 3);
  EXPECT_EQ(file.deletes->path, "/lake/data/dsn/edges/ducklake-01a21315-3e7f-7280-89a2-b9802f16a574-delete.parquet");
  EXPECT_EQ(file.deletes->delete_count, 100);
  EXPECT_FALSE(LoadAt(5).FindTable("dsn", "edges")->files[0].deletes);

  CatalogState at_seventeen = LoadAt(17);
  const TableInfo* part = at_seventeen.FindTable("dsn", "part");
  ASSERT_EQ(part->files.size(), 3u);
  EXPECT_EQ(part->files[0].path,
            "/lake/data/dsn/part/country=HR/ducklake-01a21315-4095-73a6-97ef-39cb0eb99803.parquet");
  EXPECT_EQ(part->files[0].partition_id, 7);

  CatalogReader reader(*store_, "/lake/data");
  EXPECT_TRUE(reader.Load({}, false).FindTable("dsn", "part")->files.empty());
}

TEST_F(CatalogReaderTest, InlinedTablesWithTheColumnNamesOfTheirSchemaVersion) {
  CatalogReader reader(*store_, "/lake/data");
  CatalogState state = reader.Load({10, std::nullopt});
  const TableInfo* types = state.FindTable("main", "types");
  ASSERT_EQ(types->inlined_tables.size(), 2u);
  const InlinedTableInfo& old_layout = types->inlined_tables[0];
  EXPECT_EQ(old_layout.table_name, "ducklake_inlined_data_3_3");
  EXPECT_EQ(old_layout.schema_version, 3);
  ASSERT_EQ(old_layout.columns.size(), 18u);
  EXPECT_EQ(old_layout.columns[9].column_id, 10);
  EXPECT_EQ(old_layout.columns[9].name, "s");
  EXPECT_EQ(types->inlined_tables[1].table_name, "ducklake_inlined_data_3_5");
  EXPECT_EQ(types->inlined_tables[1].columns[9].name, "label");
  EXPECT_TRUE(types->has_inlined_deletes);
  // Before the rename only the first layout exists.
  EXPECT_EQ(LoadAt(9).FindTable("main", "types")->inlined_tables.size(), 1u);

  // Rows 1..3 were inserted at snapshot 4; row id 1 was updated at snapshot 7.
  auto rows = reader.ReadInlinedRows(old_layout, {"id", "s"}, 6);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].Text(1), "wörld 'quoted'");
  rows = reader.ReadInlinedRows(old_layout, {"id", "s"}, 7);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(reader.ReadInlinedDeletes(3, 6).size(), 0u);
  EXPECT_EQ(reader.ReadInlinedDeletes(3, 7), (std::vector<std::pair<int64_t, int64_t>>{{2, 5}}));
}

TEST_F(CatalogReaderTest, RefusesCatalogsOfAnotherSpecVersion) {
  store_->Execute("UPDATE ducklake_metadata SET \"value\" = '0.3' WHERE \"key\" = 'version'");
  EXPECT_THROW(CatalogReader reader(*store_), Error);
}

}  // namespace
}  // namespace dlctl::lake
