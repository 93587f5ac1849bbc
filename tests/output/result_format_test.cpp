#include "output/result_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "util/display_width.h"
#include "util/error.h"

namespace dlctl {
namespace {

QueryResult Sample() {
  QueryResult result;
  result.columns = {"id", "name", "score", "ok"};
  result.types = {"BIGINT", "VARCHAR", "DECIMAL(5,2)", "BOOLEAN"};
  result.rows = {{"1", "plain", "12.50", "true"},
                 {"22", "with, \"quotes\"", std::nullopt, "false"},
                 {std::nullopt, "", "-3.00", std::nullopt}};
  return result;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// A result of `columns` VARCHAR columns c0.. and `rows` rows whose values are "r<row>c<column>".
QueryResult Grid(size_t columns, size_t rows) {
  QueryResult result;
  for (size_t c = 0; c < columns; ++c) {
    result.columns.push_back("c" + std::to_string(c));
    result.types.push_back("VARCHAR");
  }
  for (size_t r = 0; r < rows; ++r) {
    auto& row = result.rows.emplace_back();
    for (size_t c = 0; c < columns; ++c) row.push_back("r" + std::to_string(r) + "c" + std::to_string(c));
  }
  return result;
}

TEST(ResultFormatTest, ParsesFormatNames) {
  EXPECT_EQ(ParseResultFormat("table"), ResultFormat::kTable);
  EXPECT_EQ(ParseResultFormat("csv"), ResultFormat::kCsv);
  EXPECT_EQ(ParseResultFormat("json"), ResultFormat::kJson);
  EXPECT_EQ(ParseResultFormat("jsonl"), ResultFormat::kJsonLines);
  EXPECT_EQ(ParseResultFormat("markdown"), ResultFormat::kMarkdown);
  EXPECT_THROW(ParseResultFormat("xml"), UsageError);
}

TEST(ResultFormatTest, TableIsBoxDrawnWithTypesAndAlignedColumns) {
  EXPECT_EQ(FormatResult(Sample(), ResultFormat::kTable),
            "┌───────┬────────────────┬──────────────┬─────────┐\n"
            "│  id   │      name      │    score     │   ok    │\n"
            "│ int64 │    varchar     │ decimal(5,2) │ boolean │\n"
            "├───────┼────────────────┼──────────────┼─────────┤\n"
            "│     1 │ plain          │        12.50 │ true    │\n"
            "│    22 │ with, \"quotes\" │         NULL │ false   │\n"
            "│  NULL │                │        -3.00 │ NULL    │\n"
            "└───────┴────────────────┴──────────────┴─────────┘\n");
}

TEST(ResultFormatTest, TableKeepsCellsOnOneLine) {
  QueryResult result{{"city"}, {"VARCHAR"}, {{"Zürich"}, {"a\nb"}}};
  EXPECT_EQ(FormatResult(result, ResultFormat::kTable),
            "┌─────────┐\n"
            "│  city   │\n"
            "│ varchar │\n"
            "├─────────┤\n"
            "│ Zürich  │\n"
            "│ a\\nb    │\n"
            "└─────────┘\n");
}

TEST(ResultFormatTest, TableCountsWideCharactersAsTwoColumns) {
  QueryResult result{{"text", "n"}, {"VARCHAR", "INTEGER"}, {{"日本語テキスト", "1"}, {"abc", "22"}, {"e\u0301t\u00e9", "3"}}};
  std::string table = FormatResult(result, ResultFormat::kTable);
  EXPECT_EQ(DisplayWidth("日本語テキスト"), 14u);
  EXPECT_EQ(DisplayWidth("e\u0301t\u00e9"), 3u);  // a combining accent takes no room
  for (const std::string& line : Lines(table)) EXPECT_EQ(DisplayWidth(line), 26u) << table;
  EXPECT_NE(table.find("│ 日本語テキスト │     1 │"), std::string::npos) << table;
  EXPECT_NE(table.find("│ abc            │    22 │"), std::string::npos) << table;
  // Cut wide text never splits a character or overshoots the column.
  QueryResult wide{{"t"}, {"VARCHAR"}, {{"日本語テキスト日本語テキスト日本語テキスト"}}};
  std::string cut = FormatResult(wide, ResultFormat::kTable, TableLimits{40, 15});
  for (const std::string& line : Lines(cut)) EXPECT_LE(DisplayWidth(line), 15u) << cut;
  EXPECT_NE(cut.find("…"), std::string::npos) << cut;
}

TEST(ResultFormatTest, TableFitsTheWidthByCuttingValuesAndLeavingOutMiddleColumns) {
  QueryResult result = Grid(30, 3);
  result.rows[1][0] = std::string(300, 'x');
  std::string table = FormatResult(result, ResultFormat::kTable, TableLimits{40, 80});
  std::vector<std::string> lines = Lines(table);
  for (const std::string& line : lines) EXPECT_LE(DisplayWidth(line), 80u) << table;
  EXPECT_EQ(DisplayWidth(lines[0]), 80u) << table;  // the room left is used
  EXPECT_NE(lines[1].find(" c0 "), std::string::npos) << table;   // first and last columns stay
  EXPECT_NE(lines[1].find(" c29 "), std::string::npos) << table;
  EXPECT_NE(lines[1].find(" … "), std::string::npos) << table;    // where columns were left out
  EXPECT_EQ(table.find(std::string(30, 'x')), std::string::npos) << table;  // the long value is cut
  EXPECT_NE(table.find("xxxxxxx… │"), std::string::npos) << table;
  EXPECT_NE(lines[lines.size() - 2].find("3 rows"), std::string::npos) << table;
  EXPECT_NE(lines[lines.size() - 2].find("30 columns ("), std::string::npos) << table;

  // Without a limit (not a terminal) every column and the whole value are drawn.
  std::string unlimited = FormatResult(result, ResultFormat::kTable, TableLimits{40, 0});
  EXPECT_NE(unlimited.find(std::string(300, 'x')), std::string::npos);
  EXPECT_NE(unlimited.find(" c15 "), std::string::npos);
  EXPECT_EQ(unlimited.find("columns ("), std::string::npos);
}

TEST(ResultFormatTest, TableShowsTheFirstAndLastRowsOfALongResult) {
  QueryResult result{{"i"}, {"BIGINT"}, {}};
  for (int i = 0; i < 100000; ++i) result.rows.push_back({std::to_string(i)});
  std::string table = FormatResult(result, ResultFormat::kTable, TableLimits{10, 0});
  std::vector<std::string> lines = Lines(table);
  // Box top, name, type, rule, 5 rows, 3 dot rows, 5 rows, rule, 2 footer lines, bottom; the
  // column widens for the footer's "100000 rows".
  ASSERT_EQ(lines.size(), 21u) << table;
  EXPECT_EQ(lines[4], "│           0 │");
  EXPECT_EQ(lines[8], "│           4 │");
  EXPECT_EQ(lines[9], "│           · │");
  EXPECT_EQ(lines[12], "│       99995 │");
  EXPECT_EQ(lines[16], "│       99999 │");
  EXPECT_EQ(lines[18], "│ 100000 rows │");
  EXPECT_NE(table.find("100000 rows"), std::string::npos) << table;
  EXPECT_NE(table.find("(10 shown)"), std::string::npos) << table;
  for (const std::string& line : lines) EXPECT_EQ(DisplayWidth(line), DisplayWidth(lines[0])) << table;
  // --max-rows 0: every row.
  EXPECT_EQ(Lines(FormatResult(result, ResultFormat::kTable, TableLimits{0, 0})).size(), 100005u);
}

TEST(ResultFormatTest, TableWithoutRowsShowsTheHeader) {
  QueryResult result{{"x"}, {"INTEGER"}, {}};
  EXPECT_EQ(FormatResult(result, ResultFormat::kTable), "┌───────┐\n│   x   │\n│ int32 │\n├───────┤\n└───────┘\n");
}

TEST(ResultFormatTest, ExplainPrintsThePlanAsDrawn) {
  std::string plan =
      "┌───────────────────────────┐\n"
      "│         PROJECTION        │\n"
      "└─────────────┬─────────────┘\n"
      "┌─────────────┴─────────────┐\n"
      "│         DUMMY_SCAN        │\n"
      "└───────────────────────────┘\n";
  QueryResult explain{{"explain_key", "explain_value"}, {"VARCHAR", "VARCHAR"}, {{"physical_plan", plan}}};
  std::string out = FormatResult(explain, ResultFormat::kTable);
  EXPECT_NE(out.find("Physical Plan"), std::string::npos) << out;
  EXPECT_NE(out.find(plan), std::string::npos) << out;
  EXPECT_EQ(out.find("\\n"), std::string::npos) << out;
}

TEST(ResultFormatTest, TypeNamesAreShortLikeDuckDbs) {
  EXPECT_EQ(TableTypeName("BIGINT"), "int64");
  EXPECT_EQ(TableTypeName("INTEGER[]"), "int32[]");
  EXPECT_EQ(TableTypeName("UTINYINT"), "uint8");
  EXPECT_EQ(TableTypeName("DECIMAL(18,3)"), "decimal(18,3)");
  EXPECT_EQ(TableTypeName("STRUCT(a INTEGER)"), "struct(a integer)");
}

TEST(ResultFormatTest, CsvQuotesLikeRfc4180AndLeavesNullEmpty) {
  EXPECT_EQ(FormatResult(Sample(), ResultFormat::kCsv),
            "id,name,score,ok\n"
            "1,plain,12.50,true\n"
            "22,\"with, \"\"quotes\"\"\",,false\n"
            ",\"\",-3.00,\n");
  QueryResult lines{{"text"}, {"VARCHAR"}, {{"two\nlines"}, {"cr\r"}}};
  EXPECT_EQ(FormatResult(lines, ResultFormat::kCsv), "text\n\"two\nlines\"\n\"cr\r\"\n");
}

TEST(ResultFormatTest, JsonUsesProperTypesAndKeepsColumnOrder) {
  std::string text = FormatResult(Sample(), ResultFormat::kJson);
  EXPECT_EQ(text,
            "[\n"
            "  {\"id\": 1, \"name\": \"plain\", \"score\": 12.50, \"ok\": true},\n"
            "  {\"id\": 22, \"name\": \"with, \\\"quotes\\\"\", \"score\": null, \"ok\": false},\n"
            "  {\"id\": null, \"name\": \"\", \"score\": -3.00, \"ok\": null}\n"
            "]\n");
  auto parsed = nlohmann::json::parse(text);
  EXPECT_TRUE(parsed[0]["id"].is_number_integer());
  EXPECT_TRUE(parsed[0]["score"].is_number_float());
  EXPECT_TRUE(parsed[1]["ok"].is_boolean());
  EXPECT_TRUE(parsed[2]["id"].is_null());
}

TEST(ResultFormatTest, JsonKeepsHugeNumbersExactAndNonFiniteAsNull) {
  QueryResult result{{"big", "d", "when", "doc"},
                     {"HUGEINT", "DOUBLE", "DATE", "JSON"},
                     {{"170141183460469231731687303715884105727", "inf", "2024-01-31", "{\"a\":[1,2]}"},
                      {"1", "nan", "2024-02-01", "[1, 2]"}}};
  EXPECT_EQ(FormatResult(result, ResultFormat::kJson),
            "[\n  {\"big\": 170141183460469231731687303715884105727, \"d\": null, \"when\": \"2024-01-31\", "
            "\"doc\": {\"a\":[1,2]}},\n"
            "  {\"big\": 1, \"d\": null, \"when\": \"2024-02-01\", \"doc\": [1,2]}\n]\n");
  EXPECT_NO_THROW(nlohmann::json::parse(FormatResult(result, ResultFormat::kJson)));
}

TEST(ResultFormatTest, JsonTakesTheProducersValuesAndMakesNamesUnique) {
  QueryResult result{{"a", "a", "A", "a_1"}, {"INTEGER[]", "INTEGER", "INTEGER", "INTEGER"},
                     {{"[1, 2]", "2", "3", "4"}}};
  result.json = {{"[1,2]", "2", "3", "4"}};
  // As DuckDB: the second a is a_1, A (case does not count) A_2, and the a_1 that was there a_1_1.
  EXPECT_EQ(FormatResult(result, ResultFormat::kJson),
            "[\n  {\"a\": [1,2], \"a_1\": 2, \"A_2\": 3, \"a_1_1\": 4}\n]\n");
}

TEST(ResultFormatTest, JsonLinesIsOneObjectPerLine) {
  EXPECT_EQ(FormatResult(Sample(), ResultFormat::kJsonLines),
            "{\"id\": 1, \"name\": \"plain\", \"score\": 12.50, \"ok\": true}\n"
            "{\"id\": 22, \"name\": \"with, \\\"quotes\\\"\", \"score\": null, \"ok\": false}\n"
            "{\"id\": null, \"name\": \"\", \"score\": -3.00, \"ok\": null}\n");
  EXPECT_EQ(FormatResult(QueryResult{{"x"}, {"INTEGER"}, {}}, ResultFormat::kJsonLines), "");
}

TEST(ResultFormatTest, MarkdownIsAGithubTable) {
  QueryResult result{{"n", "text"}, {"INTEGER", "VARCHAR"}, {{"1", "a|b"}, {std::nullopt, "two\nlines"}}};
  EXPECT_EQ(FormatResult(result, ResultFormat::kMarkdown),
            "| n | text |\n"
            "|---:|---|\n"
            "| 1 | a\\|b |\n"
            "| NULL | two<br>lines |\n");
}

TEST(ResultFormatTest, JsonReplacesInvalidUtf8AndPrintsEmptyArrays) {
  QueryResult bad{{"b"}, {"VARCHAR"}, {{std::string("ok\xff")}}};
  EXPECT_EQ(FormatResult(bad, ResultFormat::kJson), "[\n  {\"b\": \"ok\xEF\xBF\xBD\"}\n]\n");
  EXPECT_EQ(FormatResult(QueryResult{{"x"}, {"INTEGER"}, {}}, ResultFormat::kJson), "[]\n");
}

TEST(ResultFormatTest, NoColumnsPrintNothing) {
  for (auto format : {ResultFormat::kTable, ResultFormat::kCsv, ResultFormat::kJson, ResultFormat::kJsonLines,
                      ResultFormat::kMarkdown})
    EXPECT_EQ(FormatResult(QueryResult{}, format), "");
}

}  // namespace
}  // namespace dlctl
