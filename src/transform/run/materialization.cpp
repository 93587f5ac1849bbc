#include "transform/run/materialization.h"

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

std::string Qualified(const Relation& relation) {
  return SqlIdentifier(relation.database) + "." + SqlIdentifier(relation.schema) + "." +
         SqlIdentifier(relation.identifier);
}

// What the relation's name holds now: "table", "view" or "" (nothing).
std::string KindOf(Engine& engine, const Relation& relation) {
  for (const Engine::CatalogRelation& found : engine.Relations(relation.database, relation.schema))
    if (Lower(found.name) == Lower(relation.identifier)) return found.is_view ? "view" : "table";
  return "";
}

// A temporary table of the engine, dropped when it goes away.
class ScratchTable {
 public:
  ScratchTable(Engine& engine, const std::string& sql) : engine_(engine) {
    static std::atomic<uint64_t> counter{0};
    name_ = "__dlctl_incremental_" + std::to_string(counter++);
    engine_.Query("CREATE TEMP TABLE " + name_ + " AS " + sql);
  }
  ~ScratchTable() {
    try {
      engine_.Query("DROP TABLE IF EXISTS temp.main." + name_);
    } catch (...) {
    }
  }
  const std::string& name() const { return name_; }

 private:
  Engine& engine_;
  std::string name_;
};

int64_t Count(const QueryResult& result) { return std::stoll(result.rows.at(0).at(0).value_or("0")); }

struct ColumnType {
  std::string name, type;
};

std::vector<ColumnType> ColumnsOf(Engine& engine, const std::string& relation_sql) {
  std::vector<ColumnType> columns;
  for (const auto& row : engine.Query("DESCRIBE " + relation_sql).rows)
    columns.push_back({row.at(0).value_or(""), row.at(1).value_or("")});
  return columns;
}

const ColumnType* Find(const std::vector<ColumnType>& columns, const std::string& name) {
  for (const ColumnType& column : columns)
    if (Lower(column.name) == Lower(name)) return &column;
  return nullptr;
}

// Brings the target's columns in line with the model's as on_schema_change says; returns the
// columns the new rows are written with.
std::vector<std::string> SyncSchema(Engine& engine, const ModelWrite& write, const std::string& target,
                                    const std::vector<ColumnType>& incoming) {
  std::vector<ColumnType> existing = ColumnsOf(engine, target);
  std::vector<ColumnType> added, removed, retyped;
  for (const ColumnType& column : incoming) {
    const ColumnType* now = Find(existing, column.name);
    if (!now) added.push_back(column);
    else if (now->type != column.type) retyped.push_back(column);
  }
  for (const ColumnType& column : existing)
    if (!Find(incoming, column.name)) removed.push_back(column);
  const std::string& mode = write.on_schema_change;
  bool changed = !added.empty() || !removed.empty() || !retyped.empty();
  if (mode == "fail" && changed) {
    std::string what;
    for (const auto& c : added) what += (what.empty() ? "" : ", ") + ("new " + c.name);
    for (const auto& c : removed) what += (what.empty() ? "" : ", ") + ("missing " + c.name);
    for (const auto& c : retyped) what += (what.empty() ? "" : ", ") + (c.name + " now " + c.type);
    throw Error("the model's columns differ from " + target + " (" + what + ") and on_schema_change is fail");
  }
  if (mode == "append_new_columns" || mode == "sync_all_columns")
    for (const ColumnType& column : added)
      engine.Query("ALTER TABLE " + target + " ADD COLUMN " + SqlIdentifier(column.name) + " " + column.type);
  if (mode == "sync_all_columns") {
    for (const ColumnType& column : removed)
      engine.Query("ALTER TABLE " + target + " DROP COLUMN " + SqlIdentifier(column.name));
    for (const ColumnType& column : retyped)
      engine.Query("ALTER TABLE " + target + " ALTER COLUMN " + SqlIdentifier(column.name) + " TYPE " + column.type);
  }
  std::vector<std::string> columns;
  for (const ColumnType& column : incoming)
    if (Find(existing, column.name) || mode == "append_new_columns" || mode == "sync_all_columns")
      columns.push_back(column.name);
  return columns;
}

std::string Joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

