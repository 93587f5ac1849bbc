#include "engine/database_copy.h"

#include "duckdb.hpp"
#include "util/error.h"

namespace dlctl {
namespace {

std::string Literal(const std::filesystem::path& path) {
  std::string quoted = "'";
  for (char c : path.string()) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

void CopyDuckDbDatabase(const std::filesystem::path& source, const std::filesystem::path& destination) {
  if (std::filesystem::exists(destination)) throw Error("cannot copy into " + destination.string() + ": it exists");
  duckdb::DBConfig config;
  config.SetOptionByName("autoinstall_known_extensions", duckdb::Value::BOOLEAN(false));
  config.SetOptionByName("autoload_known_extensions", duckdb::Value::BOOLEAN(false));
  duckdb::DuckDB db(nullptr, &config);
  duckdb::Connection connection(db);
  for (const std::string& sql :
       {"ATTACH " + Literal(source) + " AS copy_source (READ_ONLY)",
        "ATTACH " + Literal(destination) + " AS copy_target",
        std::string("COPY FROM DATABASE copy_source TO copy_target"), std::string("DETACH copy_target"),
        std::string("DETACH copy_source")}) {
    auto result = connection.Query(sql);
    if (result->HasError()) {
      std::string message = result->GetError();
      for (char& c : message)
        if (c == '\n') c = ' ';
      throw Error("cannot copy engine database " + source.string() + ": " + message);
    }
  }
}

}  // namespace dlctl
