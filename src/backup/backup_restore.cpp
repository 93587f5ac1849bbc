#include <fmt/format.h>

#include "backup/backup.h"
#include "backup/backup_manifest.h"
#include "backup/backup_source.h"
#include "backup/file_digest.h"
#include "backup/postgres_dump.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/owned_scratch.h"
#include "util/scratch_folder.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

Backup ChooseBackup(const Settings& settings, ObjectStore& store, const std::optional<std::string>& source) {
  std::vector<Backup> backups = ListBackups(settings, store, false);
  if (!source) {
    for (auto& backup : backups)
      if (backup.latest) return backup;
    VersionedDatasets datasets = BackupDatasets(settings, store);
    if (auto manifest = datasets.ReadManifest(kBackupDataset))
      for (auto& backup : backups)
        if (backup.key == manifest->latest_key)
          throw Error("the latest backup " + backup.id + " cannot be restored (" + backup.problem +
                      "): choose an earlier one with --source (dlctl backup ls lists them)");
    throw NotFoundError("no backup to restore: " + store.Uri(datasets.ManifestKey(kBackupDataset)) +
                        " names none (dlctl backup create makes one)");
  }
  BackupTimeRange range = ParseBackupSource(*source);
  std::vector<Backup> matches;
  for (auto& backup : backups)
    if (range.Contains(backup.time)) matches.push_back(backup);
  if (matches.empty()) throw NotFoundError("no backup matches --source " + *source + " (dlctl backup ls lists them)");
  if (matches.size() > 1) {
    std::string ids;
    for (const auto& m : matches) ids += (ids.empty() ? "" : ", ") + m.id;
    throw UsageError(fmt::format("--source {} matches {} backups ({}): give the milliseconds", *source,
                                 matches.size(), ids));
  }
  return matches[0];
}

bool IsNonEmptyFolder(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && !fs::is_empty(path, ec);
}

// Downloads every file and checks it against the manifest; throws on the first mismatch.
void DownloadVerified(ObjectStore& store, const Backup& backup, const fs::path& folder) {
  for (const auto& file : backup.files) {
    fs::path local = folder / file.path;
    fs::create_directories(local.parent_path());
    store.GetToFile(backup.key + "/" + file.path, local);
    uint64_t size = fs::file_size(local);
    std::string sha256 = size == file.size ? Sha256OfFile(local) : "";
    if (size != file.size || sha256 != file.sha256)
      throw Error(fmt::format("backup {} is damaged: {} has {} bytes and SHA-256 {}, its manifest says {} bytes and "
                              "{}; nothing was restored",
                              backup.id, file.path, size, sha256.empty() ? "(not computed)" : sha256, file.size,
                              file.sha256));
  }
}

// The file and the companions its database keeps beside it (SQLite journals, DuckDB's WAL): a
// stale companion next to a restored file would be replayed into it.
std::vector<std::string> WithCompanions(const std::string& path) {
  return {path, path + "-wal", path + "-shm", path + "-journal", path + ".wal"};
}

void Rename(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::rename(from, to, ec);
  if (ec) throw Error("cannot move " + from.string() + " to " + to.string() + ": " + ec.message());
}

// The catalog the settings name for a PostgreSQL dump in the backup; it must be on PostgreSQL.
const CatalogSettings& PostgresTargetOf(const Settings& settings, const Backup& backup, const BackupFile& file) {
  const CatalogSettings* catalog = settings.FindCatalog(file.catalog);
  if (!catalog)
    throw Error(fmt::format("backup {} holds catalog {} (PostgreSQL schema {}), which the settings do not name",
                            backup.id, file.catalog, file.postgres_schema));
  if (!catalog->postgres_schema)
    throw Error(fmt::format("backup {} holds catalog {} from PostgreSQL schema {}: set {} to the schema to restore it "
                            "into (or move it with dlctl tools migrate-catalog afterwards)",
                            backup.id, file.catalog, file.postgres_schema, catalog->schema_variable));
  return *catalog;
}

}  // namespace

std::string RestoreScratchPrefix(const fs::path& target) { return "." + target.filename().string() + ".restore-"; }

RestoreResult RestoreBackup(const Settings& settings, ObjectStore& store, const RestoreOptions& options,
                            TimePoint now) {
  RestoreResult result;
  result.target = fs::absolute(options.target.empty() ? settings.local_dir : options.target).lexically_normal();
  if (result.target.filename().empty()) result.target = result.target.parent_path();
  if (fs::exists(result.target) && !fs::is_directory(result.target))
    throw UsageError("restore target " + result.target.string() + " is not a folder");

  result.backup = ChooseBackup(settings, store, options.source);
  try {
    LoadBackupManifest(store, result.backup);
  } catch (const NotFoundError&) {
    throw Error("backup " + result.backup.id + " has no manifest.json (it never finished): it cannot be verified");
  }
  std::vector<const BackupFile*> files, dumps;  // into the target folder / into PostgreSQL schemas
  for (const auto& file : result.backup.files) (file.postgres_schema.empty() ? files : dumps).push_back(&file);
  for (const BackupFile* dump : dumps)
    CheckPostgresRestoreTarget(settings, PostgresTargetOf(settings, result.backup, *dump), options.force);
  if (!files.empty() && IsNonEmptyFolder(result.target) && !options.force)
    throw Error("restore target " + result.target.string() +
                " is not empty: add --force to replace the files the backup holds (the current ones are kept "
                "aside in .replaced-<time>/ there)");

  // Everything is downloaded and verified beside the target before the target is touched.
  RemoveAbandonedScratch(result.target.parent_path(), RestoreScratchPrefix(result.target), now);
  ScratchFolder staging(OwnedScratchPath(result.target.parent_path(), RestoreScratchPrefix(result.target), now));
  DownloadVerified(store, result.backup, staging.path());

  // Each PostgreSQL catalog in one transaction, before the files: a failure there leaves the files.
  for (const BackupFile* dump : dumps) {
    const CatalogSettings& catalog = PostgresTargetOf(settings, result.backup, *dump);
    RestorePostgresCatalog(settings, catalog, staging.path() / dump->path, options.force);
    result.postgres_catalogs.push_back(catalog.name + " -> schema " + *catalog.postgres_schema);
  }
  fs::path kept = result.target / fmt::format(".replaced-{}", FolderStamp(now));
  for (const BackupFile* file : files) {
    for (const auto& path : WithCompanions(file->path)) {
      if (!fs::exists(fs::symlink_status(result.target / path))) continue;
      Rename(result.target / path, kept / path);
      result.kept_aside = kept;
    }
    Rename(staging.path() / file->path, result.target / file->path);
  }
  return result;
}

}  // namespace dlctl
