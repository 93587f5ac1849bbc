#pragma once
// What every command shares: global options, and settings and storage opened on first use
// (so `--help` works without any settings at all).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "config/settings.h"
#include "storage/object_store.h"

namespace dlctl {

class CliContext {
 public:
  std::optional<std::filesystem::path> env_file;  // --env-file

  const Settings& settings();
  std::shared_ptr<ObjectStore> store();

  // The transform (dbt) project: `option` (--project-dir) when given, else $DBT_PROJECT_DIR,
  // else ./transform.
  std::filesystem::path TransformProjectDir(const std::string& option);

  // `message` with every secret setting's value masked; safe to print.
  std::string Scrub(std::string message) const;

 private:
  std::optional<Settings> settings_;
  std::shared_ptr<ObjectStore> store_;
};

}  // namespace dlctl
