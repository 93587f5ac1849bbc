#include "cli/snapshot_option.h"

#include <charconv>

namespace dlctl {

std::optional<int64_t> ParseSnapshotId(const std::string& text) {
  int64_t id = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, id);
  if (text.empty() || error != std::errc() || stop != end || id < 0) return std::nullopt;
  return id;
}

std::string SnapshotIdProblem(const std::string& text) {
  if (ParseSnapshotId(text)) return "";
  return "wants a snapshot id, a whole number >= 0 (as `dlctl lake snapshots CATALOG` lists them); got '" + text + "'";
}

namespace {

CLI::Validator SnapshotIdValidator() {
  return CLI::Validator([](std::string& text) { return SnapshotIdProblem(text); }, "ID", "snapshot id");
}

}  // namespace

CLI::Option* AddSnapshotOption(CLI::App* command, int64_t& id, const std::string& description) {
  return command->add_option("--snapshot", id, description)->check(SnapshotIdValidator())->option_text("ID");
}

CLI::Option* AddSnapshotOption(CLI::App* command, std::optional<int64_t>& id, const std::string& description) {
  return command->add_option("--snapshot", id, description)->check(SnapshotIdValidator())->option_text("ID");
}

}  // namespace dlctl
