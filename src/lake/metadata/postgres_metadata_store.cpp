#include "lake/metadata/postgres_metadata_store.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <memory>

#include "lake/metadata/catalog_time.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

// Type OIDs of the columns whose text form we convert (PostgreSQL's catalog/pg_type.h).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700, kFloat8Oid = 701,
              kNumericOid = 1700, kTimestampTzOid = 1184;

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// libpq's messages end in a newline and may span lines: one line for ours.
std::string OneLine(const char* message) {
  std::string text = message ? message : "";
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!line.empty() && line.back() != ' ') line += "; ";
    } else {
      line += c;
    }
  }
  while (!line.empty() && (line.back() == ' ' || line.back() == ';')) line.pop_back();
  return line;
}

std::string ParamText(const Value& value) {
  if (auto p = std::get_if<int64_t>(&value)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&value)) return fmt::format("{}", *p);
  return std::get<std::string>(value);
}

// The server's text for one field as the Value the SQLite store would return for it.
Value FieldValue(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  std::string text(PQgetvalue(result, row, column), static_cast<size_t>(PQgetlength(result, row, column)));
  switch (PQftype(result, column)) {
    case kBoolOid:
      return int64_t{text == "t" ? 1 : 0};
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid:
      return static_cast<int64_t>(std::stoll(text));
    case kFloat4Oid:
    case kFloat8Oid:
      return std::stod(text);
    case kByteaOid: {  // inlined BLOB values: the raw bytes, as the SQLite store returns them
      size_t length = 0;
      std::unique_ptr<unsigned char, decltype(&PQfreemem)> bytes(
          PQunescapeBytea(reinterpret_cast<const unsigned char*>(text.c_str()), &length), &PQfreemem);
      if (!bytes) throw Error("postgresql: could not decode a bytea value");
      return std::string(reinterpret_cast<const char*>(bytes.get()), length);
    }
    case kNumericOid:  // SUM() of BIGINT columns
      if (text.find_first_of(".eEN") == std::string::npos) return static_cast<int64_t>(std::stoll(text));
      return std::stod(text);
    case kTimestampTzOid: {
      // The server drops trailing zeros of the fraction; the lake code compares timestamps as
      // the text dlctl writes to SQLite (six digits, +00), so both stores read back alike.
      auto micros = ParseUtcMicros(text);
      if (!micros) return text;  // infinity
      return CatalogTimestamp(TimePoint(std::chrono::microseconds(*micros)));
    }
    default:
      return text;
  }
}

}  // namespace

int64_t CatalogLockKey(const std::string& schema) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : "ducklake:" + schema) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return static_cast<int64_t>(hash);
}

