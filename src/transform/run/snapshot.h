#pragma once
// dbt's snapshots on the lake: type-2 history of a query's rows by `unique_key`, in one
// transaction per run. The first run copies the rows with dbt_scd_id, dbt_updated_at,
// dbt_valid_from and dbt_valid_to (NULL, or dbt_valid_to_current, for the current version);
// later runs close the current version of each changed row (dbt_valid_to) and insert its new
// version, insert new keys, and for keys gone from the query follow hard_deletes: ignore,
// invalidate (close the version) or new_record (also a version with dbt_is_deleted 'True').
//   strategy timestamp: a row changed when its updated_at is later than its current version's
//   strategy check: when one of check_cols ('all' or a list) differs (NULLs compare equal)
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "transform/compile/relation.h"

namespace dlctl::transform {

struct SnapshotWrite {
  Relation relation;
  std::string sql;                          // the snapshot's SELECT
  std::string strategy;                     // timestamp or check
  std::vector<std::string> unique_key;
  std::string updated_at;                   // timestamp: a column or expression
  std::vector<std::string> check_cols;      // check: empty means all columns
  std::string hard_deletes = "ignore";      // ignore, invalidate, new_record
  std::optional<std::string> valid_to_current;  // SQL for the current version's dbt_valid_to
  // snapshot_meta_column_names
  std::string scd_id = "dbt_scd_id", updated = "dbt_updated_at", valid_from = "dbt_valid_from",
              valid_to = "dbt_valid_to", is_deleted = "dbt_is_deleted";
};

// The snapshot settings of a snapshot's config (strategy, unique_key, updated_at, check_cols,
// hard_deletes or invalidate_hard_deletes, dbt_valid_to_current, snapshot_meta_column_names).
// Error naming what is missing or wrong.
SnapshotWrite SnapshotSettings(const Relation& relation, std::string sql, const nlohmann::json& config_values);

// Writes the snapshot in one transaction; returns the rows inserted and closed.
int64_t WriteSnapshot(const SnapshotWrite& snapshot, Engine& engine);

}  // namespace dlctl::transform
