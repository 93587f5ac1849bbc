#pragma once
// How big DuckLake data files grow before a new one starts: DuckLake's `target_file_size`
// option (ducklake_metadata, set with CALL <lake>.set_option), per table or for the catalog.
#include <cstdint>
#include <optional>
#include <string>

#include "lake/metadata/metadata_store.h"

namespace dlctl::lake {

// The option for the table (a table-scoped row wins over the global one), if set.
std::optional<uint64_t> TargetFileSizeOption(MetadataStore& store, int64_t table_id);

// "536870912", "512MB", "1.5 GiB" (KB = 1000 bytes, KiB = 1024, as DuckDB reads sizes).
// Throws Error on anything else.
uint64_t ParseByteSize(const std::string& text);

}  // namespace dlctl::lake
