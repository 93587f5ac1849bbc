#pragma once
// Backups of the engine database and every catalog's SQLite file, one version per backup:
//   backups/catalog/YYYY_MM_DD/HH_mm_SS_sss/engine.duckdb, stage.sqlite, marts/<mart>.sqlite
//   backups/catalog/YYYY_MM_DD/HH_mm_SS_sss/postgres/<catalog>.sqlite  a PostgreSQL catalog's dump
//   backups/catalog/YYYY_MM_DD/HH_mm_SS_sss/manifest.json   every file's size and SHA-256
//   backups/catalog/YYYY_MM_DD/HH_mm_SS_sss.writing/.complete   its marks (versioned_datasets.h)
//   backups/catalog/manifest.json                           the latest backup, written last
// Copies are made in LOCAL_DIR/.backup-<time>.<owner>/ first (removed when done; a later backup
// removes those of processes that died).
// Each file is a consistent copy taken by its own database (SQLite's online backup API,
// DuckDB's COPY FROM DATABASE), never a byte copy of a live file; restore verifies every
// checksum before it writes anything. A catalog on PostgreSQL is dumped by reading its schema in
// one REPEATABLE READ transaction into a SQLite file with the DuckLake tables (postgres_dump.h).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "storage/object_store.h"
#include "storage/versioned_datasets.h"
#include "util/clock.h"

namespace dlctl {

struct BackupFile {
  std::string path;     // in the backup and under a restore target: "marts/graphs.sqlite"
  std::string kind;     // "engine" or "catalog"
  std::string catalog;  // the catalog's name; empty for the engine
  uint64_t size = 0;
  std::string sha256;   // lower-case hex; empty when listed from an incomplete backup
  std::string postgres_schema;  // set for a PostgreSQL catalog's dump: the schema it was taken from
};

struct Backup {
  std::string id;   // its UTC time: "2025-06-03T19:56:03.123Z"
  TimePoint time;
  std::string key;  // "backups/catalog/2025_06_03/19_56_03_123"
  std::string uri;
  bool latest = false;
  bool complete = false;              // finished and undamaged, so it can be verified and restored
  std::string problem;                // why not: "incomplete ...", or what is damaged
  std::vector<BackupFile> files;      // filled when asked for (ListBackups with_files, CreateBackup)
  std::vector<std::string> skipped;   // files that did not exist when the backup was taken
};

// The dataset name of backups under S3_BACKUPS_PREFIX, as the original named it.
inline constexpr const char* kBackupDataset = "catalog";
// Scratch folders in LOCAL_DIR: the copies of a backup being made, before they are uploaded.
inline constexpr const char* kBackupScratchPrefix = ".backup-";

// The versioned datasets of backups: a backup older than the completion marks is complete when it
// holds its manifest.json.
VersionedDatasets BackupDatasets(const Settings& settings, ObjectStore& store);

// Copies the engine database and every configured catalog that exists, uploads the copies and
// publishes them. Throws Error when nothing exists to back up; a failure removes what was uploaded.
Backup CreateBackup(const Settings& settings, ObjectStore& store, TimePoint now);

// Every backup, oldest first. A backup is complete when it was finished (versioned_datasets.h) and
// every file its manifest.json names exists with its size; `latest` is set only on a complete
// backup the dataset's manifest names. Checksums are left to restore.
std::vector<Backup> ListBackups(const Settings& settings, ObjectStore& store, bool with_files);

struct RestoreOptions {
  std::optional<std::string> source;  // a --source text (see backup_source.h); the latest when empty
  std::filesystem::path target;       // settings.local_dir by default
  bool force = false;                 // replace files in a non-empty target (keeping them aside)
};

struct RestoreResult {
  Backup backup;
  std::filesystem::path target;
  std::optional<std::filesystem::path> kept_aside;  // where replaced files went, if any
  std::vector<std::string> postgres_catalogs;       // "stage -> schema stage" for each one restored there
};

// Downloads the chosen backup into a staging folder beside the target, verifies every file's size
// and SHA-256, then renames the files into place. A non-empty target is refused without `force`;
// with it, the files the backup replaces (and their -wal/-shm/-journal companions) are first moved
// to <target>/.replaced-<time>/. A PostgreSQL catalog's dump goes into the schema the settings
// give that catalog now (not into the target folder): refused when that schema holds catalog rows,
// unless `force`, which replaces them in one PostgreSQL transaction. Nothing changes when any
// check fails.
RestoreResult RestoreBackup(const Settings& settings, ObjectStore& store, const RestoreOptions& options,
                            TimePoint now);
// Restore downloads into <parent of target>/<this><time>.<owner>/: ".<target's name>.restore-".
std::string RestoreScratchPrefix(const std::filesystem::path& target);

// VersionedDatasets::Prune of the backups: never the latest; damaged backups do not count as kept.
PruneReport PruneBackups(const Settings& settings, ObjectStore& store, std::optional<int> keep, bool dry_run,
                         TimePoint now);

}  // namespace dlctl
