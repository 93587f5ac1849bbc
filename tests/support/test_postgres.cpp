#include "support/test_postgres.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <stdexcept>

#include "support/test_env.h"

namespace dlctl::testing {

PostgresSettings TestPostgresSettings() {
  PostgresSettings pg;
  pg.host = RequiredEnv("DLCTL_TEST_PG_HOST");
  pg.port = RequiredEnv("DLCTL_TEST_PG_PORT");
  pg.database = RequiredEnv("DLCTL_TEST_PG_DATABASE");
  pg.user = "postgres";
  return pg;
}

PostgresSettings TestPostgresPasswordSettings() {
  PostgresSettings pg = TestPostgresSettings();
  pg.user = "dlctl_pw";
  pg.password = "dlctl_pw_secret";  // created by scripts/pg/pg-up.sh
  return pg;
}

std::string MakeTestSchema(const std::string& stem) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  std::string name = stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                     std::to_string(rd() % 100000);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  PGconn* conn = PQconnectdb(TestPostgresSettings().ConnectionString().c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    // Owned by the password user too, so tests can use either.
    std::string sql = "CREATE SCHEMA \"" + name + "\" AUTHORIZATION dlctl_pw";
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
    PQclear(result);
  }
  PQfinish(conn);
  if (!error.empty()) throw std::runtime_error("cannot create test schema " + name + ": " + error);
  return name;
}

std::map<std::string, std::string> PostgresVariables(const PostgresSettings& pg) {
  std::map<std::string, std::string> vars = {{"PSQL_CATALOG_HOST", pg.host},
                                             {"PSQL_CATALOG_PORT", pg.port},
                                             {"PSQL_CATALOG_DB", pg.database},
                                             {"PSQL_CATALOG_USER", pg.user}};
  if (!pg.password.empty()) vars["PSQL_CATALOG_PASSWORD"] = pg.password;
  return vars;
}

}  // namespace dlctl::testing
