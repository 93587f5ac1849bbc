#pragma once
// Optimistic concurrency (spec notes §2): a transaction began at one snapshot and others may
// have committed since. Their changes_made summaries decide whether ours still apply on top
// (different objects, or appends to the same table) or conflict (the same object dropped,
// altered or created twice, the same data file deleted from twice).
#include "lake/write/change_set.h"
#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

// Throws Error naming the first conflict between `ours` and `theirs`, the merged changes of
// the snapshots committed after `base_snapshot`.
void CheckConflicts(MetadataStore& store, const ChangeSet& ours, const SnapshotChanges& theirs,
                    SnapshotId base_snapshot);

}  // namespace dlctl::lake
