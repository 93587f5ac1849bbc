// `dlctl tools generate-init-sql` with the stage catalog on PostgreSQL and the graphs mart on
// SQLite: a private file with the escaped password, and no value on the terminal.
#include <gtest/gtest.h>

#include "generated_init_sql.h"

namespace dlctl {
namespace {

using testing::CommandOptions;

TEST(Cli, GenerateInitSqlForAPostgresCatalogKeepsThePasswordInTheFileOnly) {
  testing::TempDir dir;
  CommandOptions o{dir.path(),
                   {{"PSQL_CATALOG_HOST", "db.lab.internal"},
                    {"PSQL_CATALOG_PORT", "6543"},
                    {"PSQL_CATALOG_DB", "lakehouse_meta"},
                    {"PSQL_CATALOG_USER", "lab_user"},
                    {"PSQL_CATALOG_PASSWORD", "s3cr'et-pg"},
                    {"PSQL_CATALOG_STAGE_SCHEMA", "stage_meta"}}};
  auto [r, sql] = testing::GenerateInitSql(o);
  EXPECT_NE(sql.find("    PASSWORD 's3cr''et-pg'\n"), std::string::npos) << sql;
  EXPECT_NE(sql.find("    HOST 'db.lab.internal',\n"), std::string::npos) << sql;
  EXPECT_NE(sql.find("ATTACH IF NOT EXISTS 'ducklake:postgres:' AS \"stage\" (METADATA_SCHEMA 'stage_meta', DATA_PATH '" +
                     (dir.path() / "local" / "bucket" / "lakehouse" / "stage").string() + "/', META_SECRET 'postgres');\n"),
            std::string::npos)
      << sql;
  EXPECT_NE(sql.find("ATTACH IF NOT EXISTS 'ducklake:sqlite:" + (dir.path() / "local" / "marts" / "graphs.sqlite").string()),
            std::string::npos)
      << sql;
  for (const char* value : {"s3cr", "db.lab.internal", "lab_user", "lakehouse_meta", "stage_meta"}) {
    EXPECT_EQ(r.out.find(value), std::string::npos) << value;
    EXPECT_EQ(r.err.find(value), std::string::npos) << value;
  }
}

}  // namespace
}  // namespace dlctl
