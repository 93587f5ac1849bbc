#pragma once
// A consistent copy of a SQLite database (a DuckLake catalog) while others may use it: SQLite's
// online backup API copies every page under one read transaction, so the copy is the database
// as of one moment, whatever writers do around it. Never a byte copy of the live file.
#include <filesystem>

namespace dlctl {

// Writes the copy to `destination` (created; it must not exist) and checks it with
// PRAGMA quick_check. Waits for a writer holding the database locked, up to `busy_timeout_ms`.
void CopySqliteDatabase(const std::filesystem::path& source, const std::filesystem::path& destination,
                        int busy_timeout_ms = 30000);

}  // namespace dlctl
