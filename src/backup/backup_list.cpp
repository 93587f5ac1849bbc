#include <fmt/format.h>

#include <map>

#include "backup/backup.h"
#include "backup/backup_manifest.h"
#include "util/error.h"

namespace dlctl {
namespace {

// What keeps a finished backup from being restored: a file its manifest names that is missing or
// has another size; empty when there is nothing.
std::string DamageOf(ObjectStore& store, Backup& backup, const std::vector<ObjectInfo>& objects) {
  try {
    LoadBackupManifest(store, backup);
  } catch (const NotFoundError&) {
    return "damaged: its manifest.json is missing";
  } catch (const Error& e) {
    return std::string("damaged: ") + e.what();
  }
  std::map<std::string, uint64_t> sizes;
  for (const auto& object : objects) sizes[object.key] = object.size;
  for (const auto& file : backup.files) {
    auto found = sizes.find(backup.key + "/" + file.path);
    if (found == sizes.end()) return "damaged: " + file.path + " is missing";
    if (found->second != file.size)
      return fmt::format("damaged: {} has {} bytes, its manifest says {}", file.path, found->second, file.size);
  }
  return "";
}

}  // namespace

VersionedDatasets BackupDatasets(const Settings& settings, ObjectStore& store) {
  return VersionedDatasets(store, settings.backups_prefix, 1, "manifest.json");
}

std::vector<Backup> ListBackups(const Settings& settings, ObjectStore& store, bool with_files) {
  VersionedDatasets backups = BackupDatasets(settings, store);
  Dataset dataset = backups.Describe(kBackupDataset, false);
  std::vector<Backup> list;
  for (const auto& version : dataset.versions) {
    Backup backup;
    backup.key = version.key;
    backup.time = version.time;
    backup.id = IsoTimestamp(backup.time);
    backup.uri = store.Uri(version.key);
    std::vector<ObjectInfo> objects = store.List(version.key + "/");
    backup.problem = version.complete ? DamageOf(store, backup, objects) : "incomplete: being written, or abandoned";
    backup.complete = backup.problem.empty();
    backup.latest = backup.complete && dataset.manifest && dataset.manifest->latest_key == version.key;
    if (!backup.complete || !with_files) backup.files.clear();
    if (with_files && !backup.complete)
      for (const auto& object : objects)
        backup.files.push_back({object.key.substr(version.key.size() + 1), "", "", object.size, ""});
    list.push_back(std::move(backup));
  }
  return list;
}

PruneReport PruneBackups(const Settings& settings, ObjectStore& store, std::optional<int> keep, bool dry_run,
                         TimePoint now) {
  std::vector<std::string> damaged;
  for (const Backup& backup : ListBackups(settings, store, false))
    if (!backup.complete) damaged.push_back(backup.key);
  return BackupDatasets(settings, store).Prune(kBackupDataset, keep, dry_run, now, damaged);
}

}  // namespace dlctl
