#include <map>

#include "backup/backup.h"
#include "backup/backup_manifest.h"

namespace dlctl {

std::vector<Backup> ListBackups(const Settings& settings, ObjectStore& store, bool with_files) {
  VersionedDatasets backups(store, settings.backups_prefix);
  auto manifest = backups.ReadManifest(kBackupDataset);
  std::string folder = backups.DatasetFolder(kBackupDataset);

  // One listing of every backup's objects, grouped by version folder (date/time: two segments).
  std::map<std::string, std::vector<ObjectInfo>> objects_by_version;
  for (const auto& object : store.List(folder)) {
    size_t date_end = object.key.find('/', folder.size());
    size_t time_end = date_end == std::string::npos ? date_end : object.key.find('/', date_end + 1);
    if (time_end == std::string::npos) continue;  // the dataset's own manifest.json
    std::string version_key = object.key.substr(0, time_end);
    if (BackupTimeOfKey(version_key)) objects_by_version[version_key].push_back(object);
  }

  std::vector<Backup> list;
  for (const auto& [key, objects] : objects_by_version) {
    Backup backup;
    backup.key = key;
    backup.time = *BackupTimeOfKey(key);
    backup.id = IsoTimestamp(backup.time);
    backup.uri = store.Uri(key);
    backup.latest = manifest && manifest->latest_key == key;
    for (const auto& object : objects)
      if (object.key == BackupManifestKey(key)) backup.complete = true;
    if (with_files && backup.complete) {
      LoadBackupManifest(store, backup);
    } else if (with_files) {
      for (const auto& object : objects)
        backup.files.push_back({object.key.substr(key.size() + 1), "", "", object.size, ""});
    }
    list.push_back(std::move(backup));
  }
  return list;
}

PruneReport PruneBackups(const Settings& settings, ObjectStore& store, std::optional<int> keep, bool dry_run) {
  VersionedDatasets backups(store, settings.backups_prefix);
  return backups.Prune(kBackupDataset, keep, dry_run);
}

}  // namespace dlctl
