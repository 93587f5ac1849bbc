#include "lake/write/commit_conflicts.h"

#include <fmt/format.h>

#include "util/error.h"

namespace dlctl::lake {
namespace {

class ConflictChecker {
 public:
  ConflictChecker(const ChangeSet& ours, const SnapshotChanges& theirs, SnapshotId base)
      : ours_(ours), theirs_(theirs), base_(base) {}

  // Fails when `id` is in `their_ids`: "this transaction <we_do> "dsn"."t" but another writer <they_did>".
  void Check(int64_t id, const std::set<int64_t>& their_ids, const char* we_do, const char* they_did) const {
    if (their_ids.count(id)) Fail(fmt::format("{} {}", we_do, Name(id)), they_did);
  }

  [[noreturn]] void Fail(const std::string& ours, const std::string& theirs) const {
    throw Error(
        fmt::format("transaction conflict: this transaction {} but another writer {} after snapshot {}, "
                    "so nothing was committed",
                    ours, theirs, base_));
  }

  std::string Name(int64_t id) const {
    auto it = ours_.display_names.find(id);
    return it == ours_.display_names.end() ? std::to_string(id) : it->second;
  }

 private:
  const ChangeSet& ours_;
  const SnapshotChanges& theirs_;
  SnapshotId base_;
};

bool CreatedByThem(const SnapshotChanges& theirs, const std::string& schema, const std::string& name) {
  for (const auto& entry : theirs.created_entries)
    if (entry.schema == schema && entry.name == name) return true;
  return false;
}

bool CreatedInSchemaByThem(const SnapshotChanges& theirs, const std::string& schema) {
  for (const auto& entry : theirs.created_entries)
    if (entry.schema == schema) return true;
  return false;
}

// Data files we delete from that another writer deleted from (or dropped) after `base`.
std::vector<int64_t> FilesTouchedSince(MetadataStore& store, const std::vector<int64_t>& files, SnapshotId base) {
  std::string list;
  for (int64_t id : files) list += (list.empty() ? "" : ",") + std::to_string(id);
  std::vector<int64_t> touched;
  for (const Row& row : store.Query(
           fmt::format(
               "SELECT data_file_id FROM ducklake_delete_file WHERE begin_snapshot > ? AND data_file_id IN ({0}) "
               "UNION SELECT data_file_id FROM ducklake_data_file WHERE end_snapshot > ? AND data_file_id IN ({0})",
               list),
           {base, base}))
    touched.push_back(row.Int(0));
  return touched;
}

}  // namespace

void CheckConflicts(MetadataStore& store, const ChangeSet& ours, const SnapshotChanges& theirs,
                    SnapshotId base_snapshot) {
  ConflictChecker check(ours, theirs, base_snapshot);
  SnapshotChanges summary = ours.Summarize();

  for (const auto& [id, name] : ours.dropped_tables)
    check.Check(id, theirs.dropped_tables, "drops table", "dropped it");
  for (const auto& [id, name] : ours.dropped_views) check.Check(id, theirs.dropped_views, "drops view", "dropped it");
  for (const auto& [id, name] : ours.dropped_schemas) {
    check.Check(id, theirs.dropped_schemas, "drops schema", "dropped it");
    if (CreatedInSchemaByThem(theirs, name)) check.Fail("drops schema " + QuoteName(name), "created an entry in it");
  }
  for (const auto& schema : ours.new_schemas)
    for (const auto& theirs_schema : theirs.created_schemas)
      if (theirs_schema == schema.name)
        check.Fail("creates schema " + QuoteName(schema.name), "created a schema of that name");

  auto check_created = [&](int64_t schema_id, const std::string& schema, const std::string& name) {
    std::string what = QuoteName(schema) + "." + QuoteName(name);
    if (!IsProvisionalId(schema_id) && theirs.dropped_schemas.count(schema_id))
      check.Fail("creates " + what, "dropped its schema");
    if (CreatedByThem(theirs, schema, name)) check.Fail("creates " + what, "created an entry of that name");
  };
  for (const auto& table : ours.new_tables)
    if (table.created) check_created(table.schema_id, table.schema_name, table.name);
  for (const auto& view : ours.new_views) check_created(view.schema_id, view.schema_name, view.name);

  // Inlined rows are written into the inlined data table of the table's layout at commit.
  std::set<int64_t> inserted = summary.inserted_into;
  inserted.insert(summary.inlined_insert.begin(), summary.inlined_insert.end());
  for (int64_t id : inserted) {
    if (IsProvisionalId(id)) continue;
    check.Check(id, theirs.dropped_tables, "inserts into table", "dropped it");
    check.Check(id, theirs.altered_tables, "inserts into table", "altered it");
  }
  // Deletes through the catalog: a flush moved the inlined rows (and listed deletes) to
  // Parquet, and the same rows may be deleted twice.
  for (int64_t id : summary.inlined_delete) {
    check.Check(id, theirs.dropped_tables, "deletes from table", "dropped it");
    check.Check(id, theirs.altered_tables, "deletes from table", "altered it");
    check.Check(id, theirs.inline_flush, "deletes inlined rows of table", "flushed them to Parquet");
    check.Check(id, theirs.inlined_delete, "deletes inlined rows of table", "deleted inlined rows of it");
  }
  // A flush writes what the table's inlined data held at this transaction's snapshot, and its
  // deletes' whole history.
  for (int64_t id : summary.inline_flush) {
    check.Check(id, theirs.dropped_tables, "flushes inlined data of table", "dropped it");
    check.Check(id, theirs.inlined_delete, "flushes inlined data of table", "deleted inlined rows of it");
    check.Check(id, theirs.inline_flush, "flushes inlined data of table", "flushed it");
    check.Check(id, theirs.deleted_from, "flushes inlined data of table", "deleted from it");
  }
  for (int64_t id : summary.deleted_from) {
    if (IsProvisionalId(id)) continue;
    check.Check(id, theirs.dropped_tables, "deletes from table", "dropped it");
    check.Check(id, theirs.altered_tables, "deletes from table", "altered it");
    check.Check(id, theirs.compacted, "deletes from table", "compacted it");
    // Our delete files hold every deleted position of our snapshot: theirs in the catalog, or
    // the history a flush rewrote, would be lost.
    check.Check(id, theirs.inlined_delete, "deletes from table", "deleted rows of it through the catalog");
    check.Check(id, theirs.inline_flush, "deletes from table", "flushed its inlined data");
    if (!theirs.deleted_from.count(id)) continue;
    std::vector<int64_t> files;
    const TableDataChanges& changes = ours.data.at(id);
    for (const auto& deletion : changes.delete_files) files.push_back(deletion.data_file_id);
    files.insert(files.end(), changes.dropped_files.begin(), changes.dropped_files.end());
    if (!FilesTouchedSince(store, files, base_snapshot).empty())
      check.Fail("deletes rows of table " + check.Name(id), "deleted rows of the same data files");
  }
  for (int64_t id : ours.altered_tables) {
    check.Check(id, theirs.dropped_tables, "alters table", "dropped it");
    check.Check(id, theirs.altered_tables, "alters table", "altered it");
  }
  for (int64_t id : ours.altered_views) {
    check.Check(id, theirs.dropped_views, "alters view", "dropped it");
    check.Check(id, theirs.altered_views, "alters view", "altered it");
  }
}

}  // namespace dlctl::lake
