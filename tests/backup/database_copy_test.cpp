// The consistent copies a backup is made of: SQLite's online backup API next to an open write
// transaction, and DuckDB's COPY FROM DATABASE of an engine database with uncheckpointed work.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>

#include "backup/file_digest.h"
#include "backup/sqlite_copy.h"
#include "config/settings.h"
#include "engine/database_copy.h"
#include "engine/engine.h"
#include "storage/local_store.h"
#include "support/error_of.h"
#include "support/joined_rows.h"
#include "support/test_env.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

class Sqlite {
 public:
  explicit Sqlite(const fs::path& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
  }
  ~Sqlite() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
  }
  std::string One(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SqliteCopy, CopiesTheCommittedStateWhileAWriterHoldsATransactionOpen) {
  testing::TempDir dir;
  Sqlite writer(dir.path() / "catalog.sqlite");
  writer.Exec("CREATE TABLE t(x INTEGER); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
              "INSERT INTO t SELECT i FROM n");
  writer.Exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (-1); UPDATE t SET x = x + 1000000 WHERE x = 1");

  CopySqliteDatabase(dir.path() / "catalog.sqlite", dir.path() / "copy.sqlite");
  writer.Exec("COMMIT");
  Sqlite copy(dir.path() / "copy.sqlite");
  EXPECT_EQ(copy.One("SELECT count(*) || ' ' || min(x) || ' ' || max(x) FROM t"), "5000 1 5000");
  EXPECT_EQ(writer.One("SELECT count(*) || ' ' || min(x) FROM t"), "5001 -1");

  // A copy never overwrites, and a missing source says so.
  EXPECT_NE(testing::ErrorOf([&] { CopySqliteDatabase(dir.path() / "catalog.sqlite", dir.path() / "copy.sqlite"); })
                .find("exists"),
            std::string::npos);
  EXPECT_THROW(CopySqliteDatabase(dir.path() / "missing.sqlite", dir.path() / "other.sqlite"), NotFoundError);
  EXPECT_FALSE(fs::exists(dir.path() / "other.sqlite"));
}

TEST(SqliteCopy, WaitsForAnExclusiveWriterAndGivesUpAfterItsTimeout) {
  testing::TempDir dir;
  Sqlite writer(dir.path() / "catalog.sqlite");
  writer.Exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1)");
  writer.Exec("BEGIN EXCLUSIVE; INSERT INTO t VALUES (2)");
  std::string message =
      testing::ErrorOf([&] { CopySqliteDatabase(dir.path() / "catalog.sqlite", dir.path() / "copy.sqlite", 200); });
  EXPECT_NE(message.find("locked"), std::string::npos) << message;
  writer.Exec("COMMIT");
}

TEST(DuckDbCopy, CopiesTablesViewsAndWorkThatWasNeverCheckpointed) {
  testing::TempDir dir;
  Settings settings;
  settings.bucket = "lake";
  auto store = std::make_shared<LocalStore>(dir.path() / "bucket");
  fs::path engine_db = dir.path() / "engine.duckdb";
  {
    EngineOptions options;
    options.database_file = engine_db;
    Engine engine(store, settings, options);
    // Nothing checkpointed: the work stays in engine.duckdb.wal when the engine closes.
    engine.Query("SET checkpoint_threshold = '1GB'; PRAGMA disable_checkpoint_on_shutdown; CREATE TABLE notes AS SELECT range AS id FROM range(1000);"
                 "CREATE VIEW note_count AS SELECT count(*) AS n FROM notes; CREATE SEQUENCE ids START 7;"
                 "CREATE SCHEMA extra; CREATE TABLE extra.t(s VARCHAR); INSERT INTO extra.t VALUES ('kept')");
  }
  ASSERT_TRUE(fs::exists(dir.path() / "engine.duckdb.wal"));

  CopyDuckDbDatabase(engine_db, dir.path() / "copy.duckdb");
  EngineOptions options;
  options.database_file = dir.path() / "copy.duckdb";
  Engine copy(store, settings, options);
  EXPECT_EQ(testing::JoinedRows(copy.Query("SELECT n FROM note_count")), (Lines{"1000"}));
  EXPECT_EQ(testing::JoinedRows(copy.Query("SELECT s FROM extra.t")), (Lines{"kept"}));
  EXPECT_EQ(testing::JoinedRows(copy.Query("SELECT nextval('ids')")), (Lines{"7"}));
  EXPECT_THROW(CopyDuckDbDatabase(dir.path() / "missing.duckdb", dir.path() / "x.duckdb"), Error);
}

TEST(FileDigest, Sha256OfAFile) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "abc", "abc");
  EXPECT_EQ(Sha256OfFile(dir.path() / "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace dlctl
