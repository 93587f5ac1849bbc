#pragma once
// ducklake_snapshot_changes.changes_made (spec notes §6): what one snapshot did, as a
// comma-separated list of kind:value items in the order the official extension writes them.
// Writers format their own commit's summary; committers parse the summaries of snapshots that
// landed in between to detect conflicts.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dlctl::lake {

struct CreatedEntry {
  std::string schema;
  std::string name;
  bool is_view = false;
};

struct SnapshotChanges {
  std::set<int64_t> dropped_schemas, dropped_tables, dropped_views;
  std::vector<std::string> created_schemas;   // in creation order
  std::vector<CreatedEntry> created_entries;  // tables and views, in creation order
  std::set<int64_t> inserted_into, deleted_from, altered_tables, altered_views;
  std::set<int64_t> inlined_insert, inlined_delete, inline_flush;
  // Kinds dlctl never writes (Format leaves them out) but other writers do; they matter for
  // conflicts.
  std::set<int64_t> compacted;
  std::vector<CreatedEntry> created_macros;
  std::set<int64_t> dropped_macros;

  // The changes_made text, e.g. `dropped_table:8,created_table:"dsn"."t",inserted_into_table:9`.
  std::string Format() const;
  // Throws Error on text that is not in the vocabulary.
  static SnapshotChanges Parse(std::string_view changes_made);
  // Adds every item of `other` (the changes of several snapshots, for conflict checks).
  void Merge(const SnapshotChanges& other);
};

// "a""b" for a"b: how the extension quotes names inside changes_made.
std::string QuoteName(std::string_view name);

}  // namespace dlctl::lake
