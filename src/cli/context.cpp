#include "cli/context.h"

#include <cstdio>

#include "util/secret_mask.h"

namespace dlctl {

const Settings& CliContext::settings() {
  if (!settings_) {
    settings_ = LoadSettings(env_file);
    for (const std::string& warning : settings_->warnings) std::fprintf(stderr, "dlctl: warning: %s\n", warning.c_str());
  }
  return *settings_;
}

std::shared_ptr<ObjectStore> CliContext::store() {
  if (!store_) store_ = OpenObjectStore(settings());
  return store_;
}

std::filesystem::path CliContext::TransformProjectDir(const std::string& option) {
  if (!option.empty()) return option;
  const auto& variables = settings().variables;
  if (auto found = variables.find("DBT_PROJECT_DIR"); found != variables.end()) return found->second;
  return "transform";
}

std::string CliContext::Scrub(std::string message) const {
  if (!settings_) return message;
  return MaskSecrets(std::move(message), SecretValues(*settings_));
}

}  // namespace dlctl
