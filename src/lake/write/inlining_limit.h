#pragma once
// DuckLake's data_inlining_row_limit (spec notes §7): inserts of at most this many rows go into
// the catalog instead of a Parquet file, and deletes of at most this many rows of one data file
// are kept in the catalog instead of a delete file; 0 turns inlining off. The catalog's own
// option (ducklake_metadata, written by CALL <catalog>.set_option) wins, table over schema over
// global scope; else the catalog's attach default, else DuckDB's setting
// ducklake_default_data_inlining_row_limit, else 10 (the extension's default).
#include <cstdint>
#include <optional>
#include <vector>

#include "lake/metadata/metadata_store.h"
#include "lake/write/change_set.h"

namespace dlctl::lake {

inline constexpr const char* kInliningRowLimitKey = "data_inlining_row_limit";
inline constexpr const char* kInliningRowLimitSetting = "ducklake_default_data_inlining_row_limit";
inline constexpr uint64_t kDefaultInliningRowLimit = 10;

// The option stored for the table, its schema or the catalog (nullopt: none), with `pending`
// (set_option calls of the running transaction) taking precedence over the stored rows.
std::optional<uint64_t> InliningRowLimitOption(MetadataStore& store, int64_t schema_id, int64_t table_id,
                                               const std::vector<OptionChange>& pending = {});

}  // namespace dlctl::lake
