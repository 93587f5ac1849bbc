#pragma once
// `dlctl lake cleanup`: removes the files a catalog no longer needs: those expiry scheduled for
// deletion, and orphans (files under the data path nothing references, e.g. left by a writer
// that died before its commit). An orphan is removed only when the time in its DuckLake file
// name is older than a cutoff, so a file a live writer is about to commit is never taken.
#include <cstdint>
#include <string>
#include <vector>

#include "lake/maintenance/catalog_verify.h"
#include "lake/metadata/metadata_store.h"
#include "storage/object_store.h"

namespace dlctl::lake {

struct CleanupReport {
  std::vector<std::string> scheduled_removed;
  std::vector<std::string> orphans_removed;
  std::vector<std::string> orphans_kept;  // too recent, or not named like a DuckLake file
};

// `orphan_cutoff_micros`: orphans whose file name time is before it are removed. With
// `dry_run` nothing is deleted and the report says what would be.
CleanupReport CleanupFiles(MetadataStore& catalog, ObjectStore& store, const std::string& data_path,
                           int64_t orphan_cutoff_micros, bool dry_run);

// Only the orphans of CleanupFiles (what a writer that died left behind), nothing expiry
// scheduled: the ones removed (or, with `dry_run`, that would be) with their sizes.
std::vector<OrphanFile> RemoveOrphans(MetadataStore& catalog, ObjectStore& store, const std::string& data_path,
                                      int64_t orphan_cutoff_micros, bool dry_run);

}  // namespace dlctl::lake
