#pragma once
// MetadataStore on a SQLite file, the way DuckDB's ducklake extension keeps a catalog.
#include <chrono>
#include <filesystem>
#include <memory>
#include <utility>

#include "lake/metadata/metadata_store.h"
#include "util/lock_wait.h"

struct sqlite3;

namespace dlctl::lake {

class SqliteMetadataStore : public MetadataStore {
 public:
  // Opens an existing file, or creates it when `create` is set (its folder too). A lock another
  // process holds (its commit) is waited for up to `lock_wait`.
  SqliteMetadataStore(const std::filesystem::path& path, bool create,
                      std::chrono::milliseconds lock_wait = std::chrono::seconds(120));
  ~SqliteMetadataStore() override;

  std::vector<Row> Query(const std::string& sql, const std::vector<Value>& params = {}) override;
  void Execute(const std::string& sql, const std::vector<Value>& params = {}) override;
  void ExecuteScript(const std::string& sql) override;
  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool TableExists(const std::string& name) override;
  bool Replaced() override;
  bool Reusable() override;
  std::string Describe() const override { return path_.string(); }
  Dialect dialect() const override { return Dialect::kSqlite; }

  sqlite3* handle() { return db_; }

 private:
  std::vector<Row> Run(const std::string& sql, const std::vector<Value>& params, bool want_rows);
  // Throws the error of SQLite result code `rc`: a LockTimeoutError when another process held
  // the database for longer than the lock wait.
  [[noreturn]] void Fail(int rc, const std::string& message) const;

  std::filesystem::path path_;
  LockWait lock_wait_;
  sqlite3* db_ = nullptr;
  // The file opened (device, inode): a file renamed over path_ later is another database.
  std::pair<uint64_t, uint64_t> file_id_{0, 0};
};

}  // namespace dlctl::lake
