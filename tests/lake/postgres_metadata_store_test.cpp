// The PostgreSQL metadata store on its own: the catalog DDL against the types DuckDB's extension
// uses there, placeholders, value conversion, the password path, messages and the write lock.
#include "lake/metadata/postgres_metadata_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <regex>

#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/open_metadata_store.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "support/test_env.h"
#include "support/test_postgres.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<PostgresMetadataStore> NewStore(const std::string& stem) {
  return std::make_unique<PostgresMetadataStore>(testing::TestPostgresSettings().ConnectionString(),
                                                 testing::MakeTestSchema(stem), true);
}

// Columns of the extension's PostgreSQL catalog that are not BIGINT or VARCHAR (spec §1-§6;
// the SQLite catalogs declare them BIGINT or VARCHAR).
const std::map<std::string, std::string> kTypedColumns = {
    {"ducklake_snapshot.snapshot_time", "timestamp with time zone"},
    {"ducklake_schema.schema_uuid", "uuid"},
    {"ducklake_schema.path_is_relative", "boolean"},
    {"ducklake_table.table_uuid", "uuid"},
    {"ducklake_table.path_is_relative", "boolean"},
    {"ducklake_view.view_uuid", "uuid"},
    {"ducklake_data_file.path_is_relative", "boolean"},
    {"ducklake_delete_file.path_is_relative", "boolean"},
    {"ducklake_file_column_stats.contains_nan", "boolean"},
    {"ducklake_file_variant_stats.contains_nan", "boolean"},
    {"ducklake_column.nulls_allowed", "boolean"},
    {"ducklake_table_column_stats.contains_null", "boolean"},
    {"ducklake_table_column_stats.contains_nan", "boolean"},
    {"ducklake_files_scheduled_for_deletion.path_is_relative", "boolean"},
    {"ducklake_files_scheduled_for_deletion.schedule_start", "timestamp with time zone"},
    {"ducklake_name_mapping.is_partition", "boolean"},
};

TEST(PostgresCatalogSchema, HasTheExtensionsTablesColumnsAndPostgresTypes) {
  auto store = NewStore("ddl");
  CreateCatalog(*store, "s3://lakehouse/stage");
  // table.column -> PostgreSQL type, in column order.
  std::vector<std::pair<std::string, std::string>> ours;
  for (const Row& row : store->Query(
           "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
           "ORDER BY table_name, ordinal_position",
           {store->schema()}))
    ours.emplace_back(row.Text(0) + "." + row.Text(1), row.Text(2));

  // The columns of a catalog the official extension wrote (SQLite), with the types it gives
  // them in PostgreSQL.
  SqliteMetadataStore fixture(
      fs::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / "parquet_only" / "catalog.sqlite",
      false);
  std::vector<std::pair<std::string, std::string>> expected;
  for (const Row& table : fixture.Query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    std::string name = table.Text(0);
    if (name.rfind("ducklake_inlined_data_", 0) == 0 && name != "ducklake_inlined_data_tables") continue;
    if (name.rfind("ducklake_inlined_delete_", 0) == 0) continue;
    for (const Row& column : fixture.Query("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", {name})) {
      std::string key = name + "." + column.Text(0);
      auto typed = kTypedColumns.find(key);
      std::string type = typed != kTypedColumns.end() ? typed->second
                         : column.Text(1) == "BIGINT" ? "bigint"
                                                      : "character varying";
      expected.emplace_back(key, type);
    }
  }
  EXPECT_EQ(ours.size(), expected.size());
  EXPECT_EQ(ours, expected);
  EXPECT_EQ(store->Query("SELECT count(*) FROM information_schema.tables WHERE table_schema = ?", {store->schema()})
                .at(0)
                .Int(0),
            28);
  // The snapshot id is the primary key: the backstop against writers that skip the lock.
  EXPECT_THROW(store->Execute("INSERT INTO ducklake_snapshot VALUES (0, now(), 0, 1, 0)"), Error);
}

