#pragma once
// local/init.sql for DuckDB's own CLI: `duckdb -init local/init.sql local/engine.duckdb`
// attaches every catalog with DuckDB's official ducklake extension.
#include <filesystem>
#include <string>

#include "config/settings.h"

namespace dlctl {

// The script's text. Every value is SQL-escaped; it holds the S3 secret when S3 is configured
// and the PostgreSQL password when a catalog is on PostgreSQL (a `postgres` secret, META_SECRET).
std::string RenderInitSql(const Settings& settings);

// Writes the script with mode 0600 (atomically: temp file + rename). Creates its folder and the
// folder of every SQLite catalog, so DuckDB's ATTACH can create a catalog no dlctl command has
// written yet (on a fresh lab, before the first transform).
void WriteInitSql(const Settings& settings, const std::filesystem::path& path);

// 'it''s' for it's
std::string SqlString(const std::string& value);

}  // namespace dlctl
