#include "cli/context.h"

namespace dlctl {

const Settings& CliContext::settings() {
  if (!settings_) settings_ = LoadSettings(env_file);
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
  for (const auto& [name, value] : settings_->variables) {
    if (!IsSecretVariable(name) || value.size() < 4) continue;
    for (size_t at = message.find(value); at != std::string::npos; at = message.find(value, at))
      message.replace(at, value.size(), "***");
  }
  return message;
}

}  // namespace dlctl