TEST(PostgresCatalogSchema, ValuesReadBackAsOnSqlite) {
  auto store = NewStore("values");
  CreateCatalog(*store, "/data/");
  auto rows = store->Query("SELECT snapshot_time, path_is_relative, schema_uuid, schema_id FROM ducklake_snapshot, "
                           "ducklake_schema");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(std::regex_match(rows[0].Text(0), std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00)")))
      << rows[0].Text(0);
  EXPECT_EQ(std::get<int64_t>(rows[0].values[1]), 1);
  EXPECT_TRUE(std::regex_match(rows[0].Text(2), std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(std::get<int64_t>(rows[0].values[3]), 0);

  // A time with trailing zeros in its fraction comes back with all six digits.
  store->Execute("UPDATE ducklake_snapshot SET snapshot_time = ?", {std::string("2026-11-25 14:17:15.9+00")});
  EXPECT_EQ(store->Query("SELECT snapshot_time FROM ducklake_snapshot").at(0).Text(0), "2026-11-25 14:17:15.900000+00");
  // Parameters take their type from the column; '?' inside literals and quoted names stays.
  store->Execute("INSERT INTO ducklake_metadata VALUES ('what?', ?, 'x''?', ?)", {std::string("1.5"), int64_t{7}});
  auto meta = store->Query("SELECT \"value\", \"scope\", scope_id, sum(scope_id) FROM ducklake_metadata "
                           "WHERE \"key\" = 'what?' GROUP BY 1, 2, 3");
  ASSERT_EQ(meta.size(), 1u);
  EXPECT_EQ(meta[0].Text(0), "1.5");
  EXPECT_EQ(meta[0].Text(1), "x'?");
  EXPECT_EQ(std::get<int64_t>(meta[0].values[2]), 7);
  EXPECT_EQ(std::get<int64_t>(meta[0].values[3]), 7);
  EXPECT_TRUE(store->Query("SELECT scope_id FROM ducklake_metadata WHERE \"key\" = ?", {std::monostate{}}).empty());
}

TEST(PostgresMetadataStore, NumbersPlaceholdersOutsideLiteralsNamesAndComments) {
  EXPECT_EQ(NumberPlaceholders("SELECT ?, '?''?', \"a?\"\"b\", ? -- ?\n, ? /* ? */ , ?"),
            "SELECT $1, '?''?', \"a?\"\"b\", $2 -- ?\n, $3 /* ? */ , $4");
}

TEST(PostgresMetadataStore, ConnectsWithAPasswordAndNeverShowsIt) {
  PostgresSettings pg = testing::TestPostgresPasswordSettings();
  std::string schema = testing::MakeTestSchema("password");
  PostgresMetadataStore store(pg.ConnectionString(), schema, false);
  EXPECT_EQ(store.Query("SELECT current_user").at(0).Text(0), "dlctl_pw");
  EXPECT_EQ(store.Describe(), "postgresql " + schema + " on " + pg.host + ":" + pg.port + "/" + pg.database);

  pg.password = "wrong 'pass\\word";
  try {
    PostgresMetadataStore wrong(pg.ConnectionString(), schema, false);
    FAIL() << "connected with a wrong password";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
    EXPECT_EQ(message.find("pass\\word"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(PostgresMetadataStore, AMissingSchemaIsNotFoundUnlessCreated) {
  std::string connection = testing::TestPostgresSettings().ConnectionString();
  std::string schema = testing::MakeTestSchema("missing") + "_not_there";
  EXPECT_THROW(PostgresMetadataStore(connection, schema, false), NotFoundError);
  PostgresMetadataStore created(connection, schema, true);
  EXPECT_FALSE(IsCatalog(created));
  EXPECT_NO_THROW(PostgresMetadataStore(connection, schema, false));
}

TEST(PostgresMetadataStore, ErrorsAreOneLineWithTheServersMessage) {
  auto store = NewStore("errors");
  try {
    store->Query("SELECT no_such_column FROM pg_class");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "catalog " + store->Describe() +
                                         ": column \"no_such_column\" does not exist in: SELECT no_such_column FROM "
                                         "pg_class");
  }
  // A failed statement inside a transaction makes COMMIT a rollback: that must not pass silently.
  store->ExecuteScript("CREATE TABLE t (a BIGINT PRIMARY KEY)");
  store->Begin();
  store->Execute("INSERT INTO t VALUES (1)");
  EXPECT_THROW(store->Execute("INSERT INTO t VALUES (1)"), Error);
  EXPECT_THROW(store->Commit(), Error);
  EXPECT_EQ(store->Query("SELECT count(*) FROM t").at(0).Int(0), 0);
}

TEST(PostgresMetadataStore, BeginTakesTheCatalogsWriteLockUpFront) {
  auto first = NewStore("lock");
  std::string connection = testing::TestPostgresSettings().ConnectionString();
  PostgresMetadataStore second(connection, first->schema(), false);
  first->Begin();
  auto waiting = std::async(std::launch::async, [&] {
    second.Begin();
    second.Commit();
  });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout);
  first->Commit();
  EXPECT_EQ(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  waiting.get();

  // Another catalog's lock is another key.
  EXPECT_NE(CatalogLockKey("stage"), CatalogLockKey("graphs"));
}

TEST(OpenMetadataStore, PicksTheStoreFromTheCatalogSettings) {
  testing::TempDir dir;
  Settings settings;
  CatalogSettings catalog;
  catalog.name = "stage";
  catalog.db_path = dir.path() / "stage.sqlite";
  EXPECT_THROW(OpenMetadataStore(settings, catalog, false), NotFoundError);
  EXPECT_EQ(OpenMetadataStore(settings, catalog, true)->dialect(), Dialect::kSqlite);
  settings.postgres = testing::TestPostgresSettings();
  catalog.postgres_schema = testing::MakeTestSchema("factory");
  auto store = OpenMetadataStore(settings, catalog, false);
  EXPECT_EQ(store->dialect(), Dialect::kPostgres);
  EXPECT_EQ(store->Describe().rfind("postgresql " + *catalog.postgres_schema + " on ", 0), 0u);
}

}  // namespace
}  // namespace dlctl::lake
