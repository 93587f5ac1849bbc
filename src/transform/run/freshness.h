#pragma once
// `dlctl source freshness`: for each selected source table with a `freshness` config
// (warn_after / error_after: {count, period: minute|hour|day}, filter), how old its newest row
// is: max(loaded_at_field) of a lake table, or for a raw dataset the time its latest version
// was ingested. Results go to target/sources.json in dbt's sources v3 schema.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "storage/object_store.h"
#include "transform/run/runner.h"

namespace dlctl::transform {

struct FreshnessResult {
  std::string unique_id;
  std::string name;                    // <source>.<table>
  std::string status;                  // pass, warn, error, runtime error
  std::optional<std::string> max_loaded_at, snapshotted_at;  // UTC, ISO 8601
  double age_seconds = 0;
  nlohmann::json criteria;             // the freshness config
  std::string message;
  double seconds = 0;
  size_t index = 0, total = 0;
};

struct FreshnessReport {
  std::vector<FreshnessResult> results;
  double seconds = 0;
  std::vector<std::string> warnings;
  bool failed() const;  // an error or runtime error
};

// Throws Error for problems before any source is checked.
FreshnessReport CheckFreshness(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options,
                               const std::function<void(const FreshnessResult&)>& on_result);

std::string FormatFreshnessLine(const FreshnessResult& result);

}  // namespace dlctl::transform
