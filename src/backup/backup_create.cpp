#include <set>

#include "backup/backup.h"
#include "backup/backup_manifest.h"
#include "backup/file_digest.h"
#include "backup/postgres_dump.h"
#include "backup/sqlite_copy.h"
#include "engine/database_copy.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/owned_scratch.h"
#include "util/scratch_folder.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

struct Source {
  fs::path file;                              // the engine database or a catalog's SQLite file
  const CatalogSettings* postgres = nullptr;  // or a catalog on PostgreSQL
  BackupFile entry;
};

// Where a file goes in the backup: its path under local_dir ("stage.sqlite", "marts/graphs.sqlite"
// with the default settings); a file configured outside local_dir goes to the top, or to marts/.
std::string BackupPathOf(const Settings& settings, const fs::path& file, bool is_mart) {
  fs::path relative = file.lexically_relative(settings.local_dir);
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return (is_mart ? "marts/" : "") + file.filename().string();
}

std::vector<Source> Sources(const Settings& settings) {
  std::vector<Source> sources;
  sources.push_back(
      {settings.engine_db, nullptr, {BackupPathOf(settings, settings.engine_db, false), "engine", "", 0, ""}});
  for (const auto& catalog : settings.catalogs) {
    if (catalog.postgres_schema)
      sources.push_back(
          {{}, &catalog, {"postgres/" + catalog.name + ".sqlite", "catalog", catalog.name, 0, "", *catalog.postgres_schema}});
    else
      sources.push_back({catalog.db_path, nullptr,
                         {BackupPathOf(settings, catalog.db_path, catalog.is_mart), "catalog", catalog.name, 0, ""}});
  }
  std::set<std::string> paths;
  for (const auto& source : sources)
    if (!paths.insert(source.entry.path).second)
      throw UsageError("two backed-up files would both be " + source.entry.path +
                       " in the backup: keep catalog files under LOCAL_DIR");
  return sources;
}

}  // namespace

Backup CreateBackup(const Settings& settings, ObjectStore& store, TimePoint now) {
  std::vector<Source> present;
  Backup backup;
  for (auto& source : Sources(settings)) {
    bool exists = source.postgres ? PostgresCatalogExists(settings, *source.postgres) : fs::is_regular_file(source.file);
    if (exists)
      present.push_back(std::move(source));
    else
      backup.skipped.push_back(source.entry.path);
  }
  if (present.empty())
    throw Error("nothing to back up: neither the engine database nor any catalog exists (files under " +
                settings.local_dir.string() + ", PostgreSQL schemas named by PSQL_CATALOG_*_SCHEMA)");

  // Every copy first, close together in time, then the uploads.
  RemoveAbandonedScratch(settings.local_dir, kBackupScratchPrefix, now);
  ScratchFolder staging(OwnedScratchPath(settings.local_dir, kBackupScratchPrefix, now));
  ProgressLine progress("backup:");
  for (auto& source : present) {
    progress.Update("copying " + source.entry.path, true);
    fs::path copy = staging.path() / source.entry.path;
    fs::create_directories(copy.parent_path());
    if (source.postgres)
      DumpPostgresCatalog(settings, *source.postgres, copy);
    else if (source.entry.kind == "engine")
      CopyDuckDbDatabase(source.file, copy, settings.lock_wait);
    else
      CopySqliteDatabase(source.file, copy,
                         static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(settings.lock_wait).count()));
    source.entry.size = fs::file_size(copy);
    source.entry.sha256 = Sha256OfFile(copy);
  }

  VersionedDatasets backups = BackupDatasets(settings, store);
  backup.key = backups.BeginVersion(kBackupDataset, now);
  backup.time = *BackupTimeOfKey(backup.key);
  backup.id = IsoTimestamp(backup.time);
  backup.uri = store.Uri(backup.key);
  try {
    for (const auto& source : present) {
      progress.Update("uploading " + source.entry.path + " (" + HumanBytes(source.entry.size) + ")", true);
      store.PutFile(backup.key + "/" + source.entry.path, staging.path() / source.entry.path);
      backup.files.push_back(source.entry);
    }
    nlohmann::json manifest = BackupManifestJson(backup);
    store.Put(BackupManifestKey(backup.key), manifest.dump(2) + "\n");
    backups.Publish(kBackupDataset, backup.key, manifest);
  } catch (...) {
    try {
      backups.RemoveVersion(backup.key);
    } catch (const std::exception&) {
      // The first failure is the one to report; prune removes what is left.
    }
    throw;
  }
  backup.complete = true;
  backup.latest = true;
  return backup;
}

}  // namespace dlctl
