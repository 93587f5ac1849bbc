#include "lake/write/change_set.h"

#include <algorithm>

namespace dlctl::lake {

int64_t InlinedRows::LiveRows() const {
  return static_cast<int64_t>(std::count(deleted.begin(), deleted.end(), false));
}

bool TableDataChanges::InsertsInlined() const {
  return std::any_of(inlined_inserts.begin(), inlined_inserts.end(),
                     [](const InlinedRows& rows) { return rows.LiveRows() > 0; });
}

bool ChangeSet::empty() const {
  for (const auto& [table_id, changes] : data)
    if (!changes.data_files.empty() || !changes.delete_files.empty() || !changes.dropped_files.empty() ||
        !changes.inlined_deletes.empty() || !changes.inlined_file_deletes.empty() || changes.InsertsInlined() ||
        changes.Flushes())
      return false;
  return !ChangesSchema();
}

bool ChangeSet::ChangesSchema() const {
  return !new_schemas.empty() || !new_tables.empty() || !new_views.empty() || !dropped_schemas.empty() ||
         !dropped_tables.empty() || !dropped_views.empty() || !ended_columns.empty() || !new_columns.empty() ||
         !tags.empty() || !altered_tables.empty() || !altered_views.empty() || !partitions.empty();
}

SnapshotChanges ChangeSet::Summarize(const std::map<int64_t, int64_t>& committed) const {
  auto id_of = [&](int64_t id) {
    auto it = committed.find(id);
    return it == committed.end() ? id : it->second;
  };
  SnapshotChanges summary;
  for (const auto& [id, name] : dropped_schemas) summary.dropped_schemas.insert(id);
  for (const auto& [id, name] : dropped_tables) summary.dropped_tables.insert(id);
  for (const auto& [id, name] : dropped_views) summary.dropped_views.insert(id);
  for (const auto& schema : new_schemas) summary.created_schemas.push_back(schema.name);

  // Tables and views in creation order: provisional ids count down from -1.
  std::vector<std::pair<int64_t, CreatedEntry>> created;
  for (const auto& table : new_tables)
    if (table.created) created.push_back({table.id, {table.schema_name, table.name, false}});
  for (const auto& view : new_views) created.push_back({view.id, {view.schema_name, view.name, true}});
  std::sort(created.begin(), created.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [id, entry] : created) summary.created_entries.push_back(std::move(entry));

  for (const auto& [table_id, changes] : data) {
    int64_t id = id_of(table_id);
    // Flushed files carry the snapshots of their rows; other new files are inserts.
    for (const WrittenFile& file : changes.data_files)
      (file.begin_snapshot ? summary.inline_flush : summary.inserted_into).insert(id);
    if (!changes.delete_files.empty() || !changes.dropped_files.empty() || !changes.flushed_deletes.empty())
      summary.deleted_from.insert(id);
    if (changes.InsertsInlined()) summary.inlined_insert.insert(id);
    if (!changes.inlined_deletes.empty() || !changes.inlined_file_deletes.empty()) summary.inlined_delete.insert(id);
    if (!changes.flushed_inlined_tables.empty()) summary.inline_flush.insert(id);
  }
  for (int64_t id : altered_tables) summary.altered_tables.insert(id_of(id));
  for (int64_t id : altered_views) summary.altered_views.insert(id_of(id));
  return summary;
}

}  // namespace dlctl::lake
