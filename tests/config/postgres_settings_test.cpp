// PSQL_CATALOG_*: which catalogs keep their metadata in PostgreSQL, and the server.
#include <gtest/gtest.h>

#include "config/settings.h"
#include "util/error.h"

namespace dlctl {
namespace {

Settings Build(const EnvEntries& file) { return BuildSettings(file, {}, "/lab/project"); }

std::string UsageMessage(const EnvEntries& file) {
  try {
    Build(file);
  } catch (const UsageError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a UsageError";
  return "";
}

TEST(PostgresSettings, NoVariablesKeepEveryCatalogInSqlite) {
  Settings s = Build({});
  EXPECT_FALSE(s.postgres);
  for (const auto& c : s.catalogs) EXPECT_FALSE(c.postgres_schema) << c.name;
  EXPECT_EQ(s.catalogs[0].schema_variable, "PSQL_CATALOG_STAGE_SCHEMA");
  EXPECT_EQ(s.catalogs[1].schema_variable, "PSQL_CATALOG_GRAPHS_MART_SCHEMA");
}

TEST(PostgresSettings, SchemaVariablesMoveCatalogsToTheServer) {
  Settings s = Build({{"PSQL_CATALOG_HOST", "db.lab"},
                      {"PSQL_CATALOG_PORT", "5433"},
                      {"PSQL_CATALOG_DB", "lake"},
                      {"PSQL_CATALOG_USER", "ana"},
                      {"PSQL_CATALOG_PASSWORD", "it's a \\secret"},
                      {"PSQL_CATALOG_STAGE_SCHEMA", "stage"},
                      {"SALES_MART_DB", "marts/sales.sqlite"},
                      {"S3_SALES_MART_PREFIX", "marts/sales"},
                      {"PSQL_CATALOG_SALES_MART_SCHEMA", "sales_2"}});
  ASSERT_TRUE(s.postgres);
  EXPECT_EQ(s.FindCatalog("stage")->postgres_schema, "stage");
  EXPECT_FALSE(s.FindCatalog("graphs")->postgres_schema);
  EXPECT_EQ(s.FindCatalog("sales")->postgres_schema, "sales_2");
  EXPECT_EQ(s.postgres->ConnectionString(),
            "host='db.lab' port='5433' dbname='lake' user='ana' password='it\\'s a \\\\secret'");
  EXPECT_EQ(s.postgres->Describe(), "db.lab:5433/lake");
  EXPECT_TRUE(IsSecretVariable("PSQL_CATALOG_PASSWORD"));
  EXPECT_FALSE(IsSecretVariable("PSQL_CATALOG_HOST"));
}

TEST(PostgresSettings, UnsetServerValuesAreLeftToLibpq) {
  Settings s = Build({{"PSQL_CATALOG_STAGE_SCHEMA", "stage"}});
  ASSERT_TRUE(s.postgres);
  EXPECT_EQ(s.postgres->ConnectionString(), "");
  Settings only_host = Build({{"PSQL_CATALOG_HOST", "db.lab"}});
  EXPECT_EQ(only_host.postgres->ConnectionString(), "host='db.lab'");
}

TEST(PostgresSettings, BadValuesNameTheirVariable) {
  EXPECT_EQ(UsageMessage({{"PSQL_CATALOG_DATA_MART_SCHEMA", "data"}}),
            "PSQL_CATALOG_DATA_MART_SCHEMA names no mart (S3_DATA_MART_PREFIX is not set)");
  EXPECT_EQ(UsageMessage({{"PSQL_CATALOG_STAGE_SCHEMA", "my-stage"}}),
            "PSQL_CATALOG_STAGE_SCHEMA must be a PostgreSQL schema name of letters, digits and '_' (got 'my-stage')");
  EXPECT_EQ(UsageMessage({{"PSQL_CATALOG_STAGE_SCHEMA", "lake"}, {"PSQL_CATALOG_GRAPHS_MART_SCHEMA", "lake"}}),
            "PSQL_CATALOG_GRAPHS_MART_SCHEMA uses the same schema as PSQL_CATALOG_STAGE_SCHEMA");
  EXPECT_EQ(UsageMessage({{"PSQL_CATALOG_PORT", "54x"}}), "PSQL_CATALOG_PORT must be a port number (got '54x')");
}

}  // namespace
}  // namespace dlctl
