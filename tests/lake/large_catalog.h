#pragma once
// A big generated DuckLake catalog: 10,000 snapshots, 100,000 data files (a fifth of them
// replaced), 10,000 delete files, 550 tables (50 dropped) with renamed columns. Every data file
// row points at one real 100-row Parquet file and every delete file row at one real delete file
// (removing row 0), so the engine can read what the catalog describes. Used by a test and by
// bench/lake_catalog.
#include <fmt/format.h>

#include <filesystem>
#include <string>

#include "engine/engine.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/metadata_store.h"
#include "util/sql_quote.h"

namespace dlctl::lake {

inline constexpr int kSnapshots = 10000;
inline constexpr int kDataFiles = 100000;
inline constexpr int kTables = 550;  // ids 100..649; 600..649 dropped at snapshot 5000

// Fills a new catalog with the generated rows.
// The SQL is the same on SQLite and PostgreSQL: booleans as comparisons (0/1 in SQLite), uuids
// as text made of the row number, cast where PostgreSQL's UUID columns need it.
struct GeneratedFile {
  std::string path;
  int64_t size = 0, footer_size = 0;  // as the file has them: readers trust the catalog's
};

inline void GenerateCatalog(MetadataStore& store, const GeneratedFile& data_file, const GeneratedFile& delete_file) {
  CreateCatalog(store, "/nowhere/");
  const std::string as_uuid = store.dialect() == Dialect::kPostgres ? "::uuid" : "";
  auto uuid = [&](const char* group) {
    return fmt::format("('00000000-0000-4000-{}-' || (100000000000 + i)){}", group, as_uuid);
  };
  Transaction transaction(store);
  auto numbers = [](int from, int to) {
    return fmt::format("WITH RECURSIVE n(i) AS (SELECT {} UNION ALL SELECT i + 1 FROM n WHERE i < {}) ", from, to);
  };
  store.Execute(numbers(1, kSnapshots) +
                "INSERT INTO ducklake_snapshot SELECT i, '2026-01-01 00:00:00.000000+00', 1 + i / 100, 1000, "
                "200000 FROM n");
  store.Execute(numbers(1, kSnapshots) +
                "INSERT INTO ducklake_snapshot_changes SELECT i, 'inserted_into_table:100', NULL, NULL, NULL FROM n");
  store.Execute(numbers(1, 5) +
                "INSERT INTO ducklake_schema SELECT i, " + uuid("8000") + ", 1, NULL, 's' || i, "
                "'s' || i || '/', 1 = 1 FROM n");
  store.Execute(numbers(100, 99 + kTables) +
                "INSERT INTO ducklake_table SELECT i, " + uuid("8001") +
                ", 1, CASE WHEN i >= 600 THEN 5000 END, 1 + i % 5, 't' || i, 't' || i || '/', 1 = 1 FROM n");
  // Ten columns per table; column 3 renamed at snapshot 3000 (an ended row and a new version).
  store.Execute(numbers(1, 10) +
                "INSERT INTO ducklake_column SELECT i, 1, CASE WHEN i = 3 THEN 3000 END, t.table_id, i, 'c' || i, "
                "CASE WHEN i % 2 = 0 THEN 'int64' ELSE 'varchar' END, NULL, 'NULL', 1 = 1, NULL, 'literal', 'duckdb' "
                "FROM n, ducklake_table t");
  store.Execute(
      "INSERT INTO ducklake_column SELECT 3, 3000, NULL, table_id, 3, 'c3_renamed', 'varchar', NULL, "
      "'NULL', 1 = 1, NULL, 'literal', 'duckdb' FROM ducklake_table");
  // A fifth of the files were replaced one snapshot after they were written.
  store.Execute(numbers(0, kDataFiles - 1) +
                fmt::format("INSERT INTO ducklake_data_file SELECT i, 100 + i % {}, 1 + i / 10, "
                            "CASE WHEN i % 5 = 0 THEN 2 + i / 10 END, NULL, {}, 1 = 0, 'parquet', 100, {}, {}, i * 100, "
                            "NULL, NULL, NULL, NULL FROM n",
                            kTables, SqlLiteral(data_file.path), data_file.size, data_file.footer_size));
  store.Execute(
      fmt::format("INSERT INTO ducklake_delete_file SELECT 100000 + data_file_id, table_id, "
                  "begin_snapshot + 1, NULL, data_file_id, {}, 1 = 0, 'parquet', 1, {}, {}, NULL, NULL "
                  "FROM ducklake_data_file WHERE data_file_id % 10 = 1",
                  SqlLiteral(delete_file.path), delete_file.size, delete_file.footer_size));
  store.Execute(
      "INSERT INTO ducklake_tag SELECT table_id, 1, NULL, 'comment', 'table ' || table_id "
      "FROM ducklake_table WHERE table_id % 7 = 0");
  transaction.Commit();
}

// Writes the data and delete file into `dir` with `engine`, then the catalog into `store`.
inline void WriteLargeCatalog(Engine& engine, MetadataStore& store, const std::filesystem::path& dir) {
  GeneratedFile data_file{(dir / "data.parquet").string()}, delete_file{(dir / "delete.parquet").string()};
  engine.Query("COPY (SELECT i::VARCHAR AS c1, i::BIGINT AS c2 FROM range(100) t(i)) TO " +
               SqlLiteral(data_file.path) + " (FORMAT parquet, FIELD_IDS {c1: 1, c2: 2})");
  engine.Query("COPY (SELECT 'x' AS file_path, 0::BIGINT AS pos) TO " + SqlLiteral(delete_file.path) +
               " (FORMAT parquet, FIELD_IDS {file_path: 2147483646, pos: 2147483645})");
  for (GeneratedFile* file : {&data_file, &delete_file}) {
    auto sizes = engine.Query("SELECT file_size_bytes, footer_size FROM parquet_file_metadata(" +
                              SqlLiteral(file->path) + ")");
    file->size = std::stoll(*sizes.rows.at(0).at(0));
    file->footer_size = std::stoll(*sizes.rows.at(0).at(1));
  }
  GenerateCatalog(store, data_file, delete_file);
}

}  // namespace dlctl::lake
