#pragma once
// A consistent copy of a DuckDB database file, made by DuckDB itself: the file is attached read
// only (its WAL replayed in memory, so committed work that was never checkpointed is included)
// and COPY FROM DATABASE writes every schema, table, view, sequence and macro into a new file.
#include <chrono>
#include <filesystem>

namespace dlctl {

// Waits up to `lock_wait` while another process writes to `source`. Throws Error when `source`
// cannot be opened (missing, still written to, a newer storage version) or `destination`
// already exists.
void CopyDuckDbDatabase(const std::filesystem::path& source, const std::filesystem::path& destination,
                        std::chrono::milliseconds lock_wait = std::chrono::seconds(120));

}  // namespace dlctl
