#pragma once
// The commit of a write transaction (spec notes §2): every metadata row of a ChangeSet written
// in ONE metadata transaction as exactly one new snapshot. Ids come from the latest snapshot's
// next_catalog_id / next_file_id at commit time, so a transaction that began before other
// commits still lands on top of them when it does not conflict with them.
#include <map>

#include "lake/write/change_set.h"
#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

struct CommittedSnapshot {
  SnapshotId id = 0;
  std::map<int64_t, int64_t> assigned_ids;  // provisional id -> committed id
};

// Throws Error, writing nothing, when a snapshot committed after `base_snapshot` conflicts.
// The data files of `changes` must already be in place.
CommittedSnapshot CommitChangeSet(MetadataStore& store, const ChangeSet& changes, SnapshotId base_snapshot);

}  // namespace dlctl::lake
