// The commit machinery on its own: ChangeSets written as snapshots, compared row by row with
// what the official extension writes (fixtures/ducklake/parquet_only), and conflicts.
#include <gtest/gtest.h>

#include "lake/metadata/catalog_schema.h"
#include "lake/write/commit.h"
#include "support/test_env.h"
#include "test_metadata_store.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

// Every row of a catalog table as text ("NULL" for SQL NULL), columns joined by '|'.
std::vector<std::string> Rows(MetadataStore& store, const std::string& sql) {
  std::vector<std::string> rows;
  for (const Row& row : store.Query(sql)) {
    std::string line;
    for (size_t i = 0; i < row.values.size(); ++i) {
      if (i) line += '|';
      line += row.IsNull(i) ? "NULL" : row.Text(i);
    }
    rows.push_back(line);
  }
  return rows;
}

ColumnInfo Column(int64_t id, const std::string& name, const std::string& type) {
  ColumnInfo column;
  column.column_id = id;
  column.column_order = id;
  column.name = name;
  column.type = type;
  return column;
}

class WriteCommit : public ::testing::TestWithParam<MetadataKind> {
 protected:
  void SetUp() override {
    store_ = NewTestMetadataStore(GetParam(), dir_.path());
    CreateCatalog(*store_, "/data/lake/");
  }

  // CREATE SCHEMA dsn; CREATE TABLE dsn.edges (source_id INTEGER, target_id INTEGER)
  ChangeSet CreateEdges() {
    ChangeSet changes;
    changes.new_schemas.push_back({-1, "dsn", "01a21315-147a-7eb8-bccc-b3af3a226a7c", "dsn/"});
    changes.new_tables.push_back(
        {-2, -1, "dsn", "edges", "01a21315-148f-7d2e-b154-33a119c8a0fb", "edges/", true, true});
    changes.created_columns[-2] = {Column(1, "source_id", "int32"), Column(2, "target_id", "int32")};
    return changes;
  }

  testing::TempDir dir_;
  std::unique_ptr<MetadataStore> store_;
};