int64_t Incremental(const ModelWrite& write, Engine& engine) {
  const std::string target = Qualified(write.relation);
  const std::string& strategy = write.incremental_strategy;
  if (!strategy.empty() && strategy != "append" && strategy != "delete+insert" && strategy != "merge")
    throw Error("incremental_strategy '" + strategy + "' is not supported (append, delete+insert or merge)");
  ScratchTable incoming(engine, write.sql);
  std::string source = "temp.main." + incoming.name();
  std::vector<std::string> columns = SyncSchema(engine, write, target, ColumnsOf(engine, source));
  std::vector<std::string> quoted;
  for (const auto& column : columns) quoted.push_back(SqlIdentifier(column));
  std::string list = Joined(quoted, ", ");
  std::string predicates = write.incremental_predicates.empty()
                               ? ""
                               : " AND (" + Joined(write.incremental_predicates, ") AND (") + ")";
  std::vector<std::string> matches;
  for (const std::string& key : write.unique_key)
    matches.push_back("DBT_INTERNAL_SOURCE." + SqlIdentifier(key) + " = DBT_INTERNAL_DEST." + SqlIdentifier(key));
  if (strategy == "merge") {
    std::vector<std::string> updates;
    for (const std::string& column : columns) {
      bool listed = write.merge_update_columns.empty() ||
                    std::any_of(write.merge_update_columns.begin(), write.merge_update_columns.end(),
                                [&](const std::string& c) { return Lower(c) == Lower(column); });
      bool excluded = std::any_of(write.merge_exclude_columns.begin(), write.merge_exclude_columns.end(),
                                  [&](const std::string& c) { return Lower(c) == Lower(column); });
      if (listed && !excluded)
        updates.push_back(SqlIdentifier(column) + " = DBT_INTERNAL_SOURCE." + SqlIdentifier(column));
    }
    std::vector<std::string> values;
    for (const auto& column : quoted) values.push_back("DBT_INTERNAL_SOURCE." + column);
    std::string sql = "MERGE INTO " + target + " AS DBT_INTERNAL_DEST USING " + source + " AS DBT_INTERNAL_SOURCE ON (" +
                      (matches.empty() ? "FALSE" : Joined(matches, " AND ")) + predicates + ")";
    if (!matches.empty() && !updates.empty()) sql += " WHEN MATCHED THEN UPDATE SET " + Joined(updates, ", ");
    sql += " WHEN NOT MATCHED THEN INSERT (" + list + ") VALUES (" + Joined(values, ", ") + ")";
    return Count(engine.Query(sql));
  }
  if (!write.unique_key.empty() && strategy != "append")
    engine.Query("DELETE FROM " + target + " AS DBT_INTERNAL_DEST WHERE EXISTS (SELECT 1 FROM " + source +
                 " AS DBT_INTERNAL_SOURCE WHERE " + Joined(matches, " AND ") + ")" + predicates);
  return Count(engine.Query("INSERT INTO " + target + " (" + list + ") SELECT " + list + " FROM " + source));
}

int64_t Write(const ModelWrite& write, Engine& engine) {
  const std::string target = Qualified(write.relation);
  if (!engine.SchemaExists(write.relation.database, write.relation.schema))
    engine.Query("CREATE SCHEMA " + SqlIdentifier(write.relation.database) + "." + SqlIdentifier(write.relation.schema));
  std::string existing = KindOf(engine, write.relation);
  if (write.materialized == "view") {
    if (existing == "table") engine.Query("DROP TABLE " + target);
    engine.Query("CREATE OR REPLACE VIEW " + target + " AS " + write.sql);
    return -1;
  }
  if (write.materialized == "table" || write.materialized == "seed" ||
      (write.materialized == "incremental" && (existing != "table" || write.full_refresh))) {
    if (existing == "view") engine.Query("DROP VIEW " + target);
    return Count(engine.Query("CREATE OR REPLACE TABLE " + target + " AS " + write.sql));
  }
  if (write.materialized == "incremental") return Incremental(write, engine);
  throw Error("materialization '" + write.materialized + "' is not supported (view, table, incremental, ephemeral)");
}

}  // namespace

