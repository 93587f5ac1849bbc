// What dlctl prints for rows, as a user sees it: JSON with real types for every DuckDB type
// family, tables fitted to the terminal (pseudo-terminals here), EXPLAIN plans, the --format
// choices of every listing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "util/display_width.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

using testing::CommandOptions;
using testing::CommandResult;
using testing::RunDlctl;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

class OutputCli : public ::testing::Test {
 protected:
  CommandResult Query(std::vector<std::string> args, CommandOptions options = {}) {
    options.cwd = dir_.path();
    args.insert(args.begin(), "query");
    return RunDlctl(args, options);
  }
  testing::TempDir dir_;
};

TEST_F(OutputCli, JsonHasTheRealTypeOfEveryDuckDbTypeFamily) {
  const std::string sql =
      "SELECT true AS b, -8::TINYINT AS i8, 170141183460469231731687303715884105727::HUGEINT AS huge, "
      "18446744073709551615::UBIGINT AS ubig, 12345678901234567890123::BIGNUM AS bignum, 1.5::FLOAT AS f, "
      "0.1::DOUBLE AS d, 'nan'::DOUBLE AS nan, '-inf'::FLOAT AS inf, 123.450::DECIMAL(10,3) AS dec, "
      "'say \"hi\"' AS s, '\\xAA\\x00abc'::BLOB AS blob, DATE '2024-01-31' AS day, TIME '12:34:56' AS t, "
      "TIMESTAMP '2024-01-31 12:34:56.789' AS ts, TIMESTAMPTZ '2024-01-31 12:00:00+00' AS tstz, "
      "INTERVAL 26 HOURS AS iv, '6ba7b810-9dad-11d1-80b4-00c04fd430c8'::UUID AS u, 'b'::ENUM('a', 'b') AS e, "
      "'0101'::BIT AS bits, [1, 2, NULL] AS l, ['a', 'b c', 'it''s'] AS ls, [1.5, 2.5]::FLOAT[2] AS arr, "
      "{'a': 1, 'b': 'x', 'c': [1]} AS st, MAP {'k': 1} AS m, MAP {1: 'one'} AS m2, "
      "union_value(num := 2)::UNION(num INTEGER, str VARCHAR) AS un, '{\"j\": [1, {\"k\": null}]}'::JSON AS j, "
      "[{'x': [MAP {'deep': 1.5}]}] AS nested, 1 AS dup, 2 AS dup, NULL AS nothing, '日本語' AS wide";
  CommandOptions tokyo;
  tokyo.env = {{"TZ", "Asia/Tokyo"}};
  CommandResult r = Query({"--format", "json", sql}, tokyo);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json row = nlohmann::json::parse(r.out).at(0);
  EXPECT_EQ(row["b"], true);
  EXPECT_EQ(row["i8"], -8);
  // Every digit kept: the JSON text holds the number exactly.
  EXPECT_NE(r.out.find("\"huge\": 170141183460469231731687303715884105727,"), std::string::npos) << r.out;
  EXPECT_EQ(row["ubig"], 18446744073709551615ull);
  EXPECT_NE(r.out.find("\"bignum\": 12345678901234567890123,"), std::string::npos) << r.out;
  EXPECT_EQ(row["f"], 1.5);
  EXPECT_EQ(row["d"], 0.1);  // the shortest text that reads back as the same double
  EXPECT_TRUE(row["nan"].is_null());
  EXPECT_TRUE(row["inf"].is_null());
  EXPECT_NE(r.out.find("\"dec\": 123.450,"), std::string::npos) << r.out;
  EXPECT_EQ(row["s"], "say \"hi\"");
  EXPECT_EQ(row["blob"], "qgBhYmM=");  // base64 of AA 00 61 62 63
  EXPECT_EQ(row["day"], "2024-01-31");
  EXPECT_EQ(row["t"], "12:34:56");
  EXPECT_EQ(row["ts"], "2024-01-31 12:34:56.789");
  EXPECT_EQ(row["tstz"], "2024-01-31 21:00:00+09");  // in the process's time zone, as DuckDB's CLI shows it
  EXPECT_EQ(row["iv"], "26:00:00");
  EXPECT_EQ(row["u"], "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  EXPECT_EQ(row["e"], "b");
  EXPECT_EQ(row["bits"], "0101");
  EXPECT_EQ(row["l"], nlohmann::json::parse("[1, 2, null]"));
  EXPECT_EQ(row["ls"], nlohmann::json::parse(R"(["a", "b c", "it's"])"));
  EXPECT_EQ(row["arr"], nlohmann::json::parse("[1.5, 2.5]"));
  EXPECT_EQ(row["st"], nlohmann::json::parse(R"({"a": 1, "b": "x", "c": [1]})"));
  EXPECT_NE(r.out.find(R"("st": {"a":1,"b":"x","c":[1]})"), std::string::npos) << "struct fields keep their order";
  EXPECT_EQ(row["m"], nlohmann::json::parse(R"({"k": 1})"));
  EXPECT_EQ(row["m2"], nlohmann::json::parse(R"([{"key": 1, "value": "one"}])"));
  EXPECT_EQ(row["un"], 2);
  EXPECT_EQ(row["j"], nlohmann::json::parse(R"({"j": [1, {"k": null}]})"));
  EXPECT_EQ(row["nested"], nlohmann::json::parse(R"([{"x": [{"deep": 1.5}]}])"));
  EXPECT_EQ(row["dup"], 1);
  EXPECT_EQ(row["dup_1"], 2);
  EXPECT_TRUE(row["nothing"].is_null());
  EXPECT_EQ(row["wide"], "日本語");

  // --json is --format json; jsonl is the same objects one per line.
  CommandResult alias = Query({"--json", sql}, tokyo);
  ASSERT_EQ(alias.exit_code, 0) << alias.err;
  EXPECT_EQ(alias.out, r.out);
  CommandResult lines = Query({"--format", "jsonl", sql + " UNION ALL " + sql}, tokyo);
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  ASSERT_EQ(Lines(lines.out).size(), 2u) << lines.out;
  EXPECT_EQ(nlohmann::json::parse(Lines(lines.out)[1]), row);
  // The table shows the time zone too.
  CommandResult table = Query({"SELECT TIMESTAMPTZ '2024-01-31 12:00:00+00' AS tstz"}, tokyo);
  EXPECT_NE(table.out.find("2024-01-31 21:00:00+09"), std::string::npos) << table.out;
}

TEST_F(OutputCli, TablesFitTheTerminalAndPipesGetEverything) {
  std::string columns;
  for (int c = 0; c < 30; ++c) columns += (c ? ", " : "") + std::string("'value number ") + std::to_string(c) + "' AS column_" + std::to_string(c);
  std::string sql = "SELECT " + columns + ", repeat('x', 300) AS long_text FROM range(3)";
  CommandOptions terminal;
  terminal.stdout_is_terminal = true;
  terminal.terminal_columns = 80;
  CommandResult fitted = Query({sql}, terminal);
  ASSERT_EQ(fitted.exit_code, 0) << fitted.err;
  for (const std::string& line : Lines(fitted.out)) EXPECT_LE(DisplayWidth(line), 80u) << fitted.out;
  EXPECT_NE(fitted.out.find("31 columns ("), std::string::npos) << fitted.out;
  EXPECT_EQ(fitted.out.find(std::string(30, 'x')), std::string::npos) << fitted.out;

  CommandResult narrow = Query({"--max-width", "50", sql}, terminal);
  for (const std::string& line : Lines(narrow.out)) EXPECT_LE(DisplayWidth(line), 50u) << narrow.out;

  CommandResult piped = Query({sql});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_NE(piped.out.find(std::string(300, 'x')), std::string::npos);
  EXPECT_NE(piped.out.find("column_15"), std::string::npos);

  CommandResult many = Query({"SELECT range AS i FROM range(100000)"});
  ASSERT_EQ(many.exit_code, 0) << many.err;
  EXPECT_LT(Lines(many.out).size(), 60u);
  EXPECT_NE(many.out.find("100000 rows"), std::string::npos) << many.out;
  EXPECT_NE(many.out.find("(40 shown)"), std::string::npos) << many.out;
  EXPECT_NE(many.out.find(" 99999 │\n"), std::string::npos) << many.out;
  CommandResult ten = Query({"--max-rows", "10", "SELECT range AS i FROM range(100000)"});
  EXPECT_NE(ten.out.find("(10 shown)"), std::string::npos) << ten.out;
  CommandResult all = Query({"--max-rows", "0", "SELECT range AS i FROM range(1000)"});
  EXPECT_EQ(Lines(all.out).size(), 1005u);
}

TEST_F(OutputCli, WideCharactersKeepTheBoxStraight) {
  CommandResult r = Query({"SELECT '日本語テキスト' AS text, 1 AS n UNION ALL SELECT 'abc', 22"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_GE(lines.size(), 6u) << r.out;
  for (const std::string& line : lines) EXPECT_EQ(DisplayWidth(line), DisplayWidth(lines[0])) << r.out;
}

TEST_F(OutputCli, ExplainPrintsThePlan) {
  CommandResult r = Query({"EXPLAIN SELECT 42 AS answer"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Physical Plan"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PROJECTION"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\\n"), std::string::npos) << r.out;
  EXPECT_GT(Lines(r.out).size(), 8u) << r.out;
}

TEST_F(OutputCli, CsvAndMarkdown) {
  CommandResult csv = Query({"-f", "csv", "SELECT 1 AS n, 'a,b' AS t"});
  EXPECT_EQ(csv.out, "n,t\n1,\"a,b\"\n");
  CommandResult markdown = Query({"-f", "markdown", "SELECT 1 AS n, 'a|b' AS t"});
  EXPECT_EQ(markdown.out, "| n | t |\n|---:|---|\n| 1 | a\\|b |\n");
  CommandResult bad = Query({"-f", "xml", "SELECT 1"});
  EXPECT_EQ(bad.exit_code, 2);
  CommandResult both = Query({"--json", "-f", "csv", "SELECT 1"});
  EXPECT_EQ(both.exit_code, 2);
}

TEST_F(OutputCli, ListingsTakeEveryFormat) {
  CommandOptions options;
  options.cwd = dir_.path();
  ASSERT_EQ(RunDlctl({"ingest", "dataset", "--manual", "notes"}, options).exit_code, 0);
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"ingest", "ls"}, {"export", "ls"}, {"backup", "ls"}}) {
    for (const char* format : {"table", "csv", "json", "jsonl", "markdown"}) {
      std::vector<std::string> args = command;
      args.insert(args.end(), {"--format", format});
      CommandResult r = RunDlctl(args, options);
      EXPECT_EQ(r.exit_code, 0) << ::testing::PrintToString(args) << r.err;
    }
  }
  CommandResult table = RunDlctl({"ingest", "ls"}, options);
  EXPECT_NE(table.out.find("│ notes   │"), std::string::npos) << table.out;
  CommandResult csv = RunDlctl({"ingest", "ls", "-f", "csv"}, options);
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "dataset,version,latest,complete,file,bytes,uri");
  CommandResult jsonl = RunDlctl({"ingest", "ls", "-f", "jsonl"}, options);
  EXPECT_EQ(nlohmann::json::parse(jsonl.out)["dataset"], "notes");
  EXPECT_EQ(nlohmann::json::parse(jsonl.out)["versions"][0]["complete"], true);
}

}  // namespace
}  // namespace dlctl
