#include "transform/run/snapshot.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>

#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::transform {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::tolower);
  return text;
}

std::string Joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

int64_t Count(const QueryResult& result) {
  if (result.rows.empty() || result.rows[0].empty()) return 0;
  return std::stoll(result.rows[0][0].value_or("0"));
}

std::vector<std::string> ColumnNames(Engine& engine, const std::string& relation) {
  std::vector<std::string> names;
  for (const auto& row : engine.Query("DESCRIBE " + relation).rows) names.push_back(row.at(0).value_or(""));
  return names;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return Lower(n) == Lower(name); });
}

std::vector<std::string> Strings(const nlohmann::json& value, const char* key) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  else if (value.is_array())
    for (const auto& item : value) {
      if (!item.is_string()) throw Error(std::string(key) + " must be a string or a list of strings");
      out.push_back(item.get<std::string>());
    }
  else throw Error(std::string(key) + " must be a string or a list of strings");
  return out;
}

// The query's rows with the snapshot's columns, in a temporary table dropped when done.
class StagedSource {
 public:
  StagedSource(Engine& engine, const SnapshotWrite& s, const std::string& key_text) : engine_(engine) {
    static std::atomic<uint64_t> counter{0};
    name_ = "temp.main.__dlctl_snapshot_" + std::to_string(counter++);
    std::string updated = s.strategy == "timestamp" ? "(" + s.updated_at + ")" : "current_timestamp::timestamp";
    engine_.Query("CREATE TEMP TABLE " + name_.substr(10) + " AS SELECT *, " + updated + " AS __dbt_updated, md5(" +
                  key_text + " || '|' || coalesce(cast(" + updated + " as varchar), '')) AS __dbt_scd_id FROM (\n" +
                  s.sql + "\n) AS dbt_snapshot_source");
  }
  ~StagedSource() {
    try {
      engine_.Query("DROP TABLE IF EXISTS " + name_);
    } catch (...) {
    }
  }
  const std::string& name() const { return name_; }

 private:
  Engine& engine_;
  std::string name_;
};

