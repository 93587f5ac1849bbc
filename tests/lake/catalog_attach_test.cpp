// A catalog attached to DuckDB, on a hand-made catalog with what the fixture lakes do not have: flushed files whose
// rows carry their snapshot (partial_max), partial delete files, inlined rows of an older layout
// (renamed column, columns added later with nested initial defaults), an empty table, views
// with column aliases, views that use later views, and views that cannot be bound. On both
// metadata stores: booleans are written '1' and uuids in full, which SQLite's BIGINT/VARCHAR and
// PostgreSQL's BOOLEAN/UUID columns both take.
#include <gtest/gtest.h>

#include "attach_catalog.h"
#include "config/settings.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/catalog_time.h"
#include "storage/local_store.h"
#include "support/test_env.h"
#include "util/error.h"
#include "support/joined_rows.h"
#include "test_metadata_store.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

// Snapshots of the catalog:
//  1  CREATE TABLE t (id INTEGER, name VARCHAR, tags INTEGER[]); file f1 with ids 1, 2, 3
//  2  flushed file f2 (ids 10, 11, 12 written by snapshots 2, 3, 4; partial_max 4) and inlined
//     rows 20, 21
//  3  RENAME name TO label; ADD score DOUBLE DEFAULT 2.5; ADD st STRUCT(a INTEGER) DEFAULT {'a': 7};
//     inlined row 30 in the new layout
//  4  inlined row 21 deleted; row 2 of f1 deleted through ducklake_inlined_delete_1
//  5  views; empty table e
// f2's partial delete file (valid from 2) deletes position 0 at snapshot 3 and position 2 at 5.
class CatalogAttachTest : public ::testing::TestWithParam<MetadataKind> {
 protected:
  CatalogAttachTest() : open_(NewTestMetadataOpener(GetParam(), dir_.path())), store_(open_(true)) {
    settings_.bucket = "lake";
    engine_ = std::make_unique<Engine>(std::make_shared<LocalStore>(dir_.path() / "bucket"), settings_);
    data_ = (dir_.path() / "data").string() + "/";
    CreateCatalog(*store_, data_);
    WriteFiles();
    WriteCatalog();
  }

  void WriteFiles() {
    fs::create_directories(data_ + "main/t");
    engine_->Query(
        "COPY (SELECT i::INTEGER AS id, chr((96 + i)::INTEGER) AS name, [i]::INTEGER[] AS tags FROM range(1, 4) r(i)) "
        "TO " +
        SqlLiteral(data_ + "main/t/f1.parquet") +
        " (FORMAT parquet, FIELD_IDS {id: 1, name: 2, tags: {__duckdb_field_id: 3, element: 4}})");
    engine_->Query(
        "COPY (SELECT (10 + i)::INTEGER AS id, 'f' || i AS name, []::INTEGER[] AS tags, "
        "(2 + i)::BIGINT AS _ducklake_internal_snapshot_id FROM range(3) r(i)) TO " +
        SqlLiteral(data_ + "main/t/f2.parquet") +
        " (FORMAT parquet, FIELD_IDS {id: 1, name: 2, tags: {__duckdb_field_id: 3, element: 4}, "
        "_ducklake_internal_snapshot_id: 2147483539})");
    engine_->Query(
        "COPY (SELECT '/old/place/f2.parquet' AS file_path, pos, snapshot AS _ducklake_internal_snapshot_id "
        "FROM (VALUES (0::BIGINT, 3::BIGINT), (2, 5)) v(pos, snapshot)) TO " +
        SqlLiteral(data_ + "main/t/f2-delete.parquet") +
        " (FORMAT parquet, FIELD_IDS {file_path: 2147483646, pos: 2147483645, "
        "_ducklake_internal_snapshot_id: 2147483539})");
  }

