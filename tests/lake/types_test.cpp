#include "lake/catalog/types.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace dlctl::lake {
namespace {

ColumnInfo Column(const std::string& name, const std::string& type, std::vector<ColumnInfo> children = {}) {
  ColumnInfo column;
  column.name = name;
  column.type = type;
  column.children = std::move(children);
  return column;
}

TEST(LakeTypes, EveryBaseTypeOfTheSpecHasItsDuckDBType) {
  const std::pair<const char*, const char*> pairs[] = {
      {"boolean", "BOOLEAN"},
      {"int8", "TINYINT"},
      {"int16", "SMALLINT"},
      {"int32", "INTEGER"},
      {"int64", "BIGINT"},
      {"int128", "HUGEINT"},
      {"uint8", "UTINYINT"},
      {"uint16", "USMALLINT"},
      {"uint32", "UINTEGER"},
      {"uint64", "UBIGINT"},
      {"uint128", "UHUGEINT"},
      {"float32", "FLOAT"},
      {"float64", "DOUBLE"},
      {"time", "TIME"},
      {"timetz", "TIME WITH TIME ZONE"},
      {"date", "DATE"},
      {"timestamp", "TIMESTAMP"},
      {"timestamptz", "TIMESTAMP WITH TIME ZONE"},
      {"timestamp_s", "TIMESTAMP_S"},
      {"timestamp_ms", "TIMESTAMP_MS"},
      {"timestamp_ns", "TIMESTAMP_NS"},
      {"interval", "INTERVAL"},
      {"varchar", "VARCHAR"},
      {"blob", "BLOB"},
      {"json", "JSON"},
      {"uuid", "UUID"},
      {"decimal(18,3)", "DECIMAL(18,3)"},
  };
  for (const auto& [lake, duckdb] : pairs) {
    EXPECT_EQ(DuckDBType(Column("c", lake)), duckdb) << lake;
    ColumnInfo back = ColumnFromDuckDBType("c", duckdb);
    EXPECT_EQ(back.type, lake) << duckdb;
    EXPECT_TRUE(back.children.empty());
  }
}

TEST(LakeTypes, NestedTypesComeFromChildColumns) {
  ColumnInfo list = Column("l", "list", {Column("element", "int32")});
  ColumnInfo map = Column("m", "map", {Column("key", "varchar"), Column("value", "int32")});
  ColumnInfo record = Column("st", "struct", {Column("a", "int32"), Column("b \"quoted\"", "varchar"), list});
  EXPECT_EQ(DuckDBType(list), "INTEGER[]");
  EXPECT_EQ(DuckDBType(map), "MAP(VARCHAR, INTEGER)");
  EXPECT_EQ(DuckDBType(record), "STRUCT(\"a\" INTEGER, \"b \"\"quoted\"\"\" VARCHAR, \"l\" INTEGER[])");
  EXPECT_EQ(DuckDBType(Column("ll", "list", {list})), "INTEGER[][]");
}

TEST(LakeTypes, DuckDBTypesBecomeColumnTrees) {
  ColumnInfo column = ColumnFromDuckDBType(
      "st", "STRUCT(a INTEGER, \"b c\" MAP(VARCHAR, DECIMAL(10, 2)[]), t TIMESTAMP WITH TIME ZONE)[]");
  ASSERT_EQ(column.type, "list");
  EXPECT_EQ(column.name, "st");
  ASSERT_EQ(column.children.size(), 1u);
  const ColumnInfo& record = column.children[0];
  EXPECT_EQ(record.name, "element");
  ASSERT_EQ(record.type, "struct");
  ASSERT_EQ(record.children.size(), 3u);
  EXPECT_EQ(record.children[0].name, "a");
  EXPECT_EQ(record.children[0].type, "int32");
  EXPECT_EQ(record.children[1].name, "b c");
  ASSERT_EQ(record.children[1].type, "map");
  EXPECT_EQ(record.children[1].children[0].name, "key");
  EXPECT_EQ(record.children[1].children[0].type, "varchar");
  EXPECT_EQ(record.children[1].children[1].name, "value");
  EXPECT_EQ(record.children[1].children[1].type, "list");
  EXPECT_EQ(record.children[1].children[1].children[0].type, "decimal(10,2)");
  EXPECT_EQ(record.children[2].type, "timestamptz");
  // And back: the same DuckDB type, spelled canonically.
  EXPECT_EQ(DuckDBType(column),
            "STRUCT(\"a\" INTEGER, \"b c\" MAP(VARCHAR, DECIMAL(10,2)[]), \"t\" TIMESTAMP WITH TIME ZONE)[]");
}

TEST(LakeTypes, CommonAliasesAreAccepted) {
  EXPECT_EQ(ColumnFromDuckDBType("c", "int").type, "int32");
  EXPECT_EQ(ColumnFromDuckDBType("c", "TEXT").type, "varchar");
  EXPECT_EQ(ColumnFromDuckDBType("c", "varchar(20)").type, "varchar");
  EXPECT_EQ(ColumnFromDuckDBType("c", "TIMESTAMPTZ").type, "timestamptz");
  EXPECT_EQ(ColumnFromDuckDBType("c", "DECIMAL").type, "decimal(18,3)");
  EXPECT_EQ(ColumnFromDuckDBType("c", "NUMERIC(5)").type, "decimal(5,0)");
  EXPECT_EQ(DuckDBType(Column("c", "timestamp_us")), "TIMESTAMP");
}

TEST(LakeTypes, UnsupportedTypesAreErrorsNamingTheColumnOrType) {
  EXPECT_THROW(ColumnFromDuckDBType("c", "INTEGER[3]"), Error);
  EXPECT_THROW(ColumnFromDuckDBType("c", "UNION(a INTEGER, b VARCHAR)"), Error);
  EXPECT_THROW(ColumnFromDuckDBType("c", "STRUCT(a INTEGER"), Error);
  EXPECT_THROW(ColumnFromDuckDBType("c", "ENUM('a', 'b')"), Error);
  try {
    DuckDBType(Column("shape", "geometry"));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shape"), std::string::npos) << e.what();
  }
  EXPECT_THROW(DuckDBType(Column("v", "variant")), Error);
  EXPECT_THROW(DuckDBType(Column("x", "nonsense")), Error);
  EXPECT_THROW(DuckDBType(Column("l", "list")), Error);  // no element child
}

}  // namespace
}  // namespace dlctl::lake
