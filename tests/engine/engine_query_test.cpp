// Engine::Query on its own: result shape, NULLs, statement batches, one-line errors.
#include <gtest/gtest.h>

#include "config/settings.h"
#include "engine/engine.h"
#include "storage/local_store.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "util/error.h"

namespace dlctl {
namespace {

class EngineQueryTest : public ::testing::Test {
 protected:
  EngineQueryTest() {
    settings_.bucket = "lake";
    engine_ = std::make_unique<Engine>(std::make_shared<LocalStore>(dir_.path() / "lake"), settings_);
  }

  std::string ErrorOf(const std::string& sql) { return testing::ErrorOf([&] { engine_->Query(sql); }); }

  testing::TempDir dir_;
  Settings settings_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineQueryTest, ReturnsColumnsTypesAndStringsWithNulls) {
  QueryResult result = engine_->Query("SELECT 42 AS answer, 'x' AS name, NULL::INTEGER AS nothing, 1.5::DOUBLE AS d");
  EXPECT_EQ(result.columns, (std::vector<std::string>{"answer", "name", "nothing", "d"}));
  EXPECT_EQ(result.types, (std::vector<std::string>{"INTEGER", "VARCHAR", "INTEGER", "DOUBLE"}));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0], "42");
  EXPECT_EQ(result.rows[0][1], "x");
  EXPECT_EQ(result.rows[0][2], std::nullopt);
  EXPECT_EQ(result.rows[0][3], "1.5");
}

TEST_F(EngineQueryTest, RunsEveryStatementAndReturnsTheLastResult) {
  QueryResult result = engine_->Query(
      "CREATE TABLE t AS SELECT range AS i FROM range(5000); INSERT INTO t VALUES (NULL); "
      "SELECT count(*) AS n, count(i) AS non_null, sum(i) AS total FROM t;");
  EXPECT_EQ(result.columns, (std::vector<std::string>{"n", "non_null", "total"}));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0], "5001");
  EXPECT_EQ(result.rows[0][1], "5000");
  EXPECT_EQ(result.rows[0][2], "12497500");
  EXPECT_EQ(engine_->Query("SELECT i FROM t WHERE i IS NOT NULL ORDER BY i").rows.size(), 5000u);
}

TEST_F(EngineQueryTest, SqlErrorsCarryDuckDbsMessageAndContextOnce) {
  std::string parse = ErrorOf("SELEC 1");
  EXPECT_NE(parse.find("Parser Error"), std::string::npos) << parse;
  EXPECT_NE(parse.find("SELEC"), std::string::npos) << parse;

  std::string catalog = ErrorOf("SELECT * FROM no_such_table");
  EXPECT_NE(catalog.find("Catalog Error"), std::string::npos) << catalog;
  EXPECT_NE(catalog.find("no_such_table"), std::string::npos) << catalog;

  // The LINE of SQL and a caret under the error's start, once (DuckDB's result repeats them).
  EXPECT_EQ(parse, "Parser Error: syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^");
  EXPECT_NE(catalog.find("\nLINE 1: SELECT * FROM no_such_table\n                      ^"), std::string::npos) << catalog;
}

TEST_F(EngineQueryTest, AnErrorStopsTheBatch) {
  EXPECT_NE(ErrorOf("CREATE TABLE a (x INT); SELECT * FROM missing; CREATE TABLE b (x INT);").find("missing"),
            std::string::npos);
  EXPECT_EQ(engine_->Query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'b'").rows[0][0], "0");
}

TEST_F(EngineQueryTest, ExtensionsAreNeverInstalledOrLoaded) {
  QueryResult result = engine_->Query(
      "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')");
  EXPECT_EQ(result.rows[0][0], "false");
  EXPECT_EQ(result.rows[0][1], "false");
}

TEST_F(EngineQueryTest, KeepsTablesInADatabaseFileAndHonoursThreads) {
  std::string path = (dir_.path() / "local" / "engine.duckdb").string();
  {
    Engine engine(std::make_shared<LocalStore>(dir_.path() / "lake"), settings_, {.database_file = path, .threads = 1});
    engine.Query("CREATE TABLE kept AS SELECT 7 AS x");
    EXPECT_EQ(engine.Query("SELECT current_setting('threads')").rows[0][0], "1");
  }
  Engine reopened(std::make_shared<LocalStore>(dir_.path() / "lake"), settings_, {.database_file = path});
  EXPECT_EQ(reopened.Query("SELECT x FROM kept").rows[0][0], "7");
}

}  // namespace
}  // namespace dlctl
