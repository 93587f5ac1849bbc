#pragma once
// SQL for `dlctl query` that may write to DuckLake catalogs. DuckDB's own parser splits and
// reads the statements; those whose target is a configured lake catalog (stage.dsn.t, or an
// unqualified name after USE stage) run through a LakeTransaction, everything else runs on the
// engine. Each lake statement commits as its own snapshot, or with the others of a
// BEGIN ... COMMIT block as one snapshot per catalog; the catalog is bound again afterwards so
// the next statement sees it.
#include <memory>
#include <string>

#include "config/settings.h"
#include "engine/engine.h"
#include "lake/lake_transaction.h"

namespace dlctl::lake {

class StatementRouter {
 public:
  // `engine` should already have the catalogs bound (Lakehouse::Bind). A catalog whose database
  // does not exist yet is created by its first write.
  StatementRouter(Engine& engine, const Settings& settings, WriteOptions options = {});
  ~StatementRouter();
  StatementRouter(const StatementRouter&) = delete;
  StatementRouter& operator=(const StatementRouter&) = delete;

  // Runs one or more statements and returns the last one's result (a lake INSERT, DELETE or
  // UPDATE returns its row count as "Count", like DuckDB; lake DDL returns nothing).
  QueryResult Run(const std::string& sql);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dlctl::lake
