#include "lake/maintenance/snapshot_expiry.h"

#include <fmt/format.h>

#include <unordered_set>

#include "lake/maintenance/catalog_files.h"
#include "lake/metadata/catalog_time.h"
#include "util/error.h"

namespace dlctl::lake {

namespace {

// Catalog tables whose rows live from begin_snapshot to end_snapshot (exclusive).
constexpr const char* kVersionedTables[] = {
    "ducklake_schema",     "ducklake_table",         "ducklake_view",           "ducklake_tag",
    "ducklake_column_tag", "ducklake_column",        "ducklake_partition_info", "ducklake_macro",
    "ducklake_sort_info",  "ducklake_data_file",     "ducklake_delete_file"};

// Rows of `table` that ended before, and began after, every snapshot still kept: no snapshot sees them.
std::string Invisible(const std::string& table) {
  return fmt::format(
      "{0}.end_snapshot IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ducklake_snapshot s "
      "WHERE s.snapshot_id >= {0}.begin_snapshot AND s.snapshot_id < {0}.end_snapshot)",
      table);
}

// The path relative to the data path when it lies inside it, as the scheduled table stores it.
std::pair<std::string, bool> RelativeToDataPath(const std::string& path, const std::string& data_path) {
  if (path.compare(0, data_path.size(), data_path) == 0) return {path.substr(data_path.size()), true};
  return {path, false};
}

}  // namespace

ExpiryReport ExpireSnapshots(MetadataStore& catalog, const std::string& data_path, int64_t cutoff_micros,
                             bool dry_run) {
  ExpiryReport report;
  Transaction transaction(catalog);
  auto latest = catalog.Query("SELECT max(snapshot_id) FROM ducklake_snapshot");
  if (latest.empty() || latest[0].IsNull(0)) throw Error("catalog " + catalog.Describe() + " has no snapshots");
  const SnapshotId latest_id = latest[0].Int(0);
  for (const Row& row : catalog.Query("SELECT snapshot_id, snapshot_time FROM ducklake_snapshot ORDER BY snapshot_id")) {
    auto time = ParseUtcMicros(row.OptionalText(1).value_or(""));
    if (!time) throw Error(fmt::format("snapshot {} has an unreadable time '{}'", row.Int(0), row.OptionalText(1).value_or("")));
    if (row.Int(0) != latest_id && *time < cutoff_micros) report.expired.push_back(row.Int(0));
  }
  if (report.expired.empty()) return report;

  for (SnapshotId id : report.expired) {
    catalog.Execute("DELETE FROM ducklake_snapshot WHERE snapshot_id = ?", {id});
    catalog.Execute("DELETE FROM ducklake_snapshot_changes WHERE snapshot_id = ?", {id});
  }

  // Files first, while the tables and schemas that resolve their paths are still there.
  std::unordered_set<int64_t> invisible_data, invisible_delete;
  for (const Row& row : catalog.Query("SELECT data_file_id FROM ducklake_data_file WHERE " +
                                      Invisible("ducklake_data_file")))
    invisible_data.insert(row.Int(0));
  for (const Row& row : catalog.Query("SELECT delete_file_id FROM ducklake_delete_file WHERE " +
                                      Invisible("ducklake_delete_file")))
    invisible_delete.insert(row.Int(0));
  const std::string now = CatalogTimestampNow();
  for (const CatalogFile& file : ReferencedFiles(catalog, data_path)) {
    bool gone = file.kind == CatalogFile::Kind::kData ? invisible_data.count(file.id) : invisible_delete.count(file.id);
    if (!gone) continue;
    report.scheduled_files.push_back(file.path);
    auto [path, relative] = RelativeToDataPath(file.path, data_path);
    catalog.Execute("INSERT INTO ducklake_files_scheduled_for_deletion VALUES (?, ?, ?, ?)",
                    {file.id, path, int64_t{relative}, now});
  }
  for (int64_t id : invisible_data) {
    catalog.Execute("DELETE FROM ducklake_file_column_stats WHERE data_file_id = ?", {id});
    catalog.Execute("DELETE FROM ducklake_file_partition_value WHERE data_file_id = ?", {id});
  }
  for (const char* table : kVersionedTables)
    catalog.Execute(fmt::format("DELETE FROM {} WHERE {}", table, Invisible(table)));
  for (const char* stats : {"ducklake_table_stats", "ducklake_table_column_stats"})
    catalog.Execute(fmt::format("DELETE FROM {} WHERE table_id NOT IN (SELECT table_id FROM ducklake_table)", stats));

  // Inlined rows no snapshot sees any more.
  for (const Row& row : catalog.Query("SELECT table_name FROM ducklake_inlined_data_tables")) {
    std::string table = row.Text(0);
    if (catalog.TableExists(table))
      catalog.Execute(fmt::format("DELETE FROM {} WHERE {}", table, Invisible(table)));
  }
  if (dry_run) return report;  // the transaction rolls back
  transaction.Commit();
  return report;
}

}  // namespace dlctl::lake
