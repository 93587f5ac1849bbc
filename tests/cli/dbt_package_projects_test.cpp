// The acceptance bar for dbt packages: dbt_utils' and dbt_date's own integration-test projects,
// copied as they ship, run with dlctl deps, seed, transform and test. Every model builds and at
// least 95% of their data tests pass; the few that fail are the known ones, each for a reason
// written here.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/dlctl_project.h"
#include "support/test_env.h"

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;

struct PackageCase {
  std::string package;
  // Tests expected to fail on DuckDB, with why.
  std::map<std::string, std::string> known_failures;
};

std::ostream& operator<<(std::ostream& out, const PackageCase& c) { return out << c.package; }

class DbtPackageProjects : public ::testing::TestWithParam<PackageCase> {
 protected:
  DbtPackageProjects() : project_(Bucket::kLocal) {}

  CommandResult Run(const std::vector<std::string>& args) {
    std::vector<std::string> full = args;
    full.insert(full.end(), {"--project-dir", dir().string()});
    return project_.Run(full);
  }
  fs::path dir() const { return project_.dir() / GetParam().package / "integration_tests"; }

  DlctlProject project_;
};

nlohmann::json RunResults(const fs::path& dir) {
  std::ifstream in(dir / "target" / "run_results.json");
  return nlohmann::json::parse(in);
}

TEST_P(DbtPackageProjects, DepsSeedTransformAndTestAsTheyShip) {
  const PackageCase& c = GetParam();
  fs::copy(fs::path(RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "dbt_packages" / c.package,
           project_.dir() / c.package, fs::copy_options::recursive);
  for (const auto& entry : fs::recursive_directory_iterator(project_.dir() / c.package))  // shared/ is read-only
    fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
  fs::permissions(project_.dir() / c.package, fs::perms::owner_write, fs::perm_options::add);

  CommandResult deps = Run({"deps"});
  ASSERT_EQ(deps.exit_code, 0) << deps.out << deps.err;
  EXPECT_NE(deps.out.find("linked   " + c.package + " (../)"), std::string::npos) << deps.out;
  EXPECT_TRUE(fs::is_regular_file(dir() / "dbt_packages" / c.package / "dbt_project.yml"));

  CommandResult seed = Run({"seed"});
  ASSERT_EQ(seed.exit_code, 0) << seed.out << seed.err;
  CommandResult transform = Run({"transform", "--threads", "2"});
  EXPECT_EQ(transform.exit_code, 0) << transform.out << transform.err;
  size_t models = 0;
  nlohmann::json built = RunResults(dir());
  for (const auto& result : built["results"]) {
    if (result["unique_id"].get<std::string>().rfind("model.", 0) != 0) continue;
    ++models;
    EXPECT_EQ(result["status"], "success") << result.dump();
  }
  EXPECT_GT(models, 0u);

  Run({"test", "--threads", "2"});
  size_t tests = 0, passed = 0;
  std::set<std::string> failed;
  nlohmann::json tested = RunResults(dir());
  for (const auto& result : tested["results"]) {
    ++tests;
    if (result["status"] == "pass") ++passed;
    else failed.insert(result["unique_id"].get<std::string>().substr(result["unique_id"].get<std::string>().rfind('.') + 1));
  }
  ASSERT_GT(tests, 30u);
  EXPECT_GE(static_cast<double>(passed) / static_cast<double>(tests), 0.95) << passed << " of " << tests;
  for (const std::string& name : failed) EXPECT_TRUE(c.known_failures.count(name)) << "unexpected failure: " << name;
}

const char* kFourByteFloat =
    "the seed's column_types say float, which DuckDB makes a 4-byte REAL (PostgreSQL: 8 bytes); the test's "
    "arithmetic needs the 8-byte precision";

INSTANTIATE_TEST_SUITE_P(
    Packages, DbtPackageProjects,
    ::testing::Values(
        PackageCase{"dbt_utils",
                    {{"assert_equal_test_width_bucket_actual__expected", kFourByteFloat},
                     // equality at precision 8 over the float seeds, expected to find differences
                     {"dbt_utils_equality_data_test_e_bba9ff2f74a66b4de2b3f78bab97434e", kFourByteFloat}}},
        PackageCase{"dbt_date", {}}),
    [](const ::testing::TestParamInfo<PackageCase>& info) { return info.param.package; });

}  // namespace
}  // namespace dlctl::testing
