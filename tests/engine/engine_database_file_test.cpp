// The engine database file (local/engine.duckdb) as the engine's default database: read-only
// until a statement writes to it, created by the first write, the same database either way.
// (Several processes at once: tests/cli/concurrent_processes_test.cpp.)
#include <gtest/gtest.h>

#include <filesystem>

#include "config/settings.h"
#include "engine/engine.h"
#include "storage/local_store.h"
#include "support/error_of.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

class EngineDatabaseFileTest : public ::testing::Test {
 protected:
  EngineDatabaseFileTest() { settings_.bucket = "lake"; }

  std::unique_ptr<Engine> Open() {
    return std::make_unique<Engine>(std::make_shared<LocalStore>(dir_.path() / "lake"), settings_,
                                    EngineOptions{.database_file = file_});
  }
  std::string One(Engine& engine, const std::string& sql) { return engine.Query(sql).rows.at(0).at(0).value_or("NULL"); }

  testing::TempDir dir_;
  Settings settings_;
  fs::path file_ = dir_.path() / "local" / "engine.duckdb";
};

TEST_F(EngineDatabaseFileTest, ReadsLeaveAMissingFileMissingAndTheFirstWriteCreatesIt) {
  auto engine = Open();
  EXPECT_EQ(One(*engine, "SELECT current_database()"), "engine");
  EXPECT_EQ(One(*engine, "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'engine'"), "0");
  EXPECT_FALSE(fs::exists(file_));
  engine->Query("CREATE TABLE kept AS SELECT 7 AS x");
  EXPECT_TRUE(fs::exists(file_));
  EXPECT_EQ(One(*engine, "SELECT x FROM kept"), "7");
  EXPECT_EQ(One(*engine, "SELECT current_database()"), "engine");
}

TEST_F(EngineDatabaseFileTest, ReadingAnExistingFileChangesNothingInIt) {
  Open()->Query("CREATE TABLE kept AS SELECT 7 AS x");
  auto written = fs::last_write_time(file_);
  auto size = fs::file_size(file_);
  {
    auto engine = Open();
    EXPECT_EQ(One(*engine, "SELECT x FROM kept"), "7");
    EXPECT_EQ(One(*engine, "SELECT count(*) FROM kept, range(100)"), "100");
    // What is not the engine database's is no write to it.
    engine->Query("CREATE TEMP TABLE scratch AS SELECT 1 AS y; SET threads = 1");
  }
  EXPECT_EQ(fs::last_write_time(file_), written);
  EXPECT_EQ(fs::file_size(file_), size);
  EXPECT_FALSE(fs::exists(file_.string() + ".wal"));
}

TEST_F(EngineDatabaseFileTest, AWriteThatBindsOnlyAfterAnEarlierStatementStillWrites) {
  Open()->Query("CREATE TABLE kept AS SELECT 7 AS x");
  auto engine = Open();
  // `scratch` exists only once the first statement ran: the second is seen as a write then.
  engine->Query("CREATE TEMP TABLE scratch AS SELECT 8 AS x; INSERT INTO kept SELECT x FROM scratch");
  // In a transaction, where the file cannot change hands, such a script opens it writable first.
  auto again = Open();
  again->Query("BEGIN; CREATE TEMP TABLE more AS SELECT 9 AS x; INSERT INTO kept SELECT x FROM more; COMMIT");
  EXPECT_EQ(One(*Open(), "SELECT string_agg(x::VARCHAR, ',' ORDER BY x) FROM kept"), "7,8,9");
}

TEST_F(EngineDatabaseFileTest, AWriteInATransactionThatReadTheFileReadOnlyIsAClearError) {
  Open()->Query("CREATE TABLE kept AS SELECT 7 AS x");
  auto engine = Open();
  engine->Query("BEGIN");
  engine->Query("SELECT * FROM kept");
  std::string error = testing::ErrorOf([&] { engine->Query("INSERT INTO kept VALUES (8)"); });
  EXPECT_NE(error.find("writes to the engine database " + file_.string()), std::string::npos) << error;
  EXPECT_NE(error.find("run it outside the transaction"), std::string::npos) << error;
}

}  // namespace
}  // namespace dlctl
