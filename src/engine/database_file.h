#pragma once
// The engine's default database kept in a DuckDB file that many dlctl processes share
// (local/engine.duckdb). DuckDB locks a file it opens read-write for itself alone, so the file is
// attached read-only (a shared lock: any number of processes read it side by side) and attached
// read-write only once a statement writes to it, waiting for another process's exclusive lock
// instead of failing. A file that does not exist yet reads as an empty database and is created
// by the first statement that writes to it. Writes to lake catalogs are not writes to this file:
// they go to each catalog's metadata store.
#include <chrono>
#include <filesystem>
#include <string>

#include "duckdb.hpp"

namespace dlctl {

class DatabaseFile {
 public:
  // Attaches `path` read-only as the connection's default database, named after the file's
  // stem (engine), waiting up to `lock_wait` while another process writes to it.
  DatabaseFile(duckdb::Connection& connection, std::filesystem::path path, std::chrono::milliseconds lock_wait);

  // Before a script runs: attaches the file read-write when a statement of it writes to the file,
  // as far as DuckDB binds the statements before the earlier ones ran (BEGIN; CREATE ...), and
  // when a script with a transaction has statements it cannot bind yet.
  void BeforeScript(const duckdb::vector<duckdb::unique_ptr<duckdb::SQLStatement>>& statements);

  // Before one statement runs: the same, now that the statements before it ran. Inside an open
  // transaction the file can no longer change hands: that is an Error saying what to do.
  void BeforeStatement(const duckdb::SQLStatement& statement);

 private:
  // kUnknown: DuckDB cannot bind the statement yet (it needs what an earlier one makes); run,
  // it either fails the same way or binds then.
  enum class Access { kReadsOnly, kWrites, kUnknown };
  Access Writes(const duckdb::SQLStatement& statement);
  void AttachWritable();
  // ATTACH, retried while another process holds a conflicting lock on the file.
  void Attach(bool writable);
  void Run(const std::string& sql);

  duckdb::Connection& connection_;
  std::filesystem::path path_;
  std::string name_;
  std::chrono::milliseconds lock_wait_;
  bool writable_ = false;
};

}  // namespace dlctl
