// Parquet data and delete files as DuckLake writes them, on the local default and on S3.
#include "lake/copy_statistics.h"
#include "lake/data_file_writer.h"
#include "lake/types.h"
#include "util/error.h"
#include "write_lake_fixture.h"

namespace dlctl::lake {
namespace {

// Columns with ids in the extension's order (depth first), from DuckDB types.
std::vector<ColumnInfo> Columns(const std::vector<std::pair<std::string, std::string>>& definitions) {
  std::vector<ColumnInfo> columns;
  int64_t next_id = 1;
  std::function<void(ColumnInfo&)> number = [&](ColumnInfo& column) {
    column.column_id = column.column_order = next_id++;
    for (auto& child : column.children) number(child);
  };
  for (const auto& [name, type] : definitions) {
    columns.push_back(ColumnFromDuckDBType(name, type));
    number(columns.back());
  }
  return columns;
}

using WriteDataFiles_ = WriteLakeTest;

TEST_P(WriteDataFiles_, WritesFieldIdsStatsAndSizesLikeTheExtension) {
  // The first rows of fixtures/ducklake/parquet_only main.types.
  auto columns = Columns({{"id", "INTEGER"},
                          {"b", "BOOLEAN"},
                          {"f", "FLOAT"},
                          {"d", "DOUBLE"},
                          {"dec", "DECIMAL(18,3)"},
                          {"s", "VARCHAR"},
                          {"tstz", "TIMESTAMP WITH TIME ZONE"},
                          {"bl", "BLOB"},
                          {"l", "INTEGER[]"},
                          {"st", "STRUCT(a INTEGER, b VARCHAR)"},
                          {"m", "MAP(VARCHAR, INTEGER)"}});
  std::string query = R"(SELECT * FROM (VALUES
    (1, true, 1.5::FLOAT, 2.25::DOUBLE, 12345.678::DECIMAL(18,3), 'hello', TIMESTAMPTZ '2024-02-29 12:34:56+00',
     '\xAA\xBB'::BLOB, [1,2,3], {'a': 1, 'b': 'x'}, MAP {'k1': 1, 'k2': 2}),
    (2, false, NULL, 'nan'::DOUBLE, NULL, 'wörld ''quoted''', NULL, NULL, [], {'a': NULL, 'b': NULL}, MAP {}),
    (3, NULL, 'inf'::FLOAT, -0.0, -0.001, '', NULL, ''::BLOB, NULL, NULL, NULL)) t(id, b, f, d, dec, s, tstz, bl, l, st, m))";
  std::string folder = data_path_ + "main/types/";
  auto files = WriteDataFiles(*engine_, query, folder, columns, false, {});
  ASSERT_EQ(files.size(), 1u);
  const WrittenFile& file = files[0];
  EXPECT_EQ(file.uri, folder + file.name);
  EXPECT_TRUE(file.name.rfind("ducklake-", 0) == 0 && file.name.size() == 9 + 36 + 8) << file.name;
  EXPECT_EQ(file.record_count, 3);
  EXPECT_EQ(Rows("SELECT file_size_bytes, footer_size FROM parquet_file_metadata('" + file.uri + "')"),
            Lines{std::to_string(file.file_size_bytes) + "|" + std::to_string(file.footer_size)});
  EXPECT_EQ(Rows("SELECT name, field_id FROM parquet_schema('" + file.uri + "') WHERE field_id IS NOT NULL"),
            (Lines{"id|1", "b|2", "f|3", "d|4", "dec|5", "s|6", "tstz|7", "bl|8", "l|9", "element|10", "st|11", "a|12",
                   "b|13", "m|14", "key|15", "value|16"}));

  // id, min, max, values, nulls, nan: as the fixture's file 1 has them where DuckDB 1.4 reports
  // them (no element counts inside lists and maps).
  std::vector<std::string> stats;
  for (const auto& s : file.column_stats)
    stats.push_back(std::to_string(s.column_id) + "|" + s.min_value.value_or("NULL") + "|" +
                    s.max_value.value_or("NULL") + "|" + (s.value_count ? std::to_string(*s.value_count) : "NULL") +
                    "|" + (s.null_count ? std::to_string(*s.null_count) : "NULL") + "|" +
                    (s.contains_nan ? (*s.contains_nan ? "1" : "0") : "NULL"));
  EXPECT_EQ(stats, (Lines{"1|1|3|3|0|NULL", "2|0|1|2|1|NULL", "3|1.5|inf|2|1|0", "4|0.0|2.25|3|0|1",
                          "5|-0.001|12345.678|2|1|NULL", "6||wörld 'quoted'|3|0|NULL",
                          "7|2024-02-29 12:34:56+00|2024-02-29 12:34:56+00|1|2|NULL", "8||AABB|2|1|NULL",
                          "10|1|3|NULL|NULL|NULL", "12|1|1|1|2|NULL", "13|x|x|1|2|NULL", "15|k1|k2|NULL|NULL|NULL",
                          "16|1|2|NULL|NULL|NULL"}));
  for (const auto& s : file.column_stats) EXPECT_GT(s.column_size_bytes.value_or(0), 0) << s.column_id;
}

