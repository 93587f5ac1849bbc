#include "lake/catalog_binding.h"

#include <fmt/format.h>

#include <unordered_set>

#include "lake/inlined_rows.h"
#include "lake/sql_quote.h"
#include "lake/table_scan.h"
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

void BindTable(Engine& engine, CatalogReader& reader, const CatalogState& state, const std::string& name,
               const SchemaInfo& schema, const TableInfo& table) {
  const SnapshotId snapshot = state.snapshot.id;
  std::string hidden = SqlIdentifier(name) + "." + SqlIdentifier(kInlinedSchema);
  bool has_inlined = !table.inlined_tables.empty();
  if (has_inlined) engine.Query("CREATE SCHEMA IF NOT EXISTS " + hidden);

  std::vector<std::pair<int64_t, int64_t>> deletes;
  if (table.has_inlined_deletes) deletes = reader.ReadInlinedDeletes(table.id, snapshot);
  std::unordered_set<int64_t> files_with_deletes;
  for (const auto& [file_id, position] : deletes) files_with_deletes.insert(file_id);

  TableScanPlan plan = PlanTableScan(table, snapshot, files_with_deletes);
  InlinedRelations inlined;
  if (has_inlined) inlined.data = LoadInlinedData(engine, reader, table, snapshot, hidden);
  if (!deletes.empty()) inlined.deletes = LoadInlinedDeletes(engine, table, plan, deletes, hidden);

  std::string view = QualifiedName(name, schema.name, table.name);
  engine.Query(fmt::format("CREATE VIEW {} AS {}", view, TableScanSql(table, plan, snapshot, inlined)));
  if (table.comment) engine.Query(fmt::format("COMMENT ON VIEW {} IS {}", view, SqlLiteral(*table.comment)));
  for (const ColumnInfo& column : table.columns)
    if (column.comment)
      engine.Query(fmt::format("COMMENT ON COLUMN {}.{} IS {}", view, SqlIdentifier(column.name),
                               SqlLiteral(*column.comment)));
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

void BindCatalogTables(Engine& engine, CatalogReader& reader, const CatalogState& state, const std::string& name) {
  engine.Query(fmt::format("DETACH DATABASE IF EXISTS {0}; ATTACH ':memory:' AS {0}", SqlIdentifier(name)));
  for (const SchemaInfo& schema : state.schemas) {
    engine.Query(fmt::format("CREATE SCHEMA IF NOT EXISTS {}.{}", SqlIdentifier(name), SqlIdentifier(schema.name)));
    for (const TableInfo& table : schema.tables) {
      try {
        BindTable(engine, reader, state, name, schema, table);
      } catch (const Error& e) {
        throw Error(fmt::format("catalog {}: cannot bind table {}.{} at snapshot {}: {}", name, schema.name, table.name,
                                state.snapshot.id, e.what()));
      }
    }
  }
}

std::vector<ViewBindFailure> BindCatalogViews(Engine& engine, const CatalogState& state, const std::string& name) {
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

  std::vector<ViewBindFailure> failures;
  for (const Pending& item : pending) {
    std::string view = fmt::format("{}.{}.{}", name, item.schema->name, item.view->name);
    std::string message = fmt::format("view {} cannot be bound: {}", view, item.message);
    engine.Query(fmt::format("CREATE VIEW {} AS SELECT error({}) AS error",
                             QualifiedName(name, item.schema->name, item.view->name), SqlLiteral(message)));
    failures.push_back({view, item.message});
  }
  return failures;
}

std::vector<ViewBindFailure> BindCatalog(Engine& engine, CatalogReader& reader, const CatalogState& state,
                                         const std::string& name) {
  BindCatalogTables(engine, reader, state, name);
  return BindCatalogViews(engine, state, name);
}

}  // namespace dlctl::lake
