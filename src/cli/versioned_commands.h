#pragma once
// `ls [-a] [--json]` and `prune [--keep N] [--dry-run]` of a versioned prefix (raw/, exports/):
// the same listing and pruning for every kind of dataset.
#include <functional>
#include <string>

#include "cli/commands.h"
#include "storage/versioned_datasets.h"

namespace dlctl {

struct VersionedPrefix {
  std::function<std::string(const Settings&)> prefix;  // settings.ingest_prefix, ...
  int name_depth = 1;                                  // 2 for exports: catalog/schema
  const char* noun = "dataset";                        // for help texts
};

void AddVersionedLsCommand(CLI::App* group, CliContext& ctx, const VersionedPrefix& where);
void AddVersionedPruneCommand(CLI::App* group, CliContext& ctx, const VersionedPrefix& where);

// "removed <uri> (<reason>, <size>)" per version, or "would remove ..." for a dry run.
void PrintPruneReport(const PruneReport& report, ObjectStore& store, bool dry_run);

}  // namespace dlctl
