#include "lake/metadata/inlined_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

bool SameName(const std::string& a, const char* b) {
  std::string lower = a;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == b;
}

bool Unsupported(const ColumnInfo& column) {
  if (column.type == "variant" || column.type == "geometry") return true;
  return std::any_of(column.children.begin(), column.children.end(), Unsupported);
}

// The hex text PostgreSQL's decode(..., 'hex') takes.
std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

// Kept as text in every catalog database (DuckDB's forms of strings and JSON).
bool IsString(const ColumnInfo& column) { return column.type == "varchar" || column.type == "json"; }

// The PostgreSQL type the extension declares (PostgresMetadataManager::GetColumnTypeInternal).
std::string PostgresType(const ColumnInfo& column) {
  const std::string& type = column.type;
  if (type == "boolean") return "BOOLEAN";
  if (type == "int8" || type == "int16") return "SMALLINT";
  if (type == "int32" || type == "uint8" || type == "uint16") return "INTEGER";
  if (type == "int64" || type == "uint32") return "BIGINT";
  if (type == "float32") return "REAL";
  if (type == "float64") return "DOUBLE PRECISION";
  if (StartsWith(type, "decimal")) {
    std::string upper = type;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    return upper;
  }
  if (type == "time") return "TIME";
  if (type == "timetz") return "TIME WITH TIME ZONE";
  if (type == "interval") return "INTERVAL";
  if (type == "uuid") return "UUID";
  if (type == "blob" || IsString(column)) return "BYTEA";
  return "VARCHAR";  // unsigned 64-bit, 128-bit, dates and timestamps, nested values
}

// PostgreSQL types read back as their text (they are not integers, booleans or bytes).
bool ReadAsText(const ColumnInfo& column) {
  std::string type = PostgresType(column);
  return type != "BOOLEAN" && type != "SMALLINT" && type != "INTEGER" && type != "BIGINT" && type != "BYTEA" &&
         type != "VARCHAR";
}

}  // namespace

InlinedStorage InlinedStorageOf(const ColumnInfo& column) {
  const std::string& type = column.type;
  if (type == "boolean" || type == "int8" || type == "int16" || type == "int32" || type == "int64" ||
      type == "uint8" || type == "uint16" || type == "uint32")
    return InlinedStorage::kInteger;
  if (type == "blob") return InlinedStorage::kBytes;
  return InlinedStorage::kText;
}

std::string InlinedColumnType(Dialect dialect, const ColumnInfo& column) {
  if (dialect == Dialect::kPostgres) return PostgresType(column);
  switch (InlinedStorageOf(column)) {
    case InlinedStorage::kInteger:
      return "BIGINT";
    case InlinedStorage::kBytes:
      return "BLOB";
    case InlinedStorage::kText:
      break;
  }
  return "VARCHAR";
}

bool CanInline(Dialect dialect, const std::vector<ColumnInfo>& columns) {
  constexpr size_t kPostgresIdentifierLength = 63;
  for (const ColumnInfo& column : columns) {
    for (const char* reserved :
         {"row_id", "begin_snapshot", "end_snapshot", "_ducklake_internal_snapshot_id", "_ducklake_internal_row_id"})
      if (SameName(column.name, reserved)) return false;
    if (dialect == Dialect::kPostgres && column.name.size() > kPostgresIdentifierLength) return false;
    if (Unsupported(column)) return false;
  }
  return true;
}

std::string InlinedDataTableName(int64_t table_id, int64_t schema_version) {
  return fmt::format("ducklake_inlined_data_{}_{}", table_id, schema_version);
}

std::string InlinedDeleteTableName(int64_t table_id) { return fmt::format("ducklake_inlined_delete_{}", table_id); }

std::string CreateInlinedDataTable(MetadataStore& store, int64_t table_id, int64_t schema_version,
                                   const std::vector<ColumnInfo>& columns) {
  std::string name = InlinedDataTableName(table_id, schema_version);
  std::string ddl = "CREATE TABLE IF NOT EXISTS " + SqlIdentifier(name) +
                    "(row_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT";
  for (const ColumnInfo& column : columns)
    ddl += ", " + SqlIdentifier(column.name) + " " + InlinedColumnType(store.dialect(), column);
  store.ExecuteScript(ddl + ")");
  store.Execute("INSERT INTO ducklake_inlined_data_tables VALUES (?, ?, ?)", {table_id, name, schema_version});
  return name;
}

std::optional<SnapshotId> InlinedTableLayoutSnapshot(MetadataStore& store, int64_t table_id, int64_t schema_version) {
  // The snapshot that made this schema version for the table (ducklake_schema_versions), else
  // the first snapshot of that version (a writer that bumped the version to add the table).
  auto at = store.Query(
      "SELECT COALESCE((SELECT MIN(begin_snapshot) FROM ducklake_schema_versions WHERE table_id = ? AND "
      "schema_version = ?), (SELECT MIN(snapshot_id) FROM ducklake_snapshot WHERE schema_version = ?))",
      {table_id, schema_version, schema_version});
  if (at.empty() || at[0].IsNull(0)) return std::nullopt;
  return at[0].Int(0);
}

std::vector<InlinedColumn> InlinedTableColumns(MetadataStore& store, int64_t table_id, int64_t schema_version) {
  std::vector<InlinedColumn> columns;
  std::optional<SnapshotId> at = InlinedTableLayoutSnapshot(store, table_id, schema_version);
  if (!at) return columns;
  SnapshotId snapshot = *at;
  for (const Row& row : store.Query("SELECT column_id, column_name FROM ducklake_column WHERE table_id = ? AND "
                                    "parent_column IS NULL AND begin_snapshot <= ? AND (end_snapshot IS NULL OR "
                                    "end_snapshot > ?) ORDER BY column_order",
                                    {table_id, snapshot, snapshot}))
    columns.push_back({row.Int(0), row.Text(1)});
  return columns;
}

std::string InlinedColumnRead(Dialect dialect, const ColumnInfo& column, const std::string& stored_name) {
  std::string name = SqlIdentifier(stored_name);
  if (dialect == Dialect::kPostgres && ReadAsText(column)) return "CAST(" + name + " AS TEXT)";
  return name;
}

std::string InlinedColumnPlaceholder(Dialect dialect, const ColumnInfo& column) {
  if (dialect == Dialect::kPostgres) return PostgresType(column) == "BYTEA" ? "decode(?, 'hex')" : "?";
  return InlinedStorageOf(column) == InlinedStorage::kBytes ? "CAST(? AS BLOB)" : "?";
}

Value InlinedParameter(Dialect dialect, const ColumnInfo& column, const Value& value) {
  auto text = std::get_if<std::string>(&value);
  if (dialect == Dialect::kPostgres && text && PostgresType(column) == "BYTEA") return Hex(*text);
  return value;
}

std::vector<int64_t> TablesWithInlinedDeletes(MetadataStore& store) {
  const char* sql = store.dialect() == Dialect::kPostgres
                        ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE "
                          "'ducklake_inlined_delete_%'"
                        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE "
                          "'ducklake_inlined_delete_%'";
  const std::string prefix = "ducklake_inlined_delete_";
  std::vector<int64_t> ids;
  for (const Row& row : store.Query(sql)) {
    std::string name = row.Text(0);
    std::string suffix = name.substr(std::min(name.size(), prefix.size()));
    if (!suffix.empty() && std::all_of(suffix.begin(), suffix.end(), [](unsigned char c) { return std::isdigit(c); }))
      ids.push_back(std::stoll(suffix));
  }
  return ids;
}

}  // namespace dlctl::lake
