#include "lake/catalog_binding.h"

#include <fmt/format.h>

#include <mutex>
#include <optional>
#include <unordered_set>

#include "lake/inlined_rows.h"
#include "lake/sql_quote.h"
#include "lake/table_scan.h"
#include "lake/types.h"
#include "util/error.h"

namespace dlctl::lake {

namespace {

std::string QualifiedName(const std::string& catalog, const std::string& schema, const std::string& object) {
  return SqlIdentifier(catalog) + "." + SqlIdentifier(schema) + "." + SqlIdentifier(object);
}

// column_aliases as the extension stores them: a comma-separated list of double-quoted names.
std::vector<std::string> ParseQuotedList(const std::string& text) {
  std::vector<std::string> names;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] != '"') throw Error("cannot read view column aliases: " + text);
    std::string name;
    for (++pos; pos < text.size(); ++pos) {
      if (text[pos] == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          name += '"';
          ++pos;
          continue;
        }
        break;
      }
      name += text[pos];
    }
    if (pos >= text.size()) throw Error("cannot read view column aliases: " + text);
    names.push_back(std::move(name));
    ++pos;
    if (pos < text.size() && text[pos++] != ',') throw Error("cannot read view column aliases: " + text);
  }
  return names;
}

// The view of a table with inlined deletes: they refer to positions in the data files, so the
// file list is needed now, and the view body is plain SQL.
void BindTableNow(Engine& engine, CatalogReader& reader, const CatalogState& state, const std::string& name,
                  const SchemaInfo& schema, TableInfo table) {
  const SnapshotId snapshot = state.snapshot.id;
  std::string hidden = SqlIdentifier(name) + "." + SqlIdentifier(kInlinedSchema);
  engine.Query("CREATE SCHEMA IF NOT EXISTS " + hidden);
  if (!state.with_files) reader.LoadTableFiles(table, snapshot);

  std::vector<std::pair<int64_t, int64_t>> deletes = reader.ReadInlinedDeletes(table.id, snapshot);
  std::unordered_set<int64_t> files_with_deletes;
  for (const auto& [file_id, position] : deletes) files_with_deletes.insert(file_id);

  TableScanPlan plan = PlanTableScan(table, snapshot, files_with_deletes);
  InlinedRelations inlined;
  inlined.data = LoadInlinedData(engine, reader, table, snapshot, hidden);
  if (!deletes.empty()) inlined.deletes = LoadInlinedDeletes(engine, table, plan, deletes, hidden);

  std::string view = QualifiedName(name, schema.name, table.name);
  engine.Query(fmt::format("CREATE VIEW {} AS {}", view, TableScanSql(table, plan, snapshot, inlined)));
  if (table.comment) engine.Query(fmt::format("COMMENT ON VIEW {} IS {}", view, SqlLiteral(*table.comment)));
  for (const ColumnInfo& column : table.columns)
    if (column.comment)
      engine.Query(
          fmt::format("COMMENT ON COLUMN {}.{} IS {}", view, SqlIdentifier(column.name), SqlLiteral(*column.comment)));
}

// A table's scan SQL, built the first time a query reads the table: a catalog of many tables
// and files binds in the time it takes to read its schema, and a query pays only for its tables.
struct DeferredScan {
  TableInfo table;
  SnapshotId snapshot = 0;
  InlinedRelations inlined;
  CatalogReader* files_from = nullptr;  // set when `table` has no files loaded yet
  std::mutex mutex;
  std::optional<std::string> sql;

  std::string Sql() {
    std::lock_guard<std::mutex> lock(mutex);
    if (!sql) {
      if (files_from) files_from->LoadTableFiles(table, snapshot);
      files_from = nullptr;
      sql = TableScanSql(table, PlanTableScan(table, snapshot, {}), snapshot, inlined);
    }
    return *sql;
  }
};

void BindTable(Engine& engine, CatalogReader& reader, const CatalogState& state, const std::string& name,
               const SchemaInfo& schema, const TableInfo& table) {
  if (table.has_inlined_deletes) return BindTableNow(engine, reader, state, name, schema, table);
  auto scan = std::make_shared<DeferredScan>();
  scan->table = table;
  scan->snapshot = state.snapshot.id;
  if (!state.with_files) scan->files_from = &reader;
  if (!table.inlined_tables.empty()) {
    std::string hidden = SqlIdentifier(name) + "." + SqlIdentifier(kInlinedSchema);
    engine.Query("CREATE SCHEMA IF NOT EXISTS " + hidden);
    scan->inlined.data = LoadInlinedData(engine, reader, table, state.snapshot.id, hidden);
  }
  if (table.columns.empty()) throw Error(fmt::format("table {} has no columns", table.name));

  std::string key = fmt::format("{}.{}.{}", name, schema.name, table.name);
  engine.RegisterTableSource(key, [scan] { return scan->Sql(); });
  std::vector<Engine::ViewColumn> columns;
  for (const ColumnInfo& column : table.columns) columns.push_back({column.name, DuckDBType(column), column.comment});
  engine.CreateUnboundView(name, schema.name, table.name, columns, Engine::TableSourceSql(key), table.comment);
}

