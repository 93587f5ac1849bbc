#pragma once
// The transform project's part of the lineage: sources, seeds, models and tests as nodes, with
// their descriptions, columns, configs, SQL and last results (target/run_results.json).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

#include "config/settings.h"
#include "storage/object_store.h"

namespace dlctl::docs {

// Fills doc["project"], and appends to doc["nodes"] and doc["edges"]. Throws Error when the
// project does not load or parse.
void AddProjectNodes(const Settings& settings, ObjectStore& store, const std::filesystem::path& project_dir,
                     nlohmann::ordered_json& doc);

}  // namespace dlctl::docs
