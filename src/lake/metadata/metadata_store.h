#pragma once
// The seam for a DuckLake catalog's metadata database: a SQLite file or a PostgreSQL schema.
// Callers write portable SQL with '?' placeholders; an implementation adapts it to its dialect.
// Values read back look the same on both: booleans as 0/1 integers, timestamps as the text
// "2026-11-25 14:17:15.906392+00", uuids as lower-case text.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dlctl::lake {

using Value = std::variant<std::monostate, int64_t, double, std::string>;  // monostate = NULL

// The few places whose SQL differs between stores (catalog DDL, table lookup) ask this.
enum class Dialect { kSqlite, kPostgres };

struct Row {
  std::vector<Value> values;

  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  int64_t Int(size_t i) const;                     // integer, or text holding one; throws on NULL
  std::optional<int64_t> OptionalInt(size_t i) const;
  std::string Text(size_t i) const;                // any non-NULL value as text; throws on NULL
  std::optional<std::string> OptionalText(size_t i) const;
  bool Bool(size_t i) const;                       // 0/1 integers or 'true'/'false' text
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  virtual std::vector<Row> Query(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  virtual void Execute(const std::string& sql, const std::vector<Value>& params = {}) = 0;
  // Runs a script of several statements without parameters (DDL).
  virtual void ExecuteScript(const std::string& sql) = 0;

  // One write transaction at a time: BEGIN takes the write lock up front so a concurrent
  // writer waits instead of failing half-way (SQLite: BEGIN IMMEDIATE with a busy timeout;
  // PostgreSQL: an advisory transaction lock per catalog schema).
  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;

  virtual bool TableExists(const std::string& name) = 0;
  // Whether the database it opened was replaced since: a SQLite file renamed over its path, as
  // `dlctl backup restore` does, is another catalog.
  virtual bool Replaced() { return false; }
  // Whether the store may serve another write transaction: not Replaced, no transaction open.
  virtual bool Reusable() { return false; }
  virtual Dialect dialect() const = 0;
  // For messages: the database file or connection name.
  virtual std::string Describe() const = 0;

  // Set by CheckSpecVersion once the connection's catalog had the version dlctl reads and
  // writes: every CatalogReader checks it, and a query per read added up.
  bool spec_version_checked() const { return spec_version_checked_; }
  void set_spec_version_checked() { spec_version_checked_ = true; }

 private:
  bool spec_version_checked_ = false;
};

// Rolls back unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(MetadataStore& store) : store_(store) { store_.Begin(); }
  ~Transaction() {
    if (!done_) {
      try {
        store_.Rollback();
      } catch (...) {
        // Rolling back during unwinding must not throw; both databases undo an open transaction
        // when the connection closes anyway.
      }
    }
  }
  void Commit() {
    store_.Commit();
    done_ = true;
  }

 private:
  MetadataStore& store_;
  bool done_ = false;
};

}  // namespace dlctl::lake