TEST_P(WriteDataFiles_, SplitsLargeResultsAtTheTargetSize) {
  auto columns = Columns({{"i", "BIGINT"}, {"s", "VARCHAR"}});
  auto files = WriteDataFiles(*engine_, "SELECT i, md5(i::VARCHAR) AS s FROM range(600000) t(i)",
                              data_path_ + "main/big/", columns, false, {.target_file_size = 4 * 1024 * 1024});
  ASSERT_GE(files.size(), 3u);
  int64_t rows = 0;
  std::set<std::string> names;
  for (const auto& file : files) {
    rows += file.record_count;
    names.insert(file.name);
    EXPECT_LT(file.file_size_bytes, 8 * 1024 * 1024);
  }
  EXPECT_EQ(rows, 600000);
  EXPECT_EQ(names.size(), files.size());
  EXPECT_EQ(Rows("SELECT count(*), count(DISTINCT i) FROM read_parquet('" + data_path_ + "main/big/*.parquet')"),
            Lines{"600000|600000"});
  auto empty = WriteDataFiles(*engine_, "SELECT 1::BIGINT AS i, 'x' AS s WHERE false", data_path_ + "main/empty/",
                              columns, false, {});
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].record_count, 0);
}

TEST_P(WriteDataFiles_, WritesRowIdsAndDeleteFiles) {
  auto columns = Columns({{"v", "VARCHAR"}});
  auto files = WriteDataFiles(*engine_, "SELECT 'x' AS v, 41::BIGINT AS _ducklake_internal_row_id",
                              data_path_ + "main/t/", columns, true, {});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(Rows("SELECT name, field_id FROM parquet_schema('" + files[0].uri + "') WHERE field_id IS NOT NULL"),
            (Lines{"v|1", "_ducklake_internal_row_id|2147483540"}));
  EXPECT_EQ(files[0].column_stats.size(), 1u);

  WrittenFile deletes = WriteDeleteFile(*engine_, "SELECT * FROM (VALUES (7), (2), (5)) t(pos)",
                                        data_path_ + "main/t/data.parquet", data_path_ + "main/t/");
  EXPECT_EQ(deletes.record_count, 3);
  EXPECT_TRUE(deletes.name.size() > 16 && deletes.name.substr(deletes.name.size() - 15) == "-delete.parquet");
  EXPECT_EQ(Rows("SELECT file_path, pos FROM read_parquet('" + deletes.uri + "')"),
            (Lines{data_path_ + "main/t/data.parquet|2", data_path_ + "main/t/data.parquet|5",
                   data_path_ + "main/t/data.parquet|7"}));
  EXPECT_EQ(Rows("SELECT name, type, field_id FROM parquet_schema('" + deletes.uri + "') WHERE field_id IS NOT NULL"),
            (Lines{"file_path|BYTE_ARRAY|2147483646", "pos|INT64|2147483645"}));
}

INSTANTIATE_TEST_SUITE_P(Write, WriteDataFiles_, ::testing::ValuesIn(AllLakeSetups()), LakeSetupName);

TEST(WriteCopyStatistics, ParsesTheEnginesRendering) {
  auto stats = ParseCopyStatistics(
      "{'\"a.b\"'={column_size_bytes=60, max='{z}', min=back\\slash, null_count=0}, '\"bo\"'={column_size_bytes=31}, "
      "'\"it\\'s\"'={max='a\\\\\\'b', min='', null_count=1}}");
  EXPECT_EQ(stats.size(), 3u);
  EXPECT_EQ(stats["\"a.b\""]["max"], "{z}");
  EXPECT_EQ(stats["\"a.b\""]["min"], "back\\slash");
  EXPECT_EQ(stats["\"it's\""]["max"], "a\\'b");
  EXPECT_EQ(stats["\"it's\""]["min"], "");
  EXPECT_EQ(stats["\"bo\""].size(), 1u);
  EXPECT_TRUE(ParseCopyStatistics("{}").empty());
  EXPECT_THROW(ParseCopyStatistics("{'x'=1}"), Error);
}

}  // namespace
}  // namespace dlctl::lake
