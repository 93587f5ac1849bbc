#include "backup/backup_manifest.h"

#include "util/error.h"

namespace dlctl {
namespace {

// A '/'-separated relative path with no empty, "." or ".." segment.
bool IsSafeRelativePath(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return path.find('\\') == std::string::npos;
}

}  // namespace

std::optional<TimePoint> BackupTimeOfKey(const std::string& version_key) {
  size_t last = version_key.rfind('/');
  if (last == std::string::npos || last == 0) return std::nullopt;
  size_t before = version_key.rfind('/', last - 1);
  return ParseVersionFolderName(version_key.substr(before == std::string::npos ? 0 : before + 1));
}

nlohmann::json BackupManifestJson(const Backup& backup) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : backup.files) {
    nlohmann::json file = {{"path", f.path}, {"kind", f.kind}, {"catalog", f.catalog}, {"size", f.size},
                           {"sha256", f.sha256}};
    if (!f.postgres_schema.empty()) file["postgres_schema"] = f.postgres_schema;
    files.push_back(file);
  }
  return {{"id", backup.id}, {"files", files}, {"skipped", backup.skipped}};
}

void LoadBackupManifest(ObjectStore& store, Backup& backup) {
  std::string where = "backup manifest " + store.Uri(BackupManifestKey(backup.key));
  try {
    nlohmann::json json = nlohmann::json::parse(store.Get(BackupManifestKey(backup.key)));
    backup.files.clear();
    for (const auto& f : json.at("files")) {
      BackupFile file;
      file.path = f.at("path").get<std::string>();
      file.kind = f.at("kind").get<std::string>();
      file.catalog = f.value("catalog", "");
      file.postgres_schema = f.value("postgres_schema", "");
      file.size = f.at("size").get<uint64_t>();
      file.sha256 = f.at("sha256").get<std::string>();
      if (!IsSafeRelativePath(file.path)) throw Error(where + " names a file outside the backup: '" + file.path + "'");
      if (file.sha256.size() != 64) throw Error(where + " has no valid SHA-256 for " + file.path);
      backup.files.push_back(std::move(file));
    }
    backup.skipped = json.value("skipped", std::vector<std::string>{});
  } catch (const nlohmann::json::exception&) {
    throw Error(where + " is not valid: it needs files with path, kind, size and sha256");
  }
}

}  // namespace dlctl
