#include "engine/database_copy.h"

#include "duckdb.hpp"
#include "util/error.h"
#include "util/lock_wait.h"
#include "util/sql_quote.h"

namespace dlctl {
void CopyDuckDbDatabase(const std::filesystem::path& source, const std::filesystem::path& destination,
                        std::chrono::milliseconds lock_wait) {
  if (std::filesystem::exists(destination)) throw Error("cannot copy into " + destination.string() + ": it exists");
  duckdb::DBConfig config;
  config.SetOptionByName("autoinstall_known_extensions", duckdb::Value::BOOLEAN(false));
  config.SetOptionByName("autoload_known_extensions", duckdb::Value::BOOLEAN(false));
  duckdb::DuckDB db(nullptr, &config);
  duckdb::Connection connection(db);
  auto fail = [&](std::string message) {
    throw Error("cannot copy engine database " + source.string() + ": " + OneLine(std::move(message)));
  };
  // A process writing to the database holds it locked for itself: wait for it to finish.
  LockWait wait(source.string(), lock_wait);
  while (true) {
    auto result = connection.Query("ATTACH " + SqlLiteral(source.string()) + " AS copy_source (READ_ONLY)");
    if (!result->HasError()) break;
    if (result->GetError().find("Could not set lock on file") == std::string::npos) fail(result->GetError());
    if (!wait.Retry(LockHolder(source.string()))) fail(wait.TimeoutMessage(LockHolder(source.string())));
  }
  for (const std::string& sql :
       {"ATTACH " + SqlLiteral(destination.string()) + " AS copy_target",
        std::string("COPY FROM DATABASE copy_source TO copy_target"),
        std::string("DETACH copy_target"), std::string("DETACH copy_source")}) {
    auto result = connection.Query(sql);
    if (result->HasError()) fail(result->GetError());
  }
}

}  // namespace dlctl
