#pragma once
// MetadataStore on a PostgreSQL schema (libpq), the way DuckDB's ducklake extension keeps a
// catalog with METADATA_SCHEMA: the same 28 tables with PostgreSQL types.
//
// Commits are serialized like on SQLite: Begin() opens a READ COMMITTED transaction and takes
// pg_advisory_xact_lock(<key of the schema>), so one writer at a time holds the catalog and,
// because every statement of a READ COMMITTED transaction sees what was committed before it,
// the commit code re-reads the snapshots committed in between, checks conflicts and goes on.
// The primary key on ducklake_snapshot.snapshot_id is the backstop for writers that do not take
// the lock (DuckDB's extension). Readers never take it.
#include <string>

#include "lake/metadata/metadata_store.h"

struct pg_conn;

namespace dlctl::lake {

class PostgresMetadataStore : public MetadataStore {
 public:
  // Connects (libpq key=value string; libpq's PG* variables fill the rest) and works in
  // `schema`, which is created when `create` is set and must exist otherwise (NotFoundError).
  PostgresMetadataStore(const std::string& connection_string, const std::string& schema, bool create);
  ~PostgresMetadataStore() override;

  std::vector<Row> Query(const std::string& sql, const std::vector<Value>& params = {}) override;
  void Execute(const std::string& sql, const std::vector<Value>& params = {}) override;
  void ExecuteScript(const std::string& sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool TableExists(const std::string& name) override;
  std::string Describe() const override { return description_; }
  Dialect dialect() const override { return Dialect::kPostgres; }

  const std::string& schema() const { return schema_; }

 private:
  std::vector<Row> Run(const std::string& sql, const std::vector<Value>& params);

  std::string schema_;
  std::string description_;
  pg_conn* conn_ = nullptr;
};

// The advisory lock key of a catalog schema (FNV-1a of "ducklake:<schema>"): the same for
// every dlctl process and machine writing to it.
int64_t CatalogLockKey(const std::string& schema);

// '?' placeholders outside literals, quoted identifiers and comments as $1, $2, ...
std::string NumberPlaceholders(const std::string& sql);

}  // namespace dlctl::lake
