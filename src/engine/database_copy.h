#pragma once
// A consistent copy of a DuckDB database file, made by DuckDB itself: the file is attached read
// only (its WAL replayed in memory, so committed work that was never checkpointed is included)
// and COPY FROM DATABASE writes every schema, table, view, sequence and macro into a new file.
#include <filesystem>

namespace dlctl {

// Throws Error when `source` cannot be opened (missing, another process writing it, a newer
// storage version) or `destination` already exists.
void CopyDuckDbDatabase(const std::filesystem::path& source, const std::filesystem::path& destination);

}  // namespace dlctl
