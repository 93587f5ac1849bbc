#pragma once
// Reads a DuckLake catalog's metadata at a snapshot (spec notes §3): everything the official
// extension writes, resolved into the model of catalog_model.h.
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lake/metadata/catalog_model.h"
#include "lake/metadata/column_stats.h"
#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

class CatalogReader {
 public:
  // `data_path_override` replaces the catalog's stored data_path (a moved or restored catalog);
  // it gets a trailing '/' if it lacks one.
  CatalogReader(MetadataStore& store, std::optional<std::string> data_path_override = std::nullopt);

  // The data path in force (the override, else the stored one), ending with '/'.
  const std::string& data_path() const { return data_path_; }

  // Throws NotFoundError for an id that does not exist or a time before the first snapshot.
  SnapshotInfo ResolveSnapshot(const SnapshotSelector& selector);
  std::vector<SnapshotInfo> Snapshots();

  // The catalog at a snapshot. `with_files` = false skips data/delete files (cheaper, for DDL).
  CatalogState Load(const SnapshotSelector& selector = {}, bool with_files = true);
  // Fills the data and delete files of one table of a state loaded without files.
  void LoadTableFiles(TableInfo& table, SnapshotId snapshot);

  // The rows of an inlined data table visible at `snapshot`, one value per name in `columns`
  // (as SQLite stores them: integers, text, or blob bytes as text).
  std::vector<Row> ReadInlinedRows(const InlinedTableInfo& inlined, const std::vector<std::string>& columns,
                                   SnapshotId snapshot);

  // Rows of an inlined data table visible at `snapshot`.
  int64_t CountInlinedRows(const InlinedTableInfo& inlined, SnapshotId snapshot);

  // The stats ducklake_table_column_stats keeps for a table (its latest), by column id.
  std::map<int64_t, TableColumnStats> ReadTableColumnStats(int64_t table_id);

  // The stats ducklake_file_column_stats keeps for one column of a table, by data file id.
  std::map<int64_t, FileColumnStats> ReadFileColumnStats(int64_t table_id, int64_t column_id);

  // Every partitioning the table ever had (ducklake_partition_column keeps them all), by id.
  std::map<int64_t, PartitionSpec> ReadPartitionSpecs(int64_t table_id);
  // The partition values of the table's data files, by data file id.
  std::map<int64_t, FilePartitionValues> ReadFilePartitionValues(int64_t table_id);

  // Parquet rows deleted through ducklake_inlined_delete_<table_id> at `snapshot`:
  // (data_file_id, 0-based row position in that file).
  std::vector<std::pair<int64_t, int64_t>> ReadInlinedDeletes(int64_t table_id, SnapshotId snapshot);

 private:
  using TablesById = std::unordered_map<int64_t, TableInfo*>;
  void LoadInlinedTables(const SnapshotInfo& snapshot, const TablesById& tables);
  void LoadFiles(SnapshotId snapshot, const TablesById& tables, std::optional<int64_t> only_table);

  MetadataStore& store_;
  std::string data_path_;
};

}  // namespace dlctl::lake
