#include "lake/maintenance/catalog_copy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "lake/metadata/catalog_schema.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

struct Column {
  std::string name;
  std::string type;  // upper case, as the store declares it: "BIGINT", "TIMESTAMP WITH TIME ZONE"
};

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

// The seam has no calls for listing tables and column types, so the copy asks each kind of store
// in its own SQL.
bool IsCatalogTable(const std::string& name) { return name.rfind("ducklake_", 0) == 0; }

std::vector<std::string> CatalogTables(MetadataStore& store) {
  std::vector<Row> rows =
      store.dialect() == Dialect::kSqlite
          ? store.Query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
          : store.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                        "AND table_type = 'BASE TABLE' ORDER BY table_name");
  std::vector<std::string> names;
  for (const Row& row : rows)
    if (IsCatalogTable(row.Text(0))) names.push_back(row.Text(0));
  return names;
}

std::vector<Column> ColumnsOf(MetadataStore& store, const std::string& table) {
  std::vector<Column> columns;
  if (store.dialect() == Dialect::kSqlite) {
    for (const Row& row : store.Query("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", {table}))
      columns.push_back({row.Text(0), Upper(row.Text(1))});
  } else {
    for (const Row& row : store.Query("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                                      "WHERE a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident(?))::regclass "
                                      "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                                      {table}))
      columns.push_back({row.Text(0), Upper(row.Text(1))});
  }
  if (columns.empty()) throw Error("catalog " + store.Describe() + ": table " + table + " has no columns");
  return columns;
}

bool IsPostgresTimestampTz(const std::string& type) { return type == "TIMESTAMP WITH TIME ZONE"; }

bool IsBlob(const Column& column) { return column.type == "BLOB" || column.type == "BYTEA"; }

// How a column is read. The stores already return integers, booleans (0/1), uuids and
// TIMESTAMPTZ values alike; PostgreSQL's other types (in inlined data tables) are read as their
// text, which is how SQLite keeps them and what PostgreSQL parses back. A blob travels as its
// bytes (PostgreSQL's as hex, turned into bytes by BlobValue).
std::string ReadExpression(Dialect dialect, const Column& column) {
  std::string name = SqlIdentifier(column.name);
  if (dialect == Dialect::kSqlite || column.type == "BIGINT" || column.type == "INTEGER" ||
      column.type == "SMALLINT" || column.type == "BOOLEAN" || IsPostgresTimestampTz(column.type))
    return name;
  if (IsBlob(column)) return "encode(" + name + ", 'hex')";
  return "CAST(" + name + " AS TEXT)";
}

std::string WritePlaceholder(Dialect dialect, const Column& column) {
  if (!IsBlob(column)) return "?";  // PostgreSQL takes untyped text parameters as the column's type
  return dialect == Dialect::kSqlite ? "CAST(? AS BLOB)" : "decode(?, 'hex')";
}

std::string Unhex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

// A blob value from the source's form (SQLite: bytes; PostgreSQL: hex) into the target's.
Value BlobValue(Dialect from, Dialect to, const Value& value) {
  auto text = std::get_if<std::string>(&value);
  if (!text || from == to) return value;
  return from == Dialect::kPostgres ? Value(Unhex(*text)) : Value(Hex(*text));
}

// The type an inlined data table's column gets in the target. SQLite declares DuckDB's type names
// (with DOUBLE, FLOAT and TIMESTAMPTZ kept as VARCHAR); PostgreSQL declares its own, as DuckDB's
// ducklake extension maps them. The value conversions above keep the text DuckDB reads back.
std::string TargetType(Dialect from, Dialect to, const std::string& type) {
  if (from == to) return type;
  if (to == Dialect::kPostgres) {
    if (type == "TINYINT") return "SMALLINT";
    if (type == "UTINYINT" || type == "USMALLINT") return "INTEGER";
    if (type == "UINTEGER") return "BIGINT";
    if (type == "BLOB") return "BYTEA";
    if (type == "UBIGINT" || type == "HUGEINT" || type == "UHUGEINT" || type.rfind("TIMESTAMP_", 0) == 0 ||
        type.find('[') != std::string::npos || type.rfind("STRUCT", 0) == 0 || type.rfind("MAP", 0) == 0)
      return "VARCHAR";
    return type;
  }
  if (type == "CHARACTER VARYING" || type == "TEXT" || type == "DOUBLE PRECISION" || type == "REAL" ||
      IsPostgresTimestampTz(type))
    return "VARCHAR";
  if (type == "TIMESTAMP WITHOUT TIME ZONE") return "TIMESTAMP";
  if (type == "TIME WITHOUT TIME ZONE") return "TIME";
  if (type == "BYTEA") return "BLOB";
  if (type.rfind("NUMERIC", 0) == 0) return "DECIMAL" + type.substr(7);
  return type;
}

// The columns of an inlined data table that hold strings (varchar, json): PostgreSQL keeps them
// as BYTEA (as the extension does, for NUL bytes), SQLite as VARCHAR.
std::set<std::string> StringColumns(MetadataStore& store, const std::string& table) {
  std::set<std::string> names;
  const std::string prefix = "ducklake_inlined_data_";
  if (table.rfind(prefix, 0) != 0) return names;
  std::string rest = table.substr(prefix.size());
  std::string id = rest.substr(0, rest.find('_'));
  if (id.empty() || !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); })) return names;
  for (const Row& row : store.Query("SELECT DISTINCT column_name FROM ducklake_column WHERE table_id = ? AND "
                                    "parent_column IS NULL AND column_type IN ('varchar', 'json')",
                                    {static_cast<int64_t>(std::stoll(id))}))
    names.insert(row.Text(0));
  return names;
}

