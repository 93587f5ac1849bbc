#include "engine/database_file.h"

#include "util/error.h"
#include "util/lock_wait.h"
#include "util/sql_quote.h"

namespace dlctl {

namespace {

// DuckDB's words when another process holds a lock on the file that conflicts with this one.
bool IsLockConflict(const std::string& message) { return message.find("Could not set lock on file") != std::string::npos; }

}  // namespace

DatabaseFile::DatabaseFile(duckdb::Connection& connection, std::filesystem::path path,
                           std::chrono::milliseconds lock_wait)
    : connection_(connection), path_(std::move(path)), name_(path_.stem().string()), lock_wait_(lock_wait) {
  Attach(false);
}

void DatabaseFile::BeforeScript(const duckdb::vector<duckdb::unique_ptr<duckdb::SQLStatement>>& statements) {
  if (statements.size() < 2) return;  // BeforeStatement does the same for a single statement
  bool transaction = false, unbound = false;
  for (const auto& statement : statements) {
    if (writable_) return;
    transaction = transaction || statement->type == duckdb::StatementType::TRANSACTION_STATEMENT;
    switch (Writes(*statement)) {
      case Access::kWrites:
        AttachWritable();
        break;
      case Access::kUnknown:
        unbound = true;
        break;
      case Access::kReadsOnly:
        break;
    }
  }
  // Inside a transaction the file cannot change hands, and a statement that binds only once an
  // earlier one ran (on a table the script makes) may write to it.
  if (!writable_ && transaction && unbound) AttachWritable();
}

void DatabaseFile::BeforeStatement(const duckdb::SQLStatement& statement) {
  if (writable_ || Writes(statement) != Access::kWrites) return;
  if (!connection_.context->transaction.IsAutoCommit())
    throw Error("this statement writes to the engine database " + path_.string() +
                ", which the open transaction has read-only: run it outside the transaction");
  AttachWritable();
}

DatabaseFile::Access DatabaseFile::Writes(const duckdb::SQLStatement& statement) {
  // DuckDB's binder knows which databases a statement modifies.
  auto prepared = connection_.Prepare(statement.Copy());
  if (prepared->HasError()) return Access::kUnknown;
  for (const auto& [database, identity] : prepared->GetStatementProperties().modified_databases)
    if (duckdb::StringUtil::CIEquals(database, name_)) return Access::kWrites;
  return Access::kReadsOnly;
}

void DatabaseFile::AttachWritable() {
  // DuckDB does not detach the default database: the in-memory one stands in meanwhile.
  Run("USE memory");
  Run("DETACH " + SqlIdentifier(name_));
  Attach(true);
}

void DatabaseFile::Attach(bool writable) {
  std::string sql;
  if (writable) {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
    if (ec) throw Error("cannot create the folder of the engine database " + path_.string() + ": " + ec.message());
    sql = "ATTACH " + SqlLiteral(path_.string()) + " AS " + SqlIdentifier(name_);
  } else if (std::filesystem::exists(path_)) {
    sql = "ATTACH " + SqlLiteral(path_.string()) + " AS " + SqlIdentifier(name_) + " (READ_ONLY)";
  } else {
    sql = "ATTACH ':memory:' AS " + SqlIdentifier(name_);  // what an empty file reads as
  }
  LockWait wait(path_.string(), lock_wait_);
  while (true) {
    auto result = connection_.Query(sql);
    if (!result->HasError()) break;
    if (!IsLockConflict(result->GetError()))
      throw Error("cannot open the engine database " + path_.string() + ": " + OneLine(result->GetError()));
    if (!wait.Retry(LockHolder(path_.string()))) throw Error(wait.TimeoutMessage(LockHolder(path_.string())));
  }
  writable_ = writable;
  Run("USE " + SqlIdentifier(name_));
}

void DatabaseFile::Run(const std::string& sql) {
  auto result = connection_.Query(sql);
  if (result->HasError())
    throw Error("engine database " + path_.string() + ": " + OneLine(result->GetError()));
}

}  // namespace dlctl
