#include "lake/maintenance/file_cleanup.h"

#include <filesystem>

#include "lake/maintenance/catalog_files.h"
#include "lake/maintenance/catalog_verify.h"
#include "util/error.h"

namespace dlctl::lake {

namespace {

// Deletes files by path: keys of the store in one batch, local files outside it one by one.
void DeletePaths(ObjectStore& store, const std::vector<std::string>& paths) {
  std::vector<std::string> keys;
  for (const std::string& path : paths) {
    if (auto key = store.KeyOf(path)) {
      keys.push_back(*key);
    } else if (path.rfind("s3://", 0) == 0) {
      throw Error("cannot delete " + path + ": it is outside the configured bucket");
    } else {
      std::error_code error;
      std::filesystem::remove(path, error);
      if (error) throw Error("cannot delete " + path + ": " + error.message());
    }
  }
  if (!keys.empty()) store.DeleteMany(keys);
}

bool IsRemovableOrphan(const OrphanFile& orphan, int64_t cutoff_micros) {
  int64_t written = FileNameTimeMicros(orphan.path);
  return written >= 0 && written < cutoff_micros;
}

}  // namespace

std::vector<OrphanFile> RemoveOrphans(MetadataStore& catalog, ObjectStore& store, const std::string& data_path,
                                      int64_t orphan_cutoff_micros, bool dry_run) {
  std::vector<OrphanFile> removed;
  std::vector<std::string> paths;
  for (const OrphanFile& orphan : VerifyCatalog(catalog, store, data_path).orphans)
    if (IsRemovableOrphan(orphan, orphan_cutoff_micros)) removed.push_back(orphan), paths.push_back(orphan.path);
  if (!dry_run) DeletePaths(store, paths);
  return removed;
}

CleanupReport CleanupFiles(MetadataStore& catalog, ObjectStore& store, const std::string& data_path,
                           int64_t orphan_cutoff_micros, bool dry_run) {
  CleanupReport report;
  std::vector<ScheduledFile> scheduled = ScheduledFiles(catalog, data_path);
  for (const ScheduledFile& file : scheduled) report.scheduled_removed.push_back(file.path);
  for (const OrphanFile& orphan : VerifyCatalog(catalog, store, data_path).orphans)
    (IsRemovableOrphan(orphan, orphan_cutoff_micros) ? report.orphans_removed : report.orphans_kept)
        .push_back(orphan.path);
  if (dry_run) return report;

  // Files first, rows last: a failure half-way leaves rows whose files may be gone, which the
  // next cleanup finishes (deleting a missing object is not an error).
  DeletePaths(store, report.scheduled_removed);
  DeletePaths(store, report.orphans_removed);
  Transaction transaction(catalog);
  for (const ScheduledFile& file : scheduled)
    catalog.Execute("DELETE FROM ducklake_files_scheduled_for_deletion WHERE data_file_id = ? AND schedule_start = ?",
                    {file.data_file_id, file.schedule_start});
  transaction.Commit();
  return report;
}

}  // namespace dlctl::lake