int64_t Materialize(const ModelWrite& write, Engine& engine) {
  const Relation& relation = write.relation;
  engine.Query("BEGIN");
  try {
    // The message before the write: a statement after it would find the catalog changed and
    // build its entries again only to find the function.
    engine.Query("CALL " + SqlIdentifier(relation.database) + ".set_commit_message('dlctl transform', " +
                 SqlLiteral("materialize " + write.materialized + " " + relation.schema + "." + relation.identifier) +
                 ")");
    int64_t rows = Write(write, engine);
    engine.Query("COMMIT");
    return rows;
  } catch (...) {
    try {
      engine.Query("ROLLBACK");
    } catch (const std::exception&) {
      // the failure reported is the first one
    }
    throw;
  }
}

void PrepareSchemas(const std::map<std::string, std::set<std::string>>& schemas_by_catalog, Engine& engine) {
  for (const auto& [catalog, schemas] : schemas_by_catalog) {
    std::string sql = "BEGIN; ";
    for (const std::string& schema : schemas)
      sql += "CREATE SCHEMA IF NOT EXISTS " + SqlIdentifier(catalog) + "." + SqlIdentifier(schema) + "; ";
    engine.Query(sql + "COMMIT");
  }
}

bool TableExists(Engine& engine, const Relation& relation) { return KindOf(engine, relation) == "table"; }

std::string SeedSql(const std::string& csv_path, const nlohmann::json& config_values) {
  std::string options = "header = true";
  if (config_values.contains("delimiter") && config_values["delimiter"].is_string())
    options += ", delim = " + SqlLiteral(config_values["delimiter"].get<std::string>());
  if (config_values.contains("column_types") && config_values["column_types"].is_object() &&
      !config_values["column_types"].empty()) {
    std::string types;
    for (const auto& [column, type] : config_values["column_types"].items())
      types += (types.empty() ? "" : ", ") + SqlLiteral(column) + ": " +
               SqlLiteral(type.is_string() ? type.get<std::string>() : type.dump());
    options += ", types = {" + types + "}";
  }
  return "select * from read_csv(" + SqlLiteral(csv_path) + ", " + options + ")";
}

void ApplyIncrementalConfig(ModelWrite& write, const nlohmann::json& values) {
  write.unique_key = UniqueKeyColumns(values);
  auto text = [&](const char* key, std::string fallback) {
    if (!values.contains(key) || values[key].is_null()) return fallback;
    if (!values[key].is_string()) throw Error(std::string(key) + " must be a string (got " + values[key].dump() + ")");
    return values[key].get<std::string>();
  };
  auto list = [&](const char* key) {
    std::vector<std::string> out;
    if (!values.contains(key) || values[key].is_null()) return out;
    const nlohmann::json& value = values[key];
    if (value.is_string()) return std::vector<std::string>{value.get<std::string>()};
    if (!value.is_array()) throw Error(std::string(key) + " must be a list of strings");
    for (const auto& item : value) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    return out;
  };
  write.incremental_strategy = text("incremental_strategy", "");
  write.on_schema_change = text("on_schema_change", "ignore");
  if (write.on_schema_change != "ignore" && write.on_schema_change != "fail" &&
      write.on_schema_change != "append_new_columns" && write.on_schema_change != "sync_all_columns")
    throw Error("on_schema_change must be ignore, fail, append_new_columns or sync_all_columns (got '" +
                write.on_schema_change + "')");
  write.incremental_predicates = list("incremental_predicates");
  write.merge_update_columns = list("merge_update_columns");
  write.merge_exclude_columns = list("merge_exclude_columns");
}

std::vector<std::string> UniqueKeyColumns(const nlohmann::json& config_values) {
  std::vector<std::string> columns;
  if (!config_values.contains("unique_key")) return columns;
  const nlohmann::json& key = config_values["unique_key"];
  if (key.is_string()) {
    // "a, b" is one key of two columns, as dbt-duckdb accepts it.
    std::string text = key.get<std::string>();
    size_t begin = 0;
    while (begin <= text.size()) {
      size_t end = text.find(',', begin);
      std::string part = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
      size_t first = part.find_first_not_of(" \t");
      if (first != std::string::npos) columns.push_back(part.substr(first, part.find_last_not_of(" \t") - first + 1));
      if (end == std::string::npos) break;
      begin = end + 1;
    }
  } else if (key.is_array()) {
    for (const auto& column : key)
      if (column.is_string()) columns.push_back(column.get<std::string>());
  }
  return columns;
}

}  // namespace dlctl::transform
