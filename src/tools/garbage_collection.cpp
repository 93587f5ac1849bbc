#include "tools/garbage_collection.h"

#include <filesystem>
#include <functional>

#include "backup/backup.h"
#include "lake/lakehouse.h"
#include "lake/maintenance/file_cleanup.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/open_metadata_store.h"
#include "storage/versioned_datasets.h"
#include "util/error.h"
#include "util/owned_scratch.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

void Uploads(ObjectStore& store, bool dry_run, TimePoint now, GarbageReport& report) {
  for (const PendingUpload& upload : store.PendingUploads()) {
    if (!IsAbandoned(upload, now)) continue;
    if (!dry_run) store.DiscardPendingUpload(upload);
    report.removed.push_back({"upload", upload.description, "", upload.bytes});
  }
}

void Scratch(const fs::path& parent, const std::string& prefix, bool dry_run, TimePoint now, GarbageReport& report) {
  for (const ScratchFolderInfo& folder : FindScratchFolders(parent, prefix)) {
    if (!IsAbandonedWork(folder.owner, folder.last_activity, now)) continue;
    if (!dry_run) {
      std::error_code ec;
      fs::remove_all(folder.path, ec);
      if (ec) throw Error("cannot delete " + folder.path.string() + ": " + ec.message());
    }
    report.removed.push_back({"scratch", folder.path.string() + "/", "", folder.bytes});
  }
}

void Versions(ObjectStore& store, VersionedDatasets datasets, bool dry_run, TimePoint now, GarbageReport& report) {
  for (const std::string& name : datasets.Names())
    for (const RemovedVersion& removed : datasets.RemoveAbandoned(name, dry_run, now).removed)
      report.removed.push_back(
          {removed.reason == "incomplete" ? "version" : "mark", store.Uri(removed.key), removed.reason, removed.bytes});
}

// Orphans past `lake cleanup`'s default age. Each catalog is opened on its own, so a damaged one
// fails only its own part; a catalog that does not exist yet has none.
void Orphans(const Settings& settings, ObjectStore& store, bool dry_run, TimePoint now, GarbageReport& report) {
  int64_t cutoff = std::chrono::duration_cast<std::chrono::microseconds>((now - kAbandonedAge).time_since_epoch()).count();
  for (const CatalogSettings& catalog : settings.catalogs) {
    if (!catalog.postgres_schema && !fs::is_regular_file(catalog.db_path)) continue;
    try {
      std::unique_ptr<lake::MetadataStore> metadata = lake::OpenMetadataStore(settings, catalog, false);
      if (!lake::IsCatalog(*metadata)) continue;
      for (const lake::OrphanFile& orphan :
           lake::RemoveOrphans(*metadata, store, lake::CatalogDataPath(settings, catalog), cutoff, dry_run))
        report.removed.push_back({"orphan", orphan.path, "catalog " + catalog.name, orphan.size});
    } catch (const NotFoundError&) {
      continue;
    } catch (const Error& e) {
      report.failures.push_back("catalog " + catalog.name + ": " + e.what());
    }
  }
}

}  // namespace

GarbageReport CollectGarbage(const Settings& settings, ObjectStore& store, bool dry_run, TimePoint now) {
  GarbageReport report;
  std::vector<std::pair<std::string, std::function<void()>>> parts = {
      {"unfinished uploads", [&] { Uploads(store, dry_run, now, report); }},
      {"backup scratch", [&] { Scratch(settings.local_dir, kBackupScratchPrefix, dry_run, now, report); }},
      {"restore scratch",
       [&] { Scratch(settings.local_dir.parent_path(), RestoreScratchPrefix(settings.local_dir), dry_run, now, report); }},
      {"raw versions", [&] { Versions(store, VersionedDatasets(store, settings.ingest_prefix), dry_run, now, report); }},
      {"export versions",
       [&] { Versions(store, VersionedDatasets(store, settings.exports_prefix, 2), dry_run, now, report); }},
      {"backups", [&] { Versions(store, BackupDatasets(settings, store), dry_run, now, report); }},
      {"orphan files", [&] { Orphans(settings, store, dry_run, now, report); }},
  };
  for (const auto& [what, run] : parts) {
    try {
      run();
    } catch (const Error& e) {
      report.failures.push_back(what + ": " + e.what());
    }
  }
  return report;
}

}  // namespace dlctl
