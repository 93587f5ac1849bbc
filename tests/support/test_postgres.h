#pragma once
// The test PostgreSQL cluster started by CTest (scripts/pg/pg-up.sh) and fresh schemas on it,
// one per test, so tests that keep catalogs there run in parallel. DLCTL_TEST_PG_HOST,
// DLCTL_TEST_PG_PORT and DLCTL_TEST_PG_DATABASE override the build's defaults. With no server
// there, these tests fail: they never skip silently.
#include <map>
#include <string>

#include "config/settings.h"

namespace dlctl::testing {

// User "postgres" (trust authentication from 127.0.0.1).
PostgresSettings TestPostgresSettings();
// User "dlctl_pw", which must give its password (scram-sha-256).
PostgresSettings TestPostgresPasswordSettings();

// A new, empty schema no other test uses: "<stem>_<pid>_<counter>_<random>", lower case.
std::string MakeTestSchema(const std::string& stem);

// The PSQL_CATALOG_* variables naming `pg` (for a dlctl process's environment).
std::map<std::string, std::string> PostgresVariables(const PostgresSettings& pg);

}  // namespace dlctl::testing
