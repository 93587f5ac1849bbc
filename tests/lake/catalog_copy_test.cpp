// CopyCatalog between SQLite stores and through PostgreSQL: the `inlined` fixture (written by
// DuckDB's own extension, with inlined data and delete tables) copies row for row; a target with
// rows is refused unless replaced; a failed copy leaves the target as it was.
#include "lake/maintenance/catalog_copy.h"

#include <gtest/gtest.h>

#include <regex>

#include "support/catalog_dump.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/postgres_metadata_store.h"
#include "support/error_of.h"
#include "support/test_env.h"
#include "support/test_postgres.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;
using dlctl::testing::CatalogDump;

fs::path FixtureCatalog() {
  return fs::path(dlctl::testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / "inlined" /
         "catalog.sqlite";
}

TEST(CatalogCopy, CopiesEveryTableAndRowOfTheFixture) {
  dlctl::testing::TempDir dir;
  SqliteMetadataStore source(FixtureCatalog(), false);
  SqliteMetadataStore target(dir.path() / "copy.sqlite", true);
  CatalogCopyReport report = CopyCatalog(source, target, false);

  CatalogDump before = dlctl::testing::DumpSqliteCatalog(source);
  CatalogDump after = dlctl::testing::DumpSqliteCatalog(target);
  EXPECT_GT(before.size(), 28u);  // the 28 tables plus inlined data and delete tables
  EXPECT_EQ(after, before);
  EXPECT_EQ(dlctl::testing::SqliteTableDefinitions(target), dlctl::testing::SqliteTableDefinitions(source));
  EXPECT_EQ(report.tables, static_cast<int64_t>(before.size()));
  int64_t rows = 0;
  for (const auto& [table, table_rows] : before) rows += static_cast<int64_t>(table_rows.size());
  EXPECT_EQ(report.rows, rows);
}

TEST(CatalogCopy, CopiesTablesOfManyStatementsWorthOfRows) {
  dlctl::testing::TempDir dir;
  fs::copy_file(FixtureCatalog(), dir.path() / "big.sqlite");
  SqliteMetadataStore source(dir.path() / "big.sqlite", false);
  source.ExecuteScript(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
      "INSERT INTO ducklake_tag SELECT i, 1, NULL, 'k' || i, 'it''s ' || i FROM n");
  PostgresMetadataStore postgres(dlctl::testing::TestPostgresSettings().ConnectionString(),
                                 dlctl::testing::MakeTestSchema("big"), false);
  CatalogCopyReport there = CopyCatalog(source, postgres, false);
  int64_t tags = source.Query("SELECT COUNT(*) FROM ducklake_tag").at(0).Int(0);
  EXPECT_GT(tags, 5000);
  EXPECT_EQ(postgres.Query("SELECT COUNT(*) FROM ducklake_tag").at(0).Int(0), tags);
  SqliteMetadataStore back(dir.path() / "back.sqlite", true);
  CatalogCopyReport back_again = CopyCatalog(postgres, back, false);
  EXPECT_EQ(back_again.rows, there.rows);
  EXPECT_EQ(dlctl::testing::DumpSqliteCatalog(back)["ducklake_tag"],
            dlctl::testing::DumpSqliteCatalog(source)["ducklake_tag"]);
}

TEST(CatalogCopy, RefusesATargetWithRowsUnlessReplacing) {
  dlctl::testing::TempDir dir;
  SqliteMetadataStore source(FixtureCatalog(), false);
  SqliteMetadataStore target(dir.path() / "target.sqlite", true);
  CreateCatalog(target, "/elsewhere/data");
  CatalogDump fresh = dlctl::testing::DumpSqliteCatalog(target);

  std::string message = dlctl::testing::ErrorOf([&] { CopyCatalog(source, target, false); });
  EXPECT_NE(message.find("is not empty"), std::string::npos) << message;
  EXPECT_NE(message.find("--force"), std::string::npos) << message;
  EXPECT_EQ(dlctl::testing::DumpSqliteCatalog(target), fresh);

  CopyCatalog(source, target, true);
  EXPECT_EQ(dlctl::testing::DumpSqliteCatalog(target), dlctl::testing::DumpSqliteCatalog(source));
}

TEST(CatalogCopy, AnEmptyTargetSchemaNeedsNoReplace) {
  dlctl::testing::TempDir dir;
  SqliteMetadataStore source(FixtureCatalog(), false);
  SqliteMetadataStore target(dir.path() / "target.sqlite", true);
  {
    Transaction tx(target);
    CreateCatalogTables(target);  // the tables, no rows
    tx.Commit();
  }
  CopyCatalog(source, target, false);
  EXPECT_EQ(dlctl::testing::DumpSqliteCatalog(target), dlctl::testing::DumpSqliteCatalog(source));
}

TEST(CatalogCopy, AFailedCopyLeavesTheTargetAsItWas) {
  dlctl::testing::TempDir dir;
  // A source whose snapshot table has an extra column the target's tables lack: the copy fails
  // after it has dropped and re-created the target's tables, inside its transaction.
  fs::copy_file(FixtureCatalog(), dir.path() / "odd.sqlite");
  SqliteMetadataStore source(dir.path() / "odd.sqlite", false);
  source.ExecuteScript("ALTER TABLE ducklake_snapshot ADD COLUMN surprise VARCHAR");
  SqliteMetadataStore target(dir.path() / "target.sqlite", true);
  CreateCatalog(target, "/elsewhere/data");
  CatalogDump fresh = dlctl::testing::DumpSqliteCatalog(target);

  std::string message = dlctl::testing::ErrorOf([&] { CopyCatalog(source, target, true); });
  EXPECT_NE(message.find("surprise"), std::string::npos) << message;
  EXPECT_EQ(dlctl::testing::DumpSqliteCatalog(target), fresh);
}

TEST(CatalogCopy, RefusesASourceThatIsNoCatalog) {
  dlctl::testing::TempDir dir;
  SqliteMetadataStore source(dir.path() / "empty.sqlite", true);
  SqliteMetadataStore target(dir.path() / "target.sqlite", true);
  std::string message = dlctl::testing::ErrorOf([&] { CopyCatalog(source, target, false); });
  EXPECT_NE(message.find("no DuckLake catalog"), std::string::npos) << message;
  EXPECT_FALSE(IsCatalog(target));
}

// DuckDB writes TIMESTAMPTZ text without the fraction's trailing zeros, dlctl with six digits; a
// trip through PostgreSQL's TIMESTAMPTZ keeps the instant, in dlctl's form.
CatalogDump WithSixDigitTimes(CatalogDump dump) {
  static const std::regex kTime(R"((\d\d:\d\d:\d\d)(\.\d{1,6})?\+00)");
  for (auto& [table, rows] : dump) {
    for (std::string& row : rows) {
      std::string out;
      auto begin = std::sregex_iterator(row.begin(), row.end(), kTime);
      size_t last = 0;
      for (auto it = begin; it != std::sregex_iterator(); ++it) {
        out += row.substr(last, static_cast<size_t>(it->position()) - last);
        std::string fraction = (*it)[2].matched ? (*it)[2].str().substr(1) : "";
        out += (*it)[1].str() + "." + fraction + std::string(6 - fraction.size(), '0') + "+00";
        last = static_cast<size_t>(it->position() + it->length());
      }
      row = out + row.substr(last);
    }
    std::sort(rows.begin(), rows.end());
  }
  return dump;
}

TEST(CatalogCopy, RoundTripsThroughPostgresWithItsTypes) {
  dlctl::testing::TempDir dir;
  SqliteMetadataStore source(FixtureCatalog(), false);
  PostgresMetadataStore postgres(dlctl::testing::TestPostgresSettings().ConnectionString(),
                                 dlctl::testing::MakeTestSchema("copy"), false);
  CopyCatalog(source, postgres, false);

  // DuckDB's types on PostgreSQL, with the values parsed into them.
  auto types = postgres.Query(
      "SELECT pg_typeof(snapshot_time)::text FROM ducklake_snapshot LIMIT 1");
  EXPECT_EQ(types.at(0).Text(0), "timestamp with time zone");
  EXPECT_EQ(postgres.Query("SELECT pg_typeof(schema_uuid)::text, pg_typeof(path_is_relative)::text "
                           "FROM ducklake_schema LIMIT 1")
                .at(0)
                .Text(0),
            "uuid");
  EXPECT_EQ(postgres.Query("SELECT COUNT(*) FROM ducklake_column WHERE nulls_allowed").at(0).Int(0),
            source.Query("SELECT COUNT(*) FROM ducklake_column WHERE nulls_allowed = 1").at(0).Int(0));

  SqliteMetadataStore back(dir.path() / "back.sqlite", true);
  CopyCatalog(postgres, back, false);
  EXPECT_EQ(WithSixDigitTimes(dlctl::testing::DumpSqliteCatalog(back)),
            WithSixDigitTimes(dlctl::testing::DumpSqliteCatalog(source)));
  EXPECT_EQ(dlctl::testing::SqliteTableDefinitions(back), dlctl::testing::SqliteTableDefinitions(source));
}

TEST(CatalogCopy, ReplacesAPostgresCatalogInOneTransaction) {
  dlctl::testing::TempDir dir;
  std::string schema = dlctl::testing::MakeTestSchema("replace");
  std::string connection = dlctl::testing::TestPostgresSettings().ConnectionString();
  PostgresMetadataStore postgres(connection, schema, false);
  CreateCatalog(postgres, "/elsewhere/data");
  SqliteMetadataStore source(FixtureCatalog(), false);

  std::string message = dlctl::testing::ErrorOf([&] { CopyCatalog(source, postgres, false); });
  EXPECT_NE(message.find("is not empty"), std::string::npos) << message;
  EXPECT_EQ(postgres.Query("SELECT COUNT(*) FROM ducklake_snapshot").at(0).Int(0), 1);

  CopyCatalog(source, postgres, true);
  EXPECT_EQ(postgres.Query("SELECT COUNT(*) FROM ducklake_snapshot").at(0).Int(0),
            source.Query("SELECT COUNT(*) FROM ducklake_snapshot").at(0).Int(0));
  EXPECT_EQ(postgres.Query("SELECT \"value\" FROM ducklake_metadata WHERE \"key\" = 'data_path'").at(0).Text(0),
            source.Query("SELECT \"value\" FROM ducklake_metadata WHERE \"key\" = 'data_path'").at(0).Text(0));
}

}  // namespace
}  // namespace dlctl::lake
