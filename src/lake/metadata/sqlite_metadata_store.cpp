#include "lake/metadata/sqlite_metadata_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include "util/error.h"

namespace dlctl::lake {

namespace {

std::pair<uint64_t, uint64_t> FileId(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {0, 0};
  return {static_cast<uint64_t>(info.st_dev), static_cast<uint64_t>(info.st_ino)};
}

// SQLite's busy handler: another connection holds the lock this one needs (a commit of another
// process). `count` is 0 at the first call of each wait.
int WaitWhileBusy(void* wait, int count) {
  auto& lock_wait = *static_cast<LockWait*>(wait);
  if (count == 0) lock_wait.Restart();
  return lock_wait.Retry() ? 1 : 0;
}

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql, const std::string& origin) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
      throw Error("catalog " + origin + ": " + sqlite3_errmsg(db) + " in: " + sql.substr(0, 200));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

void Bind(sqlite3_stmt* stmt, int index, const Value& value) {
  if (auto p = std::get_if<int64_t>(&value)) sqlite3_bind_int64(stmt, index, *p);
  else if (auto p = std::get_if<double>(&value)) sqlite3_bind_double(stmt, index, *p);
  else if (auto p = std::get_if<std::string>(&value))
    sqlite3_bind_text(stmt, index, p->data(), static_cast<int>(p->size()), SQLITE_TRANSIENT);
  else sqlite3_bind_null(stmt, index);
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return std::monostate{};
    default: {
      const char* text = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, i));
      return std::string(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

}  // namespace

SqliteMetadataStore::SqliteMetadataStore(const std::filesystem::path& path, bool create,
                                         std::chrono::milliseconds lock_wait)
    : path_(path), lock_wait_(path.string(), lock_wait, "another commit") {
  if (create) {
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  } else if (!std::filesystem::is_regular_file(path)) {
    throw NotFoundError("catalog database " + path.string() + " does not exist");
  }
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error("cannot open catalog database " + path.string() + ": " + message);
  }
  sqlite3_busy_handler(db_, WaitWhileBusy, &lock_wait_);
  file_id_ = FileId(path);
}

SqliteMetadataStore::~SqliteMetadataStore() { sqlite3_close_v2(db_); }

std::vector<Row> SqliteMetadataStore::Run(const std::string& sql, const std::vector<Value>& params, bool want_rows) {
  Statement stmt(db_, sql, path_.string());
  for (size_t i = 0; i < params.size(); ++i) Bind(stmt.get(), static_cast<int>(i + 1), params[i]);
  std::vector<Row> rows;
  int columns = sqlite3_column_count(stmt.get());
  while (true) {
    int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) Fail(rc, sqlite3_errmsg(db_));
    if (!want_rows) continue;
    Row row;
    row.values.reserve(static_cast<size_t>(columns));
    for (int i = 0; i < columns; ++i) row.values.push_back(ColumnValue(stmt.get(), i));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> SqliteMetadataStore::Query(const std::string& sql, const std::vector<Value>& params) {
  return Run(sql, params, true);
}

void SqliteMetadataStore::Execute(const std::string& sql, const std::vector<Value>& params) {
  Run(sql, params, false);
}

void SqliteMetadataStore::ExecuteScript(const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    Fail(rc, text);
  }
}

void SqliteMetadataStore::Fail(int rc, const std::string& message) const {
  if ((rc & 0xff) == SQLITE_BUSY) throw LockTimeoutError("catalog " + lock_wait_.TimeoutMessage());
  throw Error("catalog " + path_.string() + ": " + message);
}

void SqliteMetadataStore::Begin() { ExecuteScript("BEGIN IMMEDIATE"); }
void SqliteMetadataStore::Commit() { ExecuteScript("COMMIT"); }
void SqliteMetadataStore::Rollback() { ExecuteScript("ROLLBACK"); }

bool SqliteMetadataStore::Replaced() { return FileId(path_) != file_id_; }

bool SqliteMetadataStore::Reusable() { return sqlite3_get_autocommit(db_) != 0 && !Replaced(); }

bool SqliteMetadataStore::TableExists(const std::string& name) {
  return !Query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {name}).empty();
}

}  // namespace dlctl::lake
