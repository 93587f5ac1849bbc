#pragma once
// The table function behind Engine::RegisterVectorRows: __dlctl_vector_rows('<key>') scans rows
// the caller holds in memory, (BIGINT, FLOAT[]) per row, copying whole chunks, in parallel and in
// order. DuckDB types stay in engine/.
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "duckdb.hpp"
#include "engine/engine.h"

namespace dlctl {

inline constexpr const char* kVectorRowsFunction = "__dlctl_vector_rows";

class VectorRowsSources {
 public:
  void Register(const std::string& key, Engine::VectorRows rows);
  void Unregister(const std::string& key);
  // Throws Error for a key nobody registered.
  Engine::VectorRows Find(const std::string& key);

 private:
  std::mutex mutex_;
  std::map<std::string, Engine::VectorRows> sources_;
};

// Adds the table function to the database's system catalog.
void RegisterVectorRowsFunction(duckdb::ClientContext& context, std::shared_ptr<VectorRowsSources> sources);

}  // namespace dlctl
