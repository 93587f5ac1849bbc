#include "engine/result_format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

TEST(ResultFormatTest, ParsesFormatNames) {
  EXPECT_EQ(ParseResultFormat("table"), ResultFormat::kTable);
  EXPECT_EQ(ParseResultFormat("csv"), ResultFormat::kCsv);
  EXPECT_EQ(ParseResultFormat("json"), ResultFormat::kJson);
  EXPECT_THROW(ParseResultFormat("xml"), UsageError);
}

TEST(ResultFormatTest, TableIsBoxDrawnWithTypesAndAlignedColumns) {
  EXPECT_EQ(FormatResult(Sample(), ResultFormat::kTable),
            "┌────────┬────────────────┬──────────────┬─────────┐\n"
            "│   id   │      name      │    score     │   ok    │\n"
            "│ bigint │    varchar     │ decimal(5,2) │ boolean │\n"
            "├────────┼────────────────┼──────────────┼─────────┤\n"
            "│      1 │ plain          │        12.50 │ true    │\n"
            "│     22 │ with, \"quotes\" │         NULL │ false   │\n"
            "│   NULL │                │        -3.00 │ NULL    │\n"
            "└────────┴────────────────┴──────────────┴─────────┘\n");
}

TEST(ResultFormatTest, TableMeasuresUtf8ByCharactersAndKeepsCellsOnOneLine) {
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

TEST(ResultFormatTest, TableWithoutRowsShowsTheHeader) {
  QueryResult result{{"x"}, {"INTEGER"}, {}};
  EXPECT_EQ(FormatResult(result, ResultFormat::kTable),
            "┌─────────┐\n│    x    │\n│ integer │\n├─────────┤\n└─────────┘\n");
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

TEST(ResultFormatTest, JsonKeepsHugeNumbersExactAndNonFiniteAsStrings) {
  QueryResult result{{"big", "d", "when", "doc"},
                     {"HUGEINT", "DOUBLE", "DATE", "JSON"},
                     {{"170141183460469231731687303715884105727", "inf", "2024-01-31", "{\"a\":[1,2]}"}}};
  EXPECT_EQ(FormatResult(result, ResultFormat::kJson),
            "[\n  {\"big\": 170141183460469231731687303715884105727, \"d\": \"inf\", \"when\": \"2024-01-31\", "
            "\"doc\": {\"a\":[1,2]}}\n]\n");
  EXPECT_NO_THROW(nlohmann::json::parse(FormatResult(result, ResultFormat::kJson)));
}

TEST(ResultFormatTest, JsonReplacesInvalidUtf8AndPrintsEmptyArrays) {
  QueryResult bad{{"b"}, {"VARCHAR"}, {{std::string("ok\xff")}}};
  EXPECT_EQ(FormatResult(bad, ResultFormat::kJson), "[\n  {\"b\": \"ok\xEF\xBF\xBD\"}\n]\n");
  EXPECT_EQ(FormatResult(QueryResult{{"x"}, {"INTEGER"}, {}}, ResultFormat::kJson), "[]\n");
}

TEST(ResultFormatTest, NoColumnsPrintNothing) {
  for (auto format : {ResultFormat::kTable, ResultFormat::kCsv, ResultFormat::kJson})
    EXPECT_EQ(FormatResult(QueryResult{}, format), "");
}

}  // namespace
}  // namespace dlctl
