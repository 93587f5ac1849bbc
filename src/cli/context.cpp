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
