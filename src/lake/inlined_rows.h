#pragma once
// Inlined rows (spec notes §7) live in the catalog database, not in Parquet: the binder copies
// those visible at the snapshot into tables of the engine, where the table's view reads them.
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "lake/catalog_reader.h"
#include "lake/table_scan.h"

namespace dlctl::lake {

// Creates one table per inlined data table of `table` that has rows visible at `snapshot`, in
// `schema` (an SQL name such as "stage"."__ducklake_inlined"), with the table's current columns:
// renamed columns are matched by column id, columns added later get their initial_default,
// text values are cast to the column types. Returns the tables' SQL names.
std::vector<std::string> LoadInlinedData(Engine& engine, CatalogReader& reader, const TableInfo& table,
                                         SnapshotId snapshot, const std::string& schema);

// Creates a table (file_index, pos) in `schema` of the rows of plan.filtered_files that
// `deletes` (data_file_id, position) remove; returns its SQL name.
std::string LoadInlinedDeletes(Engine& engine, const TableInfo& table, const TableScanPlan& plan,
                               const std::vector<std::pair<int64_t, int64_t>>& deletes, const std::string& schema);

}  // namespace dlctl::lake
