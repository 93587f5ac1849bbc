#pragma once
// The two metadata stores the lake tests run on: a SQLite file, or a fresh schema of the test
// PostgreSQL server (tests/support/test_postgres.h).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "lake/metadata/postgres_metadata_store.h"
#include "lake/metadata/sqlite_metadata_store.h"
#include "support/test_postgres.h"

namespace dlctl::lake {

enum class MetadataKind { kSqlite, kPostgres };

inline std::string MetadataKindName(const ::testing::TestParamInfo<MetadataKind>& info) {
  return info.param == MetadataKind::kSqlite ? "Sqlite" : "Postgres";
}

// A new, empty store of that kind: "<dir>/<stem>.sqlite", or a new schema named after `stem`.
inline std::unique_ptr<MetadataStore> NewTestMetadataStore(MetadataKind kind, const std::filesystem::path& dir,
                                                           const std::string& stem = "cat") {
  if (kind == MetadataKind::kSqlite) return std::make_unique<SqliteMetadataStore>(dir / (stem + ".sqlite"), true);
  return std::make_unique<PostgresMetadataStore>(testing::TestPostgresSettings().ConnectionString(),
                                                 testing::MakeTestSchema(stem), true);
}

}  // namespace dlctl::lake
