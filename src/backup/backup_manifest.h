#pragma once
// What a backup's manifest.json holds, and how a backup folder names its id.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "backup/backup.h"
#include "storage/object_store.h"

namespace dlctl {

// The time a version key names: "backups/catalog/2025_06_03/19_56_03_123" -> 2025-06-03 19:56:03.123
// UTC; nullopt for other keys. The backup's id is IsoTimestamp of it.
std::optional<TimePoint> BackupTimeOfKey(const std::string& version_key);

// <version>/manifest.json: the file list restore verifies against.
inline std::string BackupManifestKey(const std::string& version_key) { return version_key + "/manifest.json"; }

// {"id": ..., "files": [{path, kind, catalog, size, sha256, postgres_schema?}], "skipped": [path, ...]}
nlohmann::json BackupManifestJson(const Backup& backup);

// Fills backup.files and backup.skipped from <backup.key>/manifest.json. Throws NotFoundError when
// it does not exist, Error when it is not valid or a path could escape a restore target.
void LoadBackupManifest(ObjectStore& store, Backup& backup);

}  // namespace dlctl
