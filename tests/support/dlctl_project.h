#pragma once
// A scratch dlctl project for tests that run the binary: a working folder whose local/ holds the
// engine database and the catalogs, with the bucket on the embedded local default or on a fresh
// bucket of the test S3 server.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.h"
#include "storage/object_store.h"
#include "support/run_command.h"
#include "support/test_env.h"

namespace dlctl::testing {

enum class Bucket { kLocal, kS3 };

class DlctlProject {
 public:
  explicit DlctlProject(Bucket bucket);

  // dlctl with `args` in the project folder; `env` adds or overrides variables.
  CommandResult Run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) const;
  // dlctl with stderr (and with `stdout_too` stdout) on a pseudo-terminal `columns` wide, where
  // progress shows.
  CommandResult RunOnTerminal(const std::vector<std::string>& args, unsigned short columns = 60,
                              bool stdout_too = false) const;
  // `dlctl query -f csv SQL`, failing the test when it fails.
  std::string Query(const std::string& sql, const std::map<std::string, std::string>& env = {}) const;

  // The settings dlctl sees here (for calling modules directly).
  Settings settings() const;
  std::shared_ptr<ObjectStore> store() const { return store_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path local() const { return dir_.path() / "local"; }
  const std::map<std::string, std::string>& env() const { return env_; }

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
  std::shared_ptr<ObjectStore> store_;
};

inline std::string BucketName(const ::testing::TestParamInfo<Bucket>& info) {
  return info.param == Bucket::kLocal ? "Local" : "S3";
}

}  // namespace dlctl::testing
