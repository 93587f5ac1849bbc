#pragma once
// A table's current rows together with where each lives, for DELETE and UPDATE: the table's
// columns (DuckLake names, in order) plus the data file id, the 0-based position in that file
// and the row id, so deletions become positional delete files and updated rows keep their ids.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lake/catalog_model.h"

namespace dlctl::lake {

inline constexpr const char* kFileIdColumn = "__ducklake_file_id";
inline constexpr const char* kPositionColumn = "__ducklake_pos";
inline constexpr const char* kRowIdOfRowColumn = "__ducklake_row_id";

// Reads `files` (of `table`, all by default) minus the rows their delete files and
// `inlined_deletes` (data file id, position) remove. Throws Error for files dlctl cannot
// rewrite (other formats, name-mapped files).
std::string PositionalScanSql(const TableInfo& table, const std::vector<const DataFileInfo*>& files,
                              const std::vector<std::pair<int64_t, int64_t>>& inlined_deletes = {});

}  // namespace dlctl::lake
