#pragma once
// The inlined-data rows of a commit (spec notes §7), written as DuckDB's ducklake extension
// writes them: a table that can inline gets an inlined data table for every layout it takes
// (created, columns changed, renamed); inserted rows go into the table made for the table's
// current layout (a table without one gets one, and the commit's schema version moves on, as
// the extension does); deletes end inlined rows or list Parquet rows in
// ducklake_inlined_delete_<table>; a flush removes what it wrote to Parquet.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "lake/metadata/metadata_store.h"
#include "lake/write/change_set.h"

namespace dlctl::lake {

class InlinedCommit {
 public:
  // `snapshot`: the snapshot being committed; `base`: the one the transaction read.
  InlinedCommit(MetadataStore& store, const ChangeSet& changes, SnapshotId snapshot, SnapshotId base)
      : store_(store), changes_(changes), snapshot_(snapshot), base_(base) {}

  // The tables the commit creates or gives a new layout get an inlined data table of
  // `schema_version` when they can inline. `ids` maps provisional ids to committed ones.
  void CreateTablesForNewLayouts(const std::map<int64_t, int64_t>& ids, int64_t schema_version);

  // Inserts the transaction's inlined rows of a table (by its id in the ChangeSet, committed as
  // `table_id`): new rows are numbered from `next_row_id` on, which advances. May create the
  // table's inlined data table, moving `schema_version` on. Returns the rows written.
  int64_t InsertRows(int64_t changes_id, int64_t table_id, int64_t& schema_version, int64_t& next_row_id);

  // Ends inlined rows (by row id) at the commit's snapshot.
  void EndRows(const std::string& inlined_table, const std::vector<int64_t>& row_ids);
  // Lists deleted Parquet rows (data file id -> positions) in ducklake_inlined_delete_<table>.
  void InsertFileDeletes(int64_t table_id, const std::map<int64_t, std::vector<int64_t>>& deletes);

  // A flush's removals: the flushed rows of each inlined data table, the delete files and
  // inlined deletes its new delete files replace (the latter scheduled for deletion), and the
  // table's older inlined data tables once empty. Runs before the new delete files are written.
  void RemoveFlushed(int64_t table_id, const TableDataChanges& changes);

 private:
  uint64_t LimitOf(int64_t changes_id, int64_t table_id);
  std::string TargetTable(int64_t changes_id, int64_t table_id, int64_t& schema_version);

  MetadataStore& store_;
  const ChangeSet& changes_;
  SnapshotId snapshot_, base_;
  std::map<int64_t, std::string> new_tables_;  // committed table id -> its new inlined data table
};

}  // namespace dlctl::lake