int64_t CountRows(MetadataStore& store, const std::string& table) {
  return store.Query("SELECT COUNT(*) FROM " + SqlIdentifier(table))[0].Int(0);
}

// Ends the read transaction on every path; a read-only transaction has nothing to undo.
class ReadTransaction {
 public:
  explicit ReadTransaction(MetadataStore& store) : store_(store) {
    // One snapshot of the whole catalog: SQLite's deferred BEGIN holds a read lock from the first
    // read; PostgreSQL's REPEATABLE READ sees the database as of the first statement.
    store_.ExecuteScript(store.dialect() == Dialect::kSqlite ? "BEGIN"
                                                              : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  }
  ~ReadTransaction() {
    try {
      store_.ExecuteScript("ROLLBACK");
    } catch (...) {
      // Closing the connection ends it as well.
    }
  }

 private:
  MetadataStore& store_;
};

void CopyTable(MetadataStore& source, MetadataStore& target, const std::string& table, CatalogCopyReport& report) {
  Dialect from = source.dialect(), to = target.dialect();
  std::vector<Column> source_columns = ColumnsOf(source, table);
  std::vector<Column> target_columns = ColumnsOf(target, table);
  std::string select, order, insert_columns, placeholders;
  std::vector<size_t> blobs;
  for (size_t i = 0; i < source_columns.size(); ++i) {
    const Column& column = source_columns[i];
    auto match = std::find_if(target_columns.begin(), target_columns.end(),
                              [&](const Column& c) { return c.name == column.name; });
    if (match == target_columns.end())
      throw Error(fmt::format("cannot copy catalog table {}: {} has no column {}", table, target.Describe(),
                              column.name));
    std::string separator = i == 0 ? "" : ", ";
    select += separator + ReadExpression(from, column);
    order += separator + std::to_string(i + 1);
    insert_columns += separator + SqlIdentifier(column.name);
    placeholders += separator + WritePlaceholder(to, *match);
    if (IsBlob(column)) blobs.push_back(i);
  }
  // In a fixed order, so that the same catalog always gives the same target (and backup bytes).
  std::vector<Row> rows = source.Query("SELECT " + select + " FROM " + SqlIdentifier(table) + " ORDER BY " + order);
  // Many rows per statement (one round trip to PostgreSQL each), within both databases' limits
  // on parameters per statement.
  const size_t batch = std::max<size_t>(1, 8000 / source_columns.size());
  for (size_t first = 0; first < rows.size(); first += batch) {
    size_t last = std::min(rows.size(), first + batch);
    std::string insert = "INSERT INTO " + SqlIdentifier(table) + " (" + insert_columns + ") VALUES ";
    std::vector<Value> values;
    values.reserve((last - first) * source_columns.size());
    for (size_t r = first; r < last; ++r) {
      insert += (r == first ? "(" : ", (") + placeholders + ")";
      for (size_t i : blobs) rows[r].values[i] = BlobValue(from, to, rows[r].values[i]);
      for (Value& value : rows[r].values) values.push_back(std::move(value));
    }
    target.Execute(insert, values);
  }
  report.tables += 1;
  report.rows += static_cast<int64_t>(rows.size());
}

}  // namespace

bool HasCatalogRows(MetadataStore& store) {
  for (const std::string& table : CatalogTables(store))
    if (CountRows(store, table) > 0) return true;
  return false;
}

CatalogCopyReport CopyCatalog(MetadataStore& source, MetadataStore& target, bool replace) {
  ReadTransaction read(source);
  if (!IsCatalog(source)) throw NotFoundError(source.Describe() + " holds no DuckLake catalog");
  CheckSpecVersion(source);
  std::vector<std::string> tables = CatalogTables(source);

  Transaction write(target);
  std::vector<std::string> existing = CatalogTables(target);
  if (!existing.empty()) {
    if (!replace && HasCatalogRows(target))
      throw Error("catalog " + target.Describe() + " is not empty: add --force to replace it");
    for (const std::string& table : existing) target.Execute("DROP TABLE " + SqlIdentifier(table));
  }
  CreateCatalogTables(target);
  std::vector<std::string> created = CatalogTables(target);
  std::set<std::string> fixed(created.begin(), created.end());
  // The inlined data and delete tables (named per table and schema version) take their columns
  // from the source, in the target's types.
  for (const std::string& table : tables) {
    if (fixed.count(table)) continue;
    std::set<std::string> strings = StringColumns(source, table);
    std::string columns;
    for (const Column& column : ColumnsOf(source, table)) {
      // A PostgreSQL BYTEA of strings is VARCHAR text in SQLite (the bytes go as they are).
      bool string_bytes = IsBlob(column) && strings.count(column.name) && target.dialect() == Dialect::kSqlite;
      columns += (columns.empty() ? "" : ", ") + SqlIdentifier(column.name) + " " +
                 (string_bytes ? "VARCHAR" : TargetType(source.dialect(), target.dialect(), column.type));
    }
    target.Execute("CREATE TABLE " + SqlIdentifier(table) + "(" + columns + ")");
  }
  CatalogCopyReport report;
  for (const std::string& table : tables) CopyTable(source, target, table, report);
  write.Commit();
  return report;
}

}  // namespace dlctl::lake
