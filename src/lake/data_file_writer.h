#pragma once
// Parquet files the way DuckLake writes them (spec notes §5): query results streamed by the
// engine into ducklake-<uuidv7>.parquet files of a target size, every column carrying its
// column id as field id, with the record count, sizes and column stats (in DuckLake's encoding)
// each file needs in the catalog; and positional delete files.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "lake/catalog_model.h"
#include "lake/change_set.h"

namespace dlctl::lake {

// The hidden column that keeps the row ids of rewritten rows (UPDATE), and its field id.
inline constexpr const char* kRowIdColumn = "_ducklake_internal_row_id";
inline constexpr int64_t kRowIdFieldId = 2147483540;

struct DataFileOptions {
  // A file is closed once it grows past this size (DuckLake's target_file_size default).
  uint64_t target_file_size = 512ull * 1024 * 1024;
};

// Runs `select_sql`, whose columns are `columns` (names and order; top level with children),
// followed by kRowIdColumn when `with_row_ids`, and writes its rows into the folder `folder`
// (an absolute path or s3:// URI ending in '/'). An empty result still makes one empty file.
std::vector<WrittenFile> WriteDataFiles(Engine& engine, const std::string& select_sql, const std::string& folder,
                                        const std::vector<ColumnInfo>& columns, bool with_row_ids,
                                        const DataFileOptions& options);

// A positional delete file in `folder` for the data file at `data_file_uri`: the positions
// (0-based, BIGINT column `pos`) that `positions_sql` selects. record_count = positions.
WrittenFile WriteDeleteFile(Engine& engine, const std::string& positions_sql, const std::string& data_file_uri,
                            const std::string& folder);

}  // namespace dlctl::lake
