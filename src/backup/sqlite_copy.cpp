#include "backup/sqlite_copy.h"

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "util/error.h"

namespace dlctl {
namespace {

using Database = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;

Database Open(const std::filesystem::path& path, int flags, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Database owned(db, &sqlite3_close_v2);
  if (rc != SQLITE_OK)
    throw Error("cannot open " + path.string() + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return owned;
}

}  // namespace

void CopySqliteDatabase(const std::filesystem::path& source, const std::filesystem::path& destination,
                        int busy_timeout_ms) {
  if (!std::filesystem::is_regular_file(source)) throw NotFoundError("catalog database " + source.string() + " does not exist");
  if (std::filesystem::exists(destination)) throw Error("cannot copy into " + destination.string() + ": it exists");
  Database from = Open(source, SQLITE_OPEN_READONLY, busy_timeout_ms);
  Database to = Open(destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_timeout_ms);

  sqlite3_backup* backup = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (!backup) throw Error("cannot back up " + source.string() + ": " + sqlite3_errmsg(to.get()));
  // All pages in one step: one read transaction, so the copy is a single moment of the source.
  // A writer holding the lock makes the step return BUSY or LOCKED; wait and try again.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  int rc = sqlite3_backup_step(backup, -1);
  while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    rc = sqlite3_backup_step(backup, -1);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw Error("cannot back up " + source.string() + ": " + sqlite3_errstr(rc));

  sqlite3_stmt* check = nullptr;
  std::string verdict;
  if (sqlite3_prepare_v2(to.get(), "PRAGMA quick_check", -1, &check, nullptr) == SQLITE_OK &&
      sqlite3_step(check) == SQLITE_ROW)
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
  sqlite3_finalize(check);
  if (verdict != "ok")
    throw Error("the copy of " + source.string() + " fails SQLite's quick_check: " +
                (verdict.empty() ? sqlite3_errmsg(to.get()) : verdict));
}

}  // namespace dlctl
