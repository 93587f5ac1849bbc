#pragma once
// MetadataStore on a SQLite file, the way DuckDB's ducklake extension keeps a catalog.
#include <filesystem>
#include <memory>

#include "lake/metadata/metadata_store.h"

struct sqlite3;

namespace dlctl::lake {

class SqliteMetadataStore : public MetadataStore {
 public:
  // Opens an existing file, or creates it when `create` is set (its folder too).
  SqliteMetadataStore(const std::filesystem::path& path, bool create);
  ~SqliteMetadataStore() override;

  std::vector<Row> Query(const std::string& sql, const std::vector<Value>& params = {}) override;
  void Execute(const std::string& sql, const std::vector<Value>& params = {}) override;
  void ExecuteScript(const std::string& sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool TableExists(const std::string& name) override;
  std::string Describe() const override { return path_.string(); }
  Dialect dialect() const override { return Dialect::kSqlite; }

  sqlite3* handle() { return db_; }

 private:
  std::vector<Row> Run(const std::string& sql, const std::vector<Value>& params, bool want_rows);

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace dlctl::lake
