#pragma once
// The two metadata stores the lake tests run on: a SQLite file, or a fresh schema of the test
// PostgreSQL server (tests/support/test_postgres.h).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
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

// Opens connections to one new store of that kind ("<dir>/<stem>.sqlite", or a new schema
// named after `stem`); `create` makes it.
using MetadataOpener = std::function<std::unique_ptr<MetadataStore>(bool create)>;
inline MetadataOpener NewTestMetadataOpener(MetadataKind kind, const std::filesystem::path& dir,
                                            const std::string& stem = "cat") {
  if (kind == MetadataKind::kSqlite) {
    std::filesystem::path file = dir / (stem + ".sqlite");
    return [file](bool create) { return std::make_unique<SqliteMetadataStore>(file, create); };
  }
  std::string schema = testing::MakeTestSchema(stem);
  return [schema](bool create) {
    return std::make_unique<PostgresMetadataStore>(testing::TestPostgresSettings().ConnectionString(), schema, create);
  };
}

// A new, empty store of that kind.
inline std::unique_ptr<MetadataStore> NewTestMetadataStore(MetadataKind kind, const std::filesystem::path& dir,
                                                           const std::string& stem = "cat") {
  return NewTestMetadataOpener(kind, dir, stem)(true);
}

}  // namespace dlctl::lake