  void WriteCatalog() {
    Transaction transaction(*store_);
    for (int s = 1; s <= 5; ++s)
      store_->Execute("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, 10, 10)",
                      {int64_t{s}, CatalogTimestampNow(), int64_t{s >= 3 ? (s == 5 ? 3 : 2) : 1}});
    store_->Execute("INSERT INTO ducklake_schema_versions VALUES (1, 1, 1), (3, 2, 1), (5, 3, 2)");
    store_->Execute(
        "INSERT INTO ducklake_table VALUES (1, '00000000-0000-4000-8000-000000000001', 1, NULL, 0, 't', 't/', '1'), "
        "(2, '00000000-0000-4000-8000-000000000002', 5, NULL, 0, 'e', 'e/', '1')");
    store_->Execute(
        "INSERT INTO ducklake_column VALUES "
        "(1, 1, NULL, 1, 1, 'id', 'int32', NULL, 'NULL', '1', NULL, 'literal', 'duckdb'), "
        "(2, 1, 3, 1, 2, 'name', 'varchar', NULL, 'NULL', '1', NULL, 'literal', 'duckdb'), "
        "(2, 3, NULL, 1, 2, 'label', 'varchar', NULL, 'NULL', '1', NULL, 'literal', 'duckdb'), "
        "(3, 1, NULL, 1, 3, 'tags', 'list', NULL, 'NULL', '1', NULL, NULL, 'duckdb'), "
        "(4, 1, NULL, 1, 4, 'element', 'int32', NULL, 'NULL', '1', 3, 'literal', 'duckdb'), "
        "(5, 3, NULL, 1, 5, 'score', 'float64', '2.5', '2.5', '1', NULL, 'literal', 'duckdb'), "
        "(6, 3, NULL, 1, 6, 'st', 'struct', '{''a'': 7}', '{''a'': 7}', '1', NULL, 'literal', 'duckdb'), "
        "(7, 3, NULL, 1, 7, 'a', 'int32', NULL, 'NULL', '1', 6, 'literal', 'duckdb'), "
        "(1, 5, NULL, 2, 1, 'x', 'decimal(10,2)', NULL, 'NULL', '1', NULL, 'literal', 'duckdb'), "
        "(2, 5, NULL, 2, 2, 'm', 'map', NULL, 'NULL', '1', NULL, NULL, 'duckdb'), "
        "(3, 5, NULL, 2, 3, 'key', 'varchar', NULL, 'NULL', '1', 2, 'literal', 'duckdb'), "
        "(4, 5, NULL, 2, 4, 'value', 'int64', NULL, 'NULL', '1', 2, 'literal', 'duckdb')");
    store_->Execute(
        "INSERT INTO ducklake_data_file VALUES "
        "(1, 1, 1, NULL, NULL, 'f1.parquet', '1', 'parquet', 3, 0, 0, 0, NULL, NULL, NULL, NULL), "
        "(2, 1, 2, NULL, NULL, 'f2.parquet', '1', 'parquet', 3, 0, 0, 3, NULL, NULL, NULL, 4)");
    store_->Execute(
        "INSERT INTO ducklake_delete_file VALUES "
        "(3, 1, 2, NULL, 2, 'f2-delete.parquet', '1', 'parquet', 2, 0, 0, NULL, NULL)");
    store_->Execute(
        "INSERT INTO ducklake_inlined_data_tables VALUES (1, 'ducklake_inlined_data_1_1', 1), "
        "(1, 'ducklake_inlined_data_1_2', 2)");
    store_->Execute(
        "CREATE TABLE ducklake_inlined_data_1_1(row_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, "
        "id BIGINT, \"name\" VARCHAR, tags VARCHAR)");
    store_->Execute(
        "INSERT INTO ducklake_inlined_data_1_1 VALUES (6, 2, NULL, 20, 'x', '[1, 2]'), "
        "(7, 2, 4, 21, 'y', NULL)");
    store_->Execute(
        "CREATE TABLE ducklake_inlined_data_1_2(row_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, "
        "id BIGINT, label VARCHAR, tags VARCHAR, score VARCHAR, st VARCHAR)");
    store_->Execute("INSERT INTO ducklake_inlined_data_1_2 VALUES (8, 3, NULL, 30, 'z', '[]', '1.25', '{''a'': 1}')");
    store_->Execute("CREATE TABLE ducklake_inlined_delete_1(file_id BIGINT, row_id BIGINT, begin_snapshot BIGINT)");
    store_->Execute("INSERT INTO ducklake_inlined_delete_1 VALUES (1, 1, 4)");
    store_->Execute("INSERT INTO ducklake_tag VALUES (1, 1, NULL, 'comment', 'the t table')");
    store_->Execute("INSERT INTO ducklake_column_tag VALUES (1, 1, 1, NULL, 'comment', 'identifier')");
    store_->Execute(
        "INSERT INTO ducklake_view VALUES "
        "(10, '00000000-0000-4000-8001-000000000010', 5, NULL, 0, 'n_ids', 'duckdb', 'SELECT count(*) AS n FROM ids', ''), "
        "(11, '00000000-0000-4000-8001-000000000011', 5, NULL, 0, 'ids', 'duckdb', 'SELECT id, label FROM main.t', '\"ident\",\"what\"'), "
        "(12, '00000000-0000-4000-8001-000000000012', 5, NULL, 0, 'bad', 'duckdb', 'SELECT * FROM missing_table', ''), "
        "(13, '00000000-0000-4000-8001-000000000013', 5, NULL, 0, 'pg', 'postgres', 'SELECT 1', '')");
    transaction.Commit();
  }

  // Attaches the catalog as "lake" at the snapshot.
  void BindAt(SnapshotId snapshot) { AttachTestCatalog(*engine_, open_, data_, "lake", snapshot); }