int64_t Write(const SnapshotWrite& s, Engine& engine) {
  const std::string target = s.relation.Render();
  std::vector<std::string> key_casts, key_match;
  for (const std::string& key : s.unique_key) {
    key_casts.push_back("coalesce(cast(" + SqlIdentifier(key) + " as varchar), '')");
    key_match.push_back("src." + SqlIdentifier(key) + " = snap." + SqlIdentifier(key));
  }
  std::string key_text = Joined(key_casts, " || '|' || ");
  std::string matches = Joined(key_match, " AND ");
  std::string current_value = s.valid_to_current.value_or("NULL");
  std::string current = s.valid_to_current ? "snap." + SqlIdentifier(s.valid_to) + " = " + *s.valid_to_current
                                           : "snap." + SqlIdentifier(s.valid_to) + " IS NULL";
  bool deletes_as_rows = s.hard_deletes == "new_record";
  StagedSource source(engine, s, key_text);
  std::vector<std::string> columns = ColumnNames(engine, source.name());
  columns.erase(std::remove_if(columns.begin(), columns.end(),
                               [](const std::string& c) { return c == "__dbt_updated" || c == "__dbt_scd_id"; }),
                columns.end());
  for (const std::string& key : s.unique_key)
    if (!Contains(columns, key)) throw Error("snapshot " + s.relation.identifier + ": unique_key column '" + key + "' is not in its query");
  std::vector<std::string> quoted;
  for (const std::string& column : columns) quoted.push_back(SqlIdentifier(column));
  std::string meta_columns = SqlIdentifier(s.scd_id) + ", " + SqlIdentifier(s.updated) + ", " +
                             SqlIdentifier(s.valid_from) + ", " + SqlIdentifier(s.valid_to) +
                             (deletes_as_rows ? ", " + SqlIdentifier(s.is_deleted) : "");
  auto row_values = [&](const std::string& prefix, const std::string& scd, const std::string& updated,
                        const char* deleted) {
    std::string values;
    for (const auto& column : quoted) values += (values.empty() ? "" : ", ") + prefix + column;
    // NULLIF(x, x): a NULL of the timestamps' type, so the first run's table gets that type.
    std::string valid_to = s.valid_to_current ? *s.valid_to_current : "NULLIF(" + updated + ", " + updated + ")";
    values += ", " + scd + ", " + updated + ", " + updated + ", " + valid_to;
    if (deletes_as_rows) values += std::string(", '") + deleted + "'";
    return values;
  };

  auto relations = engine.Relations(s.relation.database, s.relation.schema);
  bool exists = std::any_of(relations.begin(), relations.end(),
                            [&](const auto& found) { return Lower(found.name) == Lower(s.relation.identifier); });
  if (!exists) {
    std::string select = "SELECT " + row_values("", "__dbt_scd_id", "__dbt_updated", "False") + " FROM " + source.name();
    engine.Query("CREATE TABLE " + target + " AS SELECT * FROM (" + select + ") AS first_run (" +
                 Joined(quoted, ", ") + ", " + meta_columns + ")");
    return Count(engine.Query("SELECT count(*) FROM " + target));
  }

  // Columns the query gained since the last run are added (as dbt does); dropped ones stay.
  std::vector<std::string> existing = ColumnNames(engine, target);
  for (const auto& row : engine.Query("DESCRIBE " + source.name()).rows) {
    std::string column = row.at(0).value_or("");
    if (column == "__dbt_updated" || column == "__dbt_scd_id" || Contains(existing, column)) continue;
    engine.Query("ALTER TABLE " + target + " ADD COLUMN " + SqlIdentifier(column) + " " +
                 row.at(1).value_or("VARCHAR"));
  }

  std::string changed;
  if (s.strategy == "timestamp") {
    changed = "snap." + SqlIdentifier(s.valid_from) + " < src.__dbt_updated";
  } else {
    std::vector<std::string> checks;
    std::vector<std::string> check_cols = s.check_cols.empty() ? columns : s.check_cols;
    for (const std::string& column : check_cols) {
      if (Contains(s.unique_key, column)) continue;
      std::string a = "src." + SqlIdentifier(column), b = "snap." + SqlIdentifier(column);
      checks.push_back(a + " IS DISTINCT FROM " + b);
    }
    changed = checks.empty() ? "FALSE" : "(" + Joined(checks, " OR ") + ")";
  }
  if (deletes_as_rows) changed = "(" + changed + " OR snap." + SqlIdentifier(s.is_deleted) + " = 'True')";
  int64_t written = 0;
  // Close the current version of each changed row.
  written += Count(engine.Query("UPDATE " + target + " AS snap SET " + SqlIdentifier(s.valid_to) +
                                " = src.__dbt_updated FROM " + source.name() + " AS src WHERE " + matches + " AND " +
                                current + " AND " + changed));
  if (s.hard_deletes == "invalidate" || deletes_as_rows) {
    std::string gone = current + " AND NOT EXISTS (SELECT 1 FROM " + source.name() + " AS src WHERE " + matches + ")" +
                       (deletes_as_rows ? " AND snap." + SqlIdentifier(s.is_deleted) + " <> 'True'" : "");
    if (deletes_as_rows) {
      // First a version saying the row is gone, valid from now (it is not "gone" itself).
      std::string values;
      for (const auto& column : quoted) values += (values.empty() ? "" : ", ") + ("snap." + column);
      values += ", md5(" + Joined(key_casts, " || '|' || ") + " || '|deleted|' || cast(current_timestamp as varchar))";
      values += ", current_timestamp::timestamp, current_timestamp::timestamp, " + current_value + ", 'True'";
      written += Count(engine.Query("INSERT INTO " + target + " (" + Joined(quoted, ", ") + ", " + meta_columns +
                                    ") SELECT " + values + " FROM " + target + " AS snap WHERE " + gone));
    }
    written += Count(engine.Query("UPDATE " + target + " AS snap SET " + SqlIdentifier(s.valid_to) +
                                  " = current_timestamp::timestamp WHERE " + gone));
  }
  // Insert the new version of changed rows and the rows of new keys: every key with no current version.
  written += Count(engine.Query("INSERT INTO " + target + " (" + Joined(quoted, ", ") + ", " + meta_columns + ") SELECT " +
                                row_values("src.", "src.__dbt_scd_id", "src.__dbt_updated", "False") + " FROM " +
                                source.name() + " AS src WHERE NOT EXISTS (SELECT 1 FROM " + target + " AS snap WHERE " +
                                matches + " AND " + current + ")"));
  return written;
}

}  // namespace

