#include "tools/init_sql.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/test_env.h"

namespace dlctl {
namespace {

Settings WithS3(const std::string& secret) {
  return BuildSettings({{"S3_ENDPOINT", "localhost:9000"},
                        {"S3_USE_SSL", "false"},
                        {"S3_ACCESS_KEY_ID", "minio_username"},
                        {"S3_SECRET_ACCESS_KEY", secret},
                        {"S3_REGION", "eu-west-1"},
                        {"LOCAL_DIR", "/lab/local"}},
                       {}, "/lab");
}

// Each of `lines` is a whole line of `sql`.
void ExpectLines(const std::string& sql, std::initializer_list<const char*> lines) {
  for (const char* line : lines) EXPECT_NE(sql.find(std::string(line) + "\n"), std::string::npos) << line << "\n" << sql;
}

TEST(InitSql, InstallsLoadsAndAttachesEveryCatalogOnS3) {
  std::string sql = RenderInitSql(WithS3("minio_password"));
  ExpectLines(sql, {"INSTALL ducklake;", "INSTALL sqlite;", "INSTALL httpfs;", "LOAD ducklake;", "LOAD sqlite;",
                    "LOAD httpfs;", "    KEY_ID 'minio_username',", "    SECRET 'minio_password',",
                    "    ENDPOINT 'localhost:9000',", "    USE_SSL false,", "    URL_STYLE 'path',",
                    "    REGION 'eu-west-1',"});
  EXPECT_NE(sql.find("ATTACH IF NOT EXISTS 'ducklake:sqlite:/lab/local/stage.sqlite' AS \"stage\" "
                     "(DATA_PATH 's3://lakehouse/stage/');\n"),
            std::string::npos)
      << sql;
  EXPECT_NE(sql.find("ATTACH IF NOT EXISTS 'ducklake:sqlite:/lab/local/marts/graphs.sqlite' AS \"graphs\" "
                     "(DATA_PATH 's3://lakehouse/marts/graphs/');\n"),
            std::string::npos)
      << sql;
}

TEST(InitSql, EscapesEveryValue) {
  std::string sql = RenderInitSql(WithS3("it's'; DROP TABLE x; --"));
  EXPECT_NE(sql.find("    SECRET 'it''s''; DROP TABLE x; --',\n"), std::string::npos) << sql;
  EXPECT_EQ(SqlString("a'b''c"), "'a''b''''c'");
}

TEST(InitSql, LocalDefaultUsesTheLocalBucketFolderAndNoSecret) {
  Settings s = BuildSettings({{"LOCAL_DIR", "/lab/local"}}, {}, "/lab");
  std::string sql = RenderInitSql(s);
  EXPECT_EQ(sql.find("SECRET"), std::string::npos);
  EXPECT_NE(sql.find("(DATA_PATH '/lab/local/bucket/lakehouse/stage/');\n"), std::string::npos) << sql;
  EXPECT_NE(sql.find("(DATA_PATH '/lab/local/bucket/lakehouse/marts/graphs/');\n"), std::string::npos) << sql;
}

// Stage on PostgreSQL, the graphs mart still on SQLite; values with quotes in them.
Settings MixedPostgres(const std::string& password, const std::string& schema) {
  Settings s = WithS3("pw");
  s.postgres = PostgresSettings{"db.lab", "5433", "lake'house", "o'neil", password};
  s.catalogs.at(0).postgres_schema = schema;
  return s;
}

TEST(InitSql, PostgresCatalogsGetASecretAndAMetadataSchema) {
  std::string sql = RenderInitSql(MixedPostgres("pa'ss", "st'age"));
  ExpectLines(sql, {"INSTALL postgres;", "LOAD postgres;", "INSTALL sqlite;", "CREATE OR REPLACE SECRET postgres (",
                    "    TYPE postgres,", "    HOST 'db.lab',", "    PORT '5433',", "    DATABASE 'lake''house',",
                    "    USER 'o''neil',", "    PASSWORD 'pa''ss'"});
  EXPECT_NE(sql.find("ATTACH IF NOT EXISTS 'ducklake:postgres:' AS \"stage\" (METADATA_SCHEMA 'st''age', "
                     "DATA_PATH 's3://lakehouse/stage/', META_SECRET 'postgres');\n"),
            std::string::npos)
      << sql;
  // The mart keeps its SQLite form.
  EXPECT_NE(sql.find("ATTACH IF NOT EXISTS 'ducklake:sqlite:/lab/local/marts/graphs.sqlite' AS \"graphs\" "
                     "(DATA_PATH 's3://lakehouse/marts/graphs/');\n"),
            std::string::npos)
      << sql;
  EXPECT_EQ(sql.find("pa'ss"), std::string::npos);
  EXPECT_EQ(sql.find("st'age"), std::string::npos);
}

TEST(InitSql, PostgresSecretNamesOnlyWhatIsSet) {
  Settings s = BuildSettings(
      {{"LOCAL_DIR", "/lab/local"}, {"PSQL_CATALOG_STAGE_SCHEMA", "stage"}, {"PSQL_CATALOG_GRAPHS_MART_SCHEMA", "graphs"}},
      {}, "/lab");
  std::string sql = RenderInitSql(s);
  EXPECT_NE(sql.find("CREATE OR REPLACE SECRET postgres (\n    TYPE postgres\n);\n"), std::string::npos) << sql;
  EXPECT_EQ(sql.find("INSTALL sqlite;"), std::string::npos) << sql;
  EXPECT_EQ(sql.find("ducklake:sqlite:"), std::string::npos) << sql;
  EXPECT_NE(sql.find("AS \"graphs\" (METADATA_SCHEMA 'graphs', DATA_PATH '/lab/local/bucket/lakehouse/marts/graphs/', "
                     "META_SECRET 'postgres');\n"),
            std::string::npos)
      << sql;
}

TEST(InitSql, FileIsWrittenWithMode0600EvenWhenItExisted) {
  testing::TempDir dir;
  auto path = dir.path() / "local" / "init.sql";
  testing::WriteFile(path, "old");
  ::chmod(path.c_str(), 0644);
  Settings s = WithS3("pw");
  WriteInitSql(s, path);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(testing::ReadFile(path), RenderInitSql(s));
}

}  // namespace
}  // namespace dlctl
