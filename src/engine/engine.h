#pragma once
// The embedded DuckDB 1.4.4. DuckDB's headers stay inside engine/: callers see this interface.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "output/query_result.h"

namespace duckdb {
class DatabaseInstance;
}

namespace dlctl {

class ObjectStore;
struct Settings;

struct EngineOptions {
  // A DuckDB file (local/engine.duckdb) as the default database, shared with other processes:
  // read-only until a statement writes to it (engine/database_file.h). Empty: in memory only.
  std::filesystem::path database_file;
  int threads = 0;                         // 0: DuckDB's default
  // A query still running after DuckDB's progress_bar_time (2 s) shows its progress on stderr,
  // when stderr is a terminal.
  bool show_progress = false;
};

class Engine {
 public:
  // `store` serves every s3://<settings.bucket>/... path DuckDB opens (reads, globs, COPY TO), on
  // S3 and on the embedded default alike; other buckets are errors. Extensions are never loaded.
  Engine(std::shared_ptr<ObjectStore> store, const Settings& settings, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs one or more statements; the result of the last one. Throws Error on SQL errors, with
  // DuckDB's message on one line; statements after a failing one do not run.
  QueryResult Query(const std::string& sql);

  // Makes `SELECT * FROM __dlctl_table_source('<key>')` read the SELECT that `select_sql`
  // returns, asked for each time a query binds it: a table whose SQL is costly to build (many
  // files) costs nothing until a query reads it. Replaces an earlier source of the same key.
  void RegisterTableSource(const std::string& key, std::function<std::string()> select_sql);
  static std::string TableSourceSql(const std::string& key);

  // Creates or replaces view catalog.schema.name with the given columns (DuckDB type names)
  // without binding `select_sql` now: it is bound when a query uses the view, and must then
  // return exactly these columns and types.
  struct ViewColumn {
    std::string name;
    std::string type;
    std::optional<std::string> comment;
  };
  void CreateUnboundView(const std::string& catalog, const std::string& schema, const std::string& name,
                         const std::vector<ViewColumn>& columns, const std::string& select_sql,
                         const std::optional<std::string>& comment = std::nullopt);

  // The tables and views of `database`.`schema` (names compared as DuckDB compares them), read
  // from the catalog itself: information_schema.tables would enumerate every attached database
  // and work out each table's size. Empty when the database or the schema does not exist.
  struct CatalogRelation {
    std::string database;
    std::string schema;
    std::string name;
    bool is_view = false;
  };
  std::vector<CatalogRelation> Relations(const std::string& database, const std::string& schema);
  // Whether `database`.`schema` exists, asked of the catalog as Relations does.
  bool SchemaExists(const std::string& database, const std::string& schema);

  // The result of `sql` column by column, without converting any value to text: for bulk reads
  // (a graph's edges). Every column must be BIGINT; NULLs and other types are an Error.
  std::vector<std::vector<int64_t>> QueryInt64Columns(const std::string& sql);

  // Rows the caller holds in memory, readable as `SELECT * FROM __dlctl_vector_rows('<key>')`
  // (VectorRowsSql) with columns id_column BIGINT and vector_column FLOAT[]: row i is ids[i] and
  // values[i * dimension, (i + 1) * dimension). Scanned in parallel, in order, by copying whole
  // chunks. The memory must stay unchanged until UnregisterVectorRows.
  struct VectorRows {
    std::string id_column;
    std::string vector_column;
    const int64_t* ids = nullptr;
    const float* values = nullptr;
    size_t rows = 0;
    int dimension = 0;
  };
  void RegisterVectorRows(const std::string& key, VectorRows rows);
  void UnregisterVectorRows(const std::string& key);
  static std::string VectorRowsSql(const std::string& key);

  // Bytes the s3:// file system has read from the store so far (for range-read checks).
  uint64_t StoreBytesRead() const;

  // The DuckDB database behind the engine, for the one other layer that builds on DuckDB's own
  // objects: the lake catalogs (lake/catalog/), attached to it as catalogs of their own.
  duckdb::DatabaseInstance& database();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dlctl
