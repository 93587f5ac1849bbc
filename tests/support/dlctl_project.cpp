#include "support/dlctl_project.h"

#include <gtest/gtest.h>

#include "storage/local_store.h"
#include "storage/s3_store.h"

namespace dlctl::testing {

DlctlProject::DlctlProject(Bucket bucket) {
  if (bucket == Bucket::kS3) {
    S3Settings s3 = TestS3Settings();
    std::string name = UniqueBucketName("project");
    auto store = std::make_shared<S3Store>(s3, name);
    store->CreateBucket();
    env_ = {{"S3_ENDPOINT", "http://" + s3.endpoint},
            {"S3_ACCESS_KEY_ID", s3.access_key_id},
            {"S3_SECRET_ACCESS_KEY", s3.secret_access_key},
            {"S3_REGION", s3.region},
            {"S3_BUCKET", name}};
    store_ = std::move(store);
  } else {
    store_ = std::make_shared<LocalStore>(local() / "bucket" / "lakehouse");
  }
}

CommandResult DlctlProject::RunOnTerminal(const std::vector<std::string>& args, unsigned short columns,
                                          bool stdout_too) const {
  CommandOptions options;
  options.cwd = dir();
  options.env = env_;
  options.stderr_is_terminal = true;
  options.stdout_is_terminal = stdout_too;
  options.terminal_columns = columns;
  return RunDlctl(args, options);
}

CommandResult DlctlProject::Run(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env) const {
  CommandOptions options;
  options.cwd = dir();
  options.env = env_;
  for (const auto& [name, value] : env) options.env[name] = value;
  return RunDlctl(args, options);
}

std::string DlctlProject::Query(const std::string& sql, const std::map<std::string, std::string>& env) const {
  CommandResult result = Run({"query", "-f", "csv", sql}, env);
  EXPECT_EQ(result.exit_code, 0) << sql << "\n" << result.err;
  return result.out;
}

Settings DlctlProject::settings() const {
  EnvEntries entries(env_.begin(), env_.end());
  return BuildSettings({}, entries, dir());
}

}  // namespace dlctl::testing
