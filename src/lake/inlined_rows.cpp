#include "lake/inlined_rows.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "lake/sql_quote.h"
#include "lake/types.h"

namespace dlctl::lake {

namespace {

// Rows per INSERT statement: big enough to be cheap, small enough to keep statements short.
constexpr size_t kRowsPerInsert = 1000;

// A BLOB literal: bytes outside printable ASCII, and the backslash, as \xHH escapes.
std::string BlobLiteral(const std::string& bytes) {
  std::string text;
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\\')
      text += static_cast<char>(c);
    else
      text += fmt::format("\\x{:02X}", c);
  }
  return SqlLiteral(text);
}

// A value as SQLite returned it, as a literal the INSERT casts to the column type. SQLite keeps
// most types as text in inlined tables (spec notes §10): DuckDB's own text forms, which cast back.
std::string Literal(const Value& value, const ColumnInfo& column) {
  if (std::holds_alternative<std::monostate>(value)) return "NULL";
  if (auto number = std::get_if<int64_t>(&value)) return SqlLiteral(std::to_string(*number));
  if (auto number = std::get_if<double>(&value)) return SqlLiteral(fmt::format("{}", *number));
  const std::string& text = std::get<std::string>(value);
  return column.type == "blob" ? BlobLiteral(text) : SqlLiteral(text);
}

void Insert(Engine& engine, const std::string& relation, const std::vector<std::string>& rows) {
  for (size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
    std::string sql = "INSERT INTO " + relation + " VALUES ";
    for (size_t i = start; i < std::min(rows.size(), start + kRowsPerInsert); ++i)
      sql += (i > start ? ", " : "") + rows[i];
    engine.Query(sql);
  }
}

}  // namespace

std::vector<std::string> LoadInlinedData(Engine& engine, CatalogReader& reader, const TableInfo& table,
                                         SnapshotId snapshot, const std::string& schema) {
  std::vector<std::string> relations;
  for (const InlinedTableInfo& inlined : table.inlined_tables) {
    std::unordered_map<int64_t, std::string> stored_name;  // column id -> name in the inlined table
    for (const InlinedColumn& column : inlined.columns) stored_name[column.column_id] = column.name;

    // Read the columns this layout has; the others get the same value on every row.
    std::vector<std::string> to_read;
    std::vector<std::string> constant(table.columns.size());
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const ColumnInfo& column = table.columns[i];
      auto found = stored_name.find(column.column_id);
      if (found != stored_name.end())
        to_read.push_back(found->second);
      else
        constant[i] = column.initial_default ? SqlLiteral(*column.initial_default) : "NULL";
    }
    std::vector<Row> stored = reader.ReadInlinedRows(inlined, to_read, snapshot);
    if (stored.empty()) continue;

    std::vector<std::string> rows;
    rows.reserve(stored.size());
    for (const Row& row : stored) {
      std::string values;
      size_t next = 0;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        bool is_stored = stored_name.count(table.columns[i].column_id) > 0;
        values += (i ? ", " : "") + (is_stored ? Literal(row.values[next++], table.columns[i]) : constant[i]);
      }
      rows.push_back("(" + values + ")");
    }

    std::string columns;
    for (const ColumnInfo& column : table.columns)
      columns += (columns.empty() ? "" : ", ") + SqlIdentifier(column.name) + " " + DuckDBType(column);
    std::string relation = schema + "." + SqlIdentifier(inlined.table_name);
    engine.Query(fmt::format("CREATE TABLE {} ({})", relation, columns));
    Insert(engine, relation, rows);
    relations.push_back(relation);
  }
  return relations;
}

std::string LoadInlinedDeletes(Engine& engine, const TableInfo& table, const TableScanPlan& plan,
                               const std::vector<std::pair<int64_t, int64_t>>& deletes, const std::string& schema) {
  std::unordered_map<int64_t, size_t> file_index;  // data file id -> its file_index in the filtered scan
  for (size_t i = 0; i < plan.filtered_files.size(); ++i) file_index[plan.filtered_files[i]->id] = i;
  std::vector<std::string> rows;
  for (const auto& [file_id, position] : deletes)
    if (auto found = file_index.find(file_id); found != file_index.end())
      rows.push_back(fmt::format("({}, {})", found->second, position));

  std::string relation = schema + "." + SqlIdentifier(fmt::format("ducklake_inlined_delete_{}", table.id));
  engine.Query(fmt::format("CREATE TABLE {} (file_index UBIGINT, pos BIGINT)", relation));
  Insert(engine, relation, rows);
  return relation;
}

}  // namespace dlctl::lake