  // The error a query fails with.
  std::string ErrorOf(const std::string& sql) {
    try {
      engine_->Query(sql);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }

  // Rows as "v|v|v" (NULL for NULL).
  std::vector<std::string> Rows(const std::string& sql) {
    return testing::JoinedRows(engine_->Query(sql));
  }

  using Lines = std::vector<std::string>;

  testing::TempDir dir_;
  MetadataOpener open_;
  std::unique_ptr<MetadataStore> store_;
  Settings settings_;
  std::unique_ptr<Engine> engine_;
  std::string data_;
};

TEST_P(CatalogAttachTest, ReadsFilesRowsAndDeletesAsOfEachSnapshot) {
  BindAt(1);
  EXPECT_EQ(Rows("SELECT * FROM lake.main.t ORDER BY id"), (Lines{"1|a|[1]", "2|b|[2]", "3|c|[3]"}));

  // Only the rows the flush file holds for snapshot 2; its delete file deletes nothing yet.
  BindAt(2);
  EXPECT_EQ(Rows("SELECT id, name, tags FROM lake.main.t ORDER BY id"),
            (Lines{"1|a|[1]", "2|b|[2]", "3|c|[3]", "10|f0|[]", "20|x|[1, 2]", "21|y|NULL"}));

  // Renamed and added columns: older files and the older inlined layout get the initial defaults.
  BindAt(3);
  EXPECT_EQ(Rows("SELECT * FROM lake.main.t ORDER BY id"),
            (Lines{"1|a|[1]|2.5|{'a': 7}", "2|b|[2]|2.5|{'a': 7}", "3|c|[3]|2.5|{'a': 7}", "11|f1|[]|2.5|{'a': 7}",
                   "20|x|[1, 2]|2.5|{'a': 7}", "21|y|NULL|2.5|{'a': 7}", "30|z|[]|1.25|{'a': 1}"}));
  EXPECT_EQ(engine_->Query("SELECT * FROM lake.main.t LIMIT 0").types,
            (std::vector<std::string>{"INTEGER", "VARCHAR", "INTEGER[]", "DOUBLE", "STRUCT(a INTEGER)"}));

  BindAt(4);
  EXPECT_EQ(Rows("SELECT id FROM lake.main.t ORDER BY id"), (Lines{"1", "3", "11", "12", "20", "30"}));

  BindAt(5);
  EXPECT_EQ(Rows("SELECT id FROM lake.main.t ORDER BY id"), (Lines{"1", "3", "11", "20", "30"}));
}

TEST_P(CatalogAttachTest, EmptyTablesHaveTheirColumnsAndTypes) {
  BindAt(5);
  QueryResult result = engine_->Query("SELECT * FROM lake.main.e");
  EXPECT_EQ(result.columns, (std::vector<std::string>{"x", "m"}));
  EXPECT_EQ(result.types, (std::vector<std::string>{"DECIMAL(10,2)", "MAP(VARCHAR, BIGINT)"}));
  EXPECT_TRUE(result.rows.empty());
}

TEST_P(CatalogAttachTest, ViewsWithAliasesAndViewsOfLaterViews) {
  BindAt(5);
  EXPECT_EQ(Rows("SELECT * FROM lake.main.ids ORDER BY ident"), (Lines{"1|a", "3|c", "11|f1", "20|x", "30|z"}));
  EXPECT_EQ(Rows("SELECT n FROM lake.main.n_ids"), (Lines{"5"}));
  EXPECT_EQ(Rows("SELECT column_name FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = 'ids'"),
            (Lines{"ident", "what"}));

  // Views that cannot be bound fail when used, with the reason; everything else goes on.
  EXPECT_NE(ErrorOf("SELECT * FROM lake.main.bad").find("missing_table"), std::string::npos);
  EXPECT_NE(ErrorOf("SELECT * FROM lake.main.pg").find("dialect 'postgres'"), std::string::npos);
  EXPECT_EQ(Rows("SELECT count(*) FROM duckdb_views() WHERE database_name = 'lake'"), (Lines{"4"}));
}

TEST_P(CatalogAttachTest, CommentsAreVisibleInDuckDB) {
  BindAt(5);
  EXPECT_EQ(Rows("SELECT comment FROM duckdb_tables() WHERE database_name = 'lake' AND table_name = 't'"),
            (Lines{"the t table"}));
  EXPECT_EQ(Rows("SELECT comment FROM duckdb_columns() WHERE database_name = 'lake' AND table_name = 't' "
                 "AND column_name = 'id'"),
            (Lines{"identifier"}));
}

TEST_P(CatalogAttachTest, AttachingAgainReplacesTheEarlierSnapshot) {
  BindAt(5);
  BindAt(1);
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.main.t"), (Lines{"3"}));
  EXPECT_TRUE(
      engine_->Query("SELECT * FROM duckdb_views() WHERE database_name = 'lake' AND view_name = 'ids'").rows.empty());
}

TEST_P(CatalogAttachTest, UnreadableTablesFailWhenQueriedAndTheRestWorks) {
  store_->Execute("UPDATE ducklake_data_file SET mapping_id = 9 WHERE data_file_id = 1");
  BindAt(5);
  // t cannot be read, so neither can the views of it; e still can.
  EXPECT_EQ(Rows("SELECT count(*) FROM lake.main.e"), (Lines{"0"}));
  EXPECT_NE(ErrorOf("SELECT * FROM lake.main.t").find("table t has a data file without field ids"), std::string::npos);
  EXPECT_NE(ErrorOf("SELECT * FROM lake.main.n_ids").find("without field ids"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Lake, CatalogAttachTest,
                         ::testing::Values(MetadataKind::kSqlite, MetadataKind::kPostgres), MetadataKindName);

}  // namespace
}  // namespace dlctl::lake