SnapshotWrite SnapshotSettings(const Relation& relation, std::string sql, const nlohmann::json& values) {
  SnapshotWrite s;
  s.relation = relation;
  s.sql = std::move(sql);
  auto text = [&](const char* key) -> std::optional<std::string> {
    if (!values.contains(key) || values[key].is_null()) return std::nullopt;
    if (!values[key].is_string()) throw Error(std::string(key) + " must be a string (got " + values[key].dump() + ")");
    return values[key].get<std::string>();
  };
  std::string name = "snapshot " + relation.identifier;
  s.strategy = text("strategy").value_or("");
  if (s.strategy != "timestamp" && s.strategy != "check")
    throw Error(name + ": strategy must be timestamp or check (got '" + s.strategy + "')");
  if (!values.contains("unique_key") || values["unique_key"].is_null()) throw Error(name + ": unique_key is required");
  s.unique_key = Strings(values["unique_key"], "unique_key");
  if (s.strategy == "timestamp") {
    std::optional<std::string> updated = text("updated_at");
    if (!updated) throw Error(name + ": the timestamp strategy needs updated_at");
    s.updated_at = *updated;
  } else {
    if (!values.contains("check_cols")) throw Error(name + ": the check strategy needs check_cols ('all' or a list)");
    if (!(values["check_cols"].is_string() && values["check_cols"].get<std::string>() == "all"))
      s.check_cols = Strings(values["check_cols"], "check_cols");
  }
  if (std::optional<std::string> hard = text("hard_deletes")) {
    if (*hard != "ignore" && *hard != "invalidate" && *hard != "new_record")
      throw Error(name + ": hard_deletes must be ignore, invalidate or new_record (got '" + *hard + "')");
    s.hard_deletes = *hard;
  } else if (values.contains("invalidate_hard_deletes") && values["invalidate_hard_deletes"] == true) {
    s.hard_deletes = "invalidate";
  }
  s.valid_to_current = text("dbt_valid_to_current");
  if (values.contains("snapshot_meta_column_names") && values["snapshot_meta_column_names"].is_object()) {
    const auto& names = values["snapshot_meta_column_names"];
    auto rename = [&](const char* key, std::string& field) {
      if (names.contains(key) && names[key].is_string()) field = names[key].get<std::string>();
    };
    rename("dbt_scd_id", s.scd_id);
    rename("dbt_updated_at", s.updated);
    rename("dbt_valid_from", s.valid_from);
    rename("dbt_valid_to", s.valid_to);
    rename("dbt_is_deleted", s.is_deleted);
  }
  return s;
}

int64_t WriteSnapshot(const SnapshotWrite& snapshot, Engine& engine) {
  engine.Query("BEGIN");
  try {
    engine.Query("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifier(snapshot.relation.database) + "." +
                 SqlIdentifier(snapshot.relation.schema));
    int64_t rows = Write(snapshot, engine);
    engine.Query("COMMIT");
    return rows;
  } catch (...) {
    try {
      engine.Query("ROLLBACK");
    } catch (const std::exception&) {
    }
    throw;
  }
}

}  // namespace dlctl::transform