std::string NumberPlaceholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted name, doubled quotes inside
      size_t end = i + 1;
      while (end < sql.size() && (sql[end] != c || (end + 1 < sql.size() && sql[end + 1] == c)))
        end += sql[end] == c ? 2 : 1;
      out.append(sql, i, end + 1 - i);
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string::npos) end = sql.size() - 1;
      out.append(sql, i, end + 1 - i);
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string::npos ? sql.size() - 1 : end + 1;
      out.append(sql, i, end + 1 - i);
      i = end;
    } else if (c == '?') {
      out += '$' + std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// PQconnectdb, with the server's notices silenced from the start: they would go to stderr ("schema
// already exists, skipping"; a server shutting down warns while a connection is being made).
PGconn* ConnectQuietly(const std::string& connection_string) {
  PGconn* conn = PQconnectStart(connection_string.c_str());
  if (!conn || PQstatus(conn) == CONNECTION_BAD) return conn;
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  for (PostgresPollingStatusType state = PGRES_POLLING_WRITING;;) {
    if (state == PGRES_POLLING_OK || state == PGRES_POLLING_FAILED) break;
    pollfd ready{PQsocket(conn), static_cast<short>(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
    if (::poll(&ready, 1, -1) < 0 && errno != EINTR) break;
    state = PQconnectPoll(conn);
  }
  return conn;
}

}  // namespace

PostgresMetadataStore::PostgresMetadataStore(const std::string& connection_string, const std::string& schema,
                                             bool create)
    : schema_(schema) {
  conn_ = ConnectQuietly(connection_string);
  std::string server = fmt::format("{}:{}/{}", conn_ ? PQhost(conn_) : "", conn_ ? PQport(conn_) : "",
                                   conn_ ? PQdb(conn_) : "");
  description_ = "postgresql " + schema + " on " + server;
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ ? OneLine(PQerrorMessage(conn_)) : "out of memory";
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error("cannot connect to the PostgreSQL catalog server " + server + ": " + message);
  }
  try {
    bool exists = !Query("SELECT 1 FROM pg_namespace WHERE nspname = ?", {schema}).empty();
    if (!exists && create) {
      try {
        ExecuteScript("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifier(schema));
      } catch (const Error&) {
        // Another process created it at the same moment; anything else fails below.
        if (Query("SELECT 1 FROM pg_namespace WHERE nspname = ?", {schema}).empty()) throw;
      }
    } else if (!exists) {
      throw NotFoundError("catalog schema " + schema + " does not exist on " + server);
    }
    ExecuteScript("SET search_path TO " + SqlIdentifier(schema) + "; SET TIME ZONE 'UTC'");
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

PostgresMetadataStore::~PostgresMetadataStore() { PQfinish(conn_); }

std::vector<Row> PostgresMetadataStore::Run(const std::string& sql, const std::vector<Value>& params) {
  std::vector<std::string> texts;
  std::vector<const char*> values;
  texts.reserve(params.size());
  for (const Value& param : params) {
    if (std::holds_alternative<std::monostate>(param)) {
      values.push_back(nullptr);
    } else {
      texts.push_back(ParamText(param));
      values.push_back(texts.back().c_str());
    }
  }
  // Parameters go as text without a type: the server takes the column's type from the context,
  // so one statement fills BIGINT, BOOLEAN ('1'/'0'), UUID and TIMESTAMPTZ columns alike.
  std::string numbered = NumberPlaceholders(sql);
  Result result(PQexecParams(conn_, numbered.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                             nullptr, nullptr, 0),
                &PQclear);
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const char* primary = result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    std::string message = "catalog " + description_ + ": " + OneLine(primary ? primary : PQerrorMessage(conn_));
    // Class 42 (syntax, unknown column, type mismatch) is a bug in our SQL: show it.
    if (state && std::string(state).rfind("42", 0) == 0) message += " in: " + OneLine(sql.substr(0, 200).c_str());
    throw Error(message);
  }
  std::vector<Row> rows;
  int count = PQntuples(result.get()), columns = PQnfields(result.get());
  rows.reserve(static_cast<size_t>(count));
  for (int r = 0; r < count; ++r) {
    Row row;
    row.values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) row.values.push_back(FieldValue(result.get(), r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> PostgresMetadataStore::Query(const std::string& sql, const std::vector<Value>& params) {
  return Run(sql, params);
}

void PostgresMetadataStore::Execute(const std::string& sql, const std::vector<Value>& params) { Run(sql, params); }

void PostgresMetadataStore::ExecuteScript(const std::string& sql) {
  Result result(PQexec(conn_, sql.c_str()), &PQclear);
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* primary = result ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    throw Error("catalog " + description_ + ": " + OneLine(primary ? primary : PQerrorMessage(conn_)));
  }
}

void PostgresMetadataStore::Begin() {
  ExecuteScript("BEGIN ISOLATION LEVEL READ COMMITTED");
  Execute("SELECT pg_advisory_xact_lock(?)", {CatalogLockKey(schema_)});
}

void PostgresMetadataStore::Commit() {
  Result result(PQexec(conn_, "COMMIT"), &PQclear);
  // COMMIT of a transaction that failed earlier "succeeds" as ROLLBACK.
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK || std::string(PQcmdStatus(result.get())) != "COMMIT")
    throw Error("catalog " + description_ + ": the transaction was rolled back, nothing was committed" +
                (result && PQresultStatus(result.get()) != PGRES_COMMAND_OK ? " (" + OneLine(PQerrorMessage(conn_)) + ")"
                                                                            : std::string()));
}

void PostgresMetadataStore::Rollback() { ExecuteScript("ROLLBACK"); }

bool PostgresMetadataStore::TableExists(const std::string& name) {
  return !Query("SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?", {schema_, name}).empty();
}

}  // namespace dlctl::lake
