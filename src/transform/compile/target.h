#pragma once
// The dbt target a run uses: the profile named by dbt_project.yml (`profile:`, or --profile) in
// profiles.yml (--profiles-dir, else $DBT_PROFILES_DIR, else the project folder, else ~/.dbt),
// its `target:` output or --target. dlctl runs DuckDB targets on its lake: the output's `schema`
// (default main) and `threads` count; the database is the lake's first catalog.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "config/settings.h"

namespace dlctl::transform {

// The profile's target as templates see it (target.name, target.schema, ...).
struct Target {
  std::string name = "dev";
  std::string schema = "main";
  std::string profile_name;
  int threads = 1;
  bool from_profile = false;  // false: no profiles.yml had the profile (defaults above)
  std::string profiles_path;  // the profiles.yml read, if any
};

struct ProfileOptions {
  std::string profiles_dir;  // --profiles-dir
  std::string profile;       // --profile
  std::string target;        // --target
};

// Finds and reads the target. No profiles.yml, or none with the profile, gives the defaults
// unless --target or --profile asked for one (UsageError). A target of another type than
// duckdb is a UsageError. Values are rendered with Jinja (env_var, var of --vars).
Target ResolveTarget(const std::filesystem::path& project_dir, const ProfileOptions& options, const Settings& settings,
                     const nlohmann::json& cli_vars);

}  // namespace dlctl::transform