TEST_P(WriteCommit, CreatesSchemaTableAndColumnsAsTheExtensionDoes) {
  CommittedSnapshot committed = CommitChangeSet(*store_, CreateEdges(), 0);
  EXPECT_EQ(committed.id, 1);
  EXPECT_EQ(committed.assigned_ids.at(-1), 1);
  EXPECT_EQ(committed.assigned_ids.at(-2), 2);

  EXPECT_EQ(Rows(*store_,
                 "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                 "WHERE snapshot_id = 1"),
            std::vector<std::string>{"1|1|3|0"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_snapshot_changes WHERE snapshot_id = 1"),
            std::vector<std::string>{"1|created_schema:\"dsn\",created_table:\"dsn\".\"edges\"|NULL|NULL|NULL"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_schema WHERE schema_id = 1"),
            std::vector<std::string>{"1|01a21315-147a-7eb8-bccc-b3af3a226a7c|1|NULL|dsn|dsn/|1"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_table"),
            std::vector<std::string>{"2|01a21315-148f-7d2e-b154-33a119c8a0fb|1|NULL|1|edges|edges/|1"});
  // The fixture's rows for the same columns (parquet_only, table 2), with our snapshot.
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_column ORDER BY column_id"),
            (std::vector<std::string>{"1|1|NULL|2|1|source_id|int32|NULL|NULL|1|NULL|literal|duckdb",
                                      "2|1|NULL|2|2|target_id|int32|NULL|NULL|1|NULL|literal|duckdb"}));
  if (GetParam() == MetadataKind::kSqlite)
    EXPECT_EQ(Rows(*store_, "SELECT typeof(nulls_allowed), typeof(default_value) FROM ducklake_column LIMIT 1"),
              std::vector<std::string>{"integer|text"});
  else
    EXPECT_EQ(Rows(*store_, "SELECT pg_typeof(nulls_allowed)::text, pg_typeof(default_value)::text FROM "
                            "ducklake_column LIMIT 1"),
              std::vector<std::string>{"boolean|character varying"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_schema_versions"), std::vector<std::string>{"1|1|2"});
}

TEST_P(WriteCommit, NestedColumnsGetParentsAndAnEmptyDefaultKindOnTheParent) {
  ChangeSet changes = CreateEdges();
  ColumnInfo list = Column(3, "l", "list");
  list.children.push_back(Column(4, "element", "int32"));
  changes.created_columns[-2].push_back(list);
  CommitChangeSet(*store_, changes, 0);
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_column WHERE column_id >= 3 ORDER BY column_id"),
            (std::vector<std::string>{"3|1|NULL|2|3|l|list|NULL|NULL|1|NULL||duckdb",
                                      "4|1|NULL|2|4|element|int32|NULL|NULL|1|3|literal|duckdb"}));
}

WrittenFile DataFile(const std::string& name, int64_t rows, int64_t size, std::vector<FileColumnStats> stats) {
  WrittenFile file;
  file.name = name;
  file.record_count = rows;
  file.file_size_bytes = size;
  file.footer_size = 100;
  file.column_stats = std::move(stats);
  return file;
}

FileColumnStats Stats(int64_t column, int64_t values, int64_t nulls, std::optional<std::string> min,
                      std::optional<std::string> max) {
  FileColumnStats stats;
  stats.column_id = column;
  stats.column_size_bytes = 40;
  stats.value_count = values;
  stats.null_count = nulls;
  stats.min_value = std::move(min);
  stats.max_value = std::move(max);
  return stats;
}

TEST_P(WriteCommit, RegistersDataFilesWithRowIdsAndWidensTableStats) {
  ChangeSet create = CreateEdges();
  create.data[-2].column_types = {{1, "int32"}, {2, "int32"}};
  create.data[-2].data_files.push_back(
      DataFile("ducklake-a.parquet", 1000, 8339, {Stats(1, 1000, 0, "0", "999"), Stats(2, 1000, 0, "0", "999")}));
  CommitChangeSet(*store_, create, 0);
  EXPECT_EQ(Rows(*store_, "SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 1"),
            std::vector<std::string>{"created_schema:\"dsn\",created_table:\"dsn\".\"edges\",inserted_into_table:2"});
  EXPECT_EQ(Rows(*store_,
                 "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                 "WHERE snapshot_id = 1"),
            std::vector<std::string>{"1|1|3|1"});
  EXPECT_EQ(
      Rows(*store_, "SELECT * FROM ducklake_data_file"),
      std::vector<std::string>{"0|2|1|NULL|NULL|ducklake-a.parquet|1|parquet|1000|8339|100|0|NULL|NULL|NULL|NULL"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_file_column_stats ORDER BY column_id"),
            (std::vector<std::string>{"0|2|1|40|1000|0|0|999|NULL|NULL", "0|2|2|40|1000|0|0|999|NULL|NULL"}));
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_table_stats"), std::vector<std::string>{"2|1000|1000|8339"});

  // A later insert (after a column was added) widens the bounds of the columns that have
  // table stats; the new column gets none, as with the extension (fixture table 2, column 3).
  ChangeSet insert;
  insert.data[2].column_types = {{1, "int32"}, {2, "int32"}, {3, "float64"}};
  FileColumnStats weight = Stats(3, 1, 1, "9.0", "9.0");
  weight.contains_nan = false;
  insert.data[2].data_files.push_back(
      DataFile("ducklake-b.parquet", 2, 460, {Stats(1, 2, 0, "5000", "5001"), Stats(2, 2, 0, "1", "2"), weight}));
  CommittedSnapshot second = CommitChangeSet(*store_, insert, 1);
  EXPECT_EQ(second.id, 2);
  EXPECT_EQ(Rows(*store_,
                 "SELECT snapshot_id, schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                 "WHERE snapshot_id = 2"),
            std::vector<std::string>{"2|1|3|2"});
  EXPECT_EQ(Rows(*store_, "SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 2"),
            std::vector<std::string>{"inserted_into_table:2"});
  EXPECT_EQ(Rows(*store_,
                 "SELECT data_file_id, begin_snapshot, row_id_start FROM ducklake_data_file "
                 "WHERE data_file_id = 1"),
            std::vector<std::string>{"1|2|1000"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_table_stats"), std::vector<std::string>{"2|1002|1002|8799"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_table_column_stats ORDER BY column_id"),
            (std::vector<std::string>{"2|1|0|NULL|0|5001|NULL", "2|2|0|NULL|0|999|NULL"}));
  EXPECT_EQ(Rows(*store_, "SELECT count(*) FROM ducklake_schema_versions"), std::vector<std::string>{"1"});
}

TEST_P(WriteCommit, DeleteFilesReplaceTheDataFilesPreviousOne) {
  ChangeSet create = CreateEdges();
  create.data[-2].data_files.push_back(DataFile("ducklake-a.parquet", 10, 500, {}));
  CommitChangeSet(*store_, create, 0);
  for (SnapshotId base : {1, 2}) {
    ChangeSet deletion;
    deletion.data[2].delete_files.push_back(
        {0, DataFile("ducklake-d" + std::to_string(base) + "-delete.parquet", base, 300, {})});
    CommitChangeSet(*store_, deletion, base);
  }
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_delete_file ORDER BY delete_file_id"),
            (std::vector<std::string>{"1|2|2|3|0|ducklake-d1-delete.parquet|1|parquet|1|300|100|NULL|NULL",
                                      "2|2|3|NULL|0|ducklake-d2-delete.parquet|1|parquet|2|300|100|NULL|NULL"}));
  EXPECT_EQ(Rows(*store_, "SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 3"),
            std::vector<std::string>{"deleted_from_table:2"});
  EXPECT_EQ(Rows(*store_, "SELECT * FROM ducklake_table_stats"), std::vector<std::string>{"2|10|10|500"});
}

TEST_P(WriteCommit, DropEndsEveryRowOfTheTable) {
  ChangeSet create = CreateEdges();
  create.data[-2].data_files.push_back(DataFile("ducklake-a.parquet", 10, 500, {Stats(1, 10, 0, "1", "9")}));
  CommitChangeSet(*store_, create, 0);
  ChangeSet drop;
  drop.dropped_tables[2] = "\"dsn\".\"edges\"";
  CommittedSnapshot committed = CommitChangeSet(*store_, drop, 1);
  EXPECT_EQ(Rows(*store_, "SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 2"),
            std::vector<std::string>{"dropped_table:2"});
  EXPECT_EQ(Rows(*store_, "SELECT schema_version FROM ducklake_snapshot WHERE snapshot_id = 2"),
            std::vector<std::string>{"2"});
  for (const char* table : {"ducklake_table", "ducklake_column", "ducklake_data_file"})
    EXPECT_EQ(Rows(*store_, std::string("SELECT DISTINCT end_snapshot FROM ") + table), std::vector<std::string>{"2"})
        << table;
  EXPECT_EQ(committed.id, 2);
  EXPECT_EQ(Rows(*store_, "SELECT count(*) FROM ducklake_schema_versions"), std::vector<std::string>{"1"});
}

TEST_P(WriteCommit, CommitsOnTopOfOtherWritersWhenNothingConflicts) {
  CommitChangeSet(*store_, CreateEdges(), 0);  // snapshot 1: table 2
  ChangeSet other;
  other.new_tables.push_back({-1, 1, "dsn", "nodes", "01a21315-1490-7000-8000-000000000001", "nodes/", true, true});
  other.created_columns[-1] = {Column(1, "id", "int64")};
  ChangeSet ours;
  ours.new_tables.push_back({-1, 1, "dsn", "labels", "01a21315-1490-7000-8000-000000000002", "labels/", true, true});
  ours.created_columns[-1] = {Column(1, "id", "int64")};
  ours.data[2].data_files.push_back(DataFile("ducklake-a.parquet", 10, 500, {}));

  CommitChangeSet(*store_, other, 1);  // snapshot 2: table 3
  CommittedSnapshot committed = CommitChangeSet(*store_, ours, 1);
  EXPECT_EQ(committed.id, 3);
  EXPECT_EQ(committed.assigned_ids.at(-1), 4);  // ids re-allocated after the other commit
  EXPECT_EQ(Rows(*store_, "SELECT changes_made FROM ducklake_snapshot_changes WHERE snapshot_id = 3"),
            std::vector<std::string>{"created_table:\"dsn\".\"labels\",inserted_into_table:2"});
  EXPECT_EQ(Rows(*store_,
                 "SELECT schema_version, next_catalog_id, next_file_id FROM ducklake_snapshot "
                 "WHERE snapshot_id = 3"),
            std::vector<std::string>{"3|5|1"});
}

TEST_P(WriteCommit, RefusesConflictingCommitsWithAClearMessage) {
  CommitChangeSet(*store_, CreateEdges(), 0);
  ChangeSet drop;
  drop.dropped_tables[2] = "\"dsn\".\"edges\"";
  drop.display_names[2] = "\"dsn\".\"edges\"";
  ChangeSet insert;
  insert.data[2].data_files.push_back(DataFile("ducklake-a.parquet", 10, 500, {}));
  insert.display_names[2] = "\"dsn\".\"edges\"";
  ChangeSet same_name;
  same_name.new_tables.push_back({-1, 1, "dsn", "edges2", "01a21315-1490-7000-8000-000000000003", "edges2/", true, true});
  ChangeSet same_name_again = same_name;

  CommitChangeSet(*store_, drop, 1);
  try {
    CommitChangeSet(*store_, insert, 1);
    FAIL() << "expected a conflict";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "transaction conflict: this transaction inserts into table \"dsn\".\"edges\" but another writer "
                 "dropped it after snapshot 1, so nothing was committed");
  }
  CommitChangeSet(*store_, same_name, 2);
  EXPECT_THROW(CommitChangeSet(*store_, same_name_again, 2), Error);
  EXPECT_EQ(Rows(*store_, "SELECT max(snapshot_id) FROM ducklake_snapshot"), std::vector<std::string>{"3"});
  EXPECT_EQ(Rows(*store_, "SELECT count(*) FROM ducklake_data_file"), std::vector<std::string>{"0"});
}

INSTANTIATE_TEST_SUITE_P(Lake, WriteCommit, ::testing::Values(MetadataKind::kSqlite, MetadataKind::kPostgres),
                         MetadataKindName);

TEST(WriteSnapshotChanges, FormatsAndParsesTheFixturesVocabulary) {
  for (const char* lake : {"parquet_only", "inlined"}) {
    SqliteMetadataStore fixture(
        fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / lake / "catalog.sqlite", false);
    for (const Row& row : fixture.Query("SELECT changes_made FROM ducklake_snapshot_changes")) {
      std::string text = row.Text(0);
      SnapshotChanges parsed = SnapshotChanges::Parse(text);
      if (text.find("inlined") == std::string::npos && text.find("flush") == std::string::npos) {
        EXPECT_EQ(parsed.Format(), text);
      }
    }
  }
  SnapshotChanges changes;
  changes.created_schemas = {"we\"ird"};
  changes.created_entries = {{"s,1", "t.x", true}};
  changes.deleted_from = {3, 1};
  EXPECT_EQ(changes.Format(),
            "created_schema:\"we\"\"ird\",created_view:\"s,1\".\"t.x\",deleted_from_table:1,"
            "deleted_from_table:3");
  SnapshotChanges parsed = SnapshotChanges::Parse(changes.Format());
  EXPECT_EQ(parsed.created_schemas, changes.created_schemas);
  EXPECT_EQ(parsed.created_entries.at(0).name, "t.x");
  EXPECT_TRUE(parsed.created_entries.at(0).is_view);
  EXPECT_THROW(SnapshotChanges::Parse("exploded_table:1"), Error);
}

TEST(WriteColumnStats, ComparesValuesByType) {
  EXPECT_LT(CompareStatsValues("int64", "-5", "3"), 0);
  EXPECT_GT(CompareStatsValues("int64", "10", "9"), 0);
  EXPECT_LT(CompareStatsValues("decimal(18,3)", "-0.001", "0.000"), 0);
  EXPECT_GT(CompareStatsValues("decimal(38,2)", "100000000000000000000.5", "99999999999999999999.99"), 0);
  EXPECT_LT(CompareStatsValues("float64", "-inf", "-1e300"), 0);
  EXPECT_GT(CompareStatsValues("float32", "inf", "16.333334"), 0);
  EXPECT_LT(CompareStatsValues("varchar", "row 9", "wörld"), 0);
  EXPECT_LT(CompareStatsValues("timestamptz", "2024-02-29 12:34:56+00", "2024-02-29 12:34:56.5+00"), 0);
  EXPECT_LT(CompareStatsValues("date", "-infinity", "0001-01-01"), 0);
  EXPECT_LT(CompareStatsValues("blob", "AABB", "AB"), 0);
}

}  // namespace
}  // namespace dlctl::lake
