#pragma once
// The table function behind Engine::RegisterTableSource: __dlctl_table_source('<key>') is
// replaced, when a query binds it, by the SELECT its registered source returns. DuckDB types
// stay in engine/.
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "duckdb.hpp"

namespace dlctl {

inline constexpr const char* kTableSourceFunction = "__dlctl_table_source";

class TableSources {
 public:
  void Register(const std::string& key, std::function<std::string()> select_sql);
  // The SELECT for `key`; throws Error for a key nobody registered.
  std::string SelectSql(const std::string& key);

 private:
  std::mutex mutex_;
  std::map<std::string, std::function<std::string()>> sources_;
};

// Adds the table function to the database's system catalog.
void RegisterTableSourceFunction(duckdb::ClientContext& context, std::shared_ptr<TableSources> sources);

}  // namespace dlctl