// Stands in for an object that cannot be bound: using it fails with the reason.
BindFailure CreateFailingView(Engine& engine, const std::string& name, const std::string& schema,
                              const std::string& object, const std::string& message) {
  BindFailure failure{fmt::format("{}.{}.{}", name, schema, object), message};
  // The filter makes even count(*), which needs no column, evaluate error().
  std::string error = fmt::format("error({})", SqlLiteral(failure.object + " cannot be bound: " + message));
  engine.Query(fmt::format("CREATE OR REPLACE VIEW {} AS SELECT {} AS error WHERE {} IS NULL",
                           QualifiedName(name, schema, object), error, error));
  return failure;
}

std::string CreateViewSql(const std::string& name, const SchemaInfo& schema, const ViewInfo& view) {
  if (view.dialect != "duckdb")
    throw Error(fmt::format("view {}.{} is written in SQL dialect '{}'; only duckdb views can be read", schema.name,
                            view.name, view.dialect));
  std::string aliases;
  if (view.column_aliases && !view.column_aliases->empty()) {
    for (const std::string& alias : ParseQuotedList(*view.column_aliases))
      aliases += (aliases.empty() ? "" : ", ") + SqlIdentifier(alias);
    aliases = " (" + aliases + ")";
  }
  return fmt::format("CREATE VIEW {}{} AS {}", QualifiedName(name, schema.name, view.name), aliases, view.sql);
}

}  // namespace

std::vector<BindFailure> BindCatalogTables(Engine& engine, CatalogReader& reader, const CatalogState& state,
                                           const std::string& name) {
  engine.Query(fmt::format("DETACH DATABASE IF EXISTS {0}; ATTACH ':memory:' AS {0}", SqlIdentifier(name)));
  std::vector<BindFailure> failures;
  for (const SchemaInfo& schema : state.schemas) {
    engine.Query(fmt::format("CREATE SCHEMA IF NOT EXISTS {}.{}", SqlIdentifier(name), SqlIdentifier(schema.name)));
    for (const TableInfo& table : schema.tables) {
      try {
        BindTable(engine, reader, state, name, schema, table);
      } catch (const Error& e) {
        failures.push_back(CreateFailingView(engine, name, schema.name, table.name,
                                             fmt::format("table at snapshot {}: {}", state.snapshot.id, e.what())));
      }
    }
  }
  return failures;
}

std::vector<BindFailure> BindCatalogViews(Engine& engine, const CatalogState& state, const std::string& name) {
  struct Pending {
    const SchemaInfo* schema;
    const ViewInfo* view;
    std::string message;
  };
  std::vector<Pending> pending;
  for (const SchemaInfo& schema : state.schemas)
    for (const ViewInfo& view : schema.views) pending.push_back({&schema, &view, ""});

  // A view may use another view created after it: retry the failures while any view succeeds.
  bool progress = true;
  while (!pending.empty() && progress) {
    progress = false;
    std::vector<Pending> failed;
    for (Pending& item : pending) {
      try {
        engine.Query(CreateViewSql(name, *item.schema, *item.view));
        if (item.view->comment)
          engine.Query(fmt::format("COMMENT ON VIEW {} IS {}", QualifiedName(name, item.schema->name, item.view->name),
                                   SqlLiteral(*item.view->comment)));
        progress = true;
      } catch (const Error& e) {
        item.message = e.what();
        failed.push_back(item);
      }
    }
    pending = std::move(failed);
  }

  std::vector<BindFailure> failures;
  for (const Pending& item : pending)
    failures.push_back(CreateFailingView(engine, name, item.schema->name, item.view->name, "view: " + item.message));
  return failures;
}

std::vector<BindFailure> BindCatalog(Engine& engine, CatalogReader& reader, const CatalogState& state,
                                     const std::string& name) {
  std::vector<BindFailure> failures = BindCatalogTables(engine, reader, state, name);
  std::vector<BindFailure> view_failures = BindCatalogViews(engine, state, name);
  failures.insert(failures.end(), view_failures.begin(), view_failures.end());
  return failures;
}

}  // namespace dlctl::lake
