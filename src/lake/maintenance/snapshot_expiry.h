#pragma once
// `dlctl lake expire`: forgets snapshots older than a cutoff (never the latest), like the
// extension's ducklake_expire_snapshots. Metadata rows no remaining snapshot can see are
// deleted; their data and delete files move to ducklake_files_scheduled_for_deletion, for
// `lake cleanup` to remove. One metadata transaction: all of it or nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "lake/metadata/catalog_model.h"
#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

struct ExpiryReport {
  std::vector<SnapshotId> expired;
  std::vector<std::string> scheduled_files;  // resolved paths
};

// Expires every snapshot whose time is before `cutoff_micros` (UTC microseconds) except the
// latest. `dry_run` reports what would happen and changes nothing.
ExpiryReport ExpireSnapshots(MetadataStore& catalog, const std::string& data_path, int64_t cutoff_micros,
                             bool dry_run);

}  // namespace dlctl::lake
