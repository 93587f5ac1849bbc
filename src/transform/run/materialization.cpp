#include "transform/run/materialization.h"

#include <atomic>

#include "util/error.h"

namespace dlctl::transform {
namespace {

std::string Literal(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

std::string Identifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string Qualified(const Relation& relation) {
  return Identifier(relation.database) + "." + Identifier(relation.schema) + "." + Identifier(relation.identifier);
}

// What the relation's name holds now: "table", "view" or "" (nothing).
std::string KindOf(Engine& engine, const Relation& relation) {
  auto rows = engine.Query(
      "SELECT table_type FROM information_schema.tables WHERE table_catalog = " + Literal(relation.database) +
      " AND table_schema = " + Literal(relation.schema) + " AND table_name = " + Literal(relation.identifier));
  if (rows.rows.empty()) return "";
  return rows.rows[0][0].value_or("") == "VIEW" ? "view" : "table";
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

int64_t Incremental(const ModelWrite& write, Engine& engine) {
  const std::string target = Qualified(write.relation);
  ScratchTable incoming(engine, write.sql);
  bool delete_insert = !write.unique_key.empty() && write.incremental_strategy != "append";
  if (delete_insert) {
    std::string matches;
    for (const std::string& key : write.unique_key)
      matches += (matches.empty() ? "" : " AND ") + ("dbt_incoming." + Identifier(key) + " = dbt_target." + Identifier(key));
    engine.Query("DELETE FROM " + target + " AS dbt_target WHERE EXISTS (SELECT 1 FROM temp.main." + incoming.name() +
                 " AS dbt_incoming WHERE " + matches + ")");
  }
  return Count(engine.Query("INSERT INTO " + target + " BY NAME SELECT * FROM temp.main." + incoming.name()));
}

int64_t Write(const ModelWrite& write, Engine& engine) {
  const std::string target = Qualified(write.relation);
  engine.Query("CREATE SCHEMA IF NOT EXISTS " + Identifier(write.relation.database) + "." +
               Identifier(write.relation.schema));
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
  if (write.materialized == "incremental") {
    if (!write.incremental_strategy.empty() && write.incremental_strategy != "append" &&
        write.incremental_strategy != "delete+insert")
      throw Error("incremental_strategy '" + write.incremental_strategy +
                  "' is not supported (append or delete+insert)");
    return Incremental(write, engine);
  }
  throw Error("materialization '" + write.materialized + "' is not supported (view, table, incremental, ephemeral)");
}

}  // namespace

int64_t Materialize(const ModelWrite& write, Engine& engine) {
  const Relation& relation = write.relation;
  engine.Query("BEGIN");
  try {
    int64_t rows = Write(write, engine);
    engine.Query("CALL " + Identifier(relation.database) + ".set_commit_message('dlctl transform', " +
                 Literal("materialize " + write.materialized + " " + relation.schema + "." + relation.identifier) + ")");
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
      sql += "CREATE SCHEMA IF NOT EXISTS " + Identifier(catalog) + "." + Identifier(schema) + "; ";
    engine.Query(sql + "COMMIT");
  }
}

bool TableExists(Engine& engine, const Relation& relation) { return KindOf(engine, relation) == "table"; }

std::string SeedSql(const std::string& csv_path, const nlohmann::json& config_values) {
  std::string options = "header = true";
  if (config_values.contains("delimiter") && config_values["delimiter"].is_string())
    options += ", delim = " + Literal(config_values["delimiter"].get<std::string>());
  if (config_values.contains("column_types") && config_values["column_types"].is_object() &&
      !config_values["column_types"].empty()) {
    std::string types;
    for (const auto& [column, type] : config_values["column_types"].items())
      types += (types.empty() ? "" : ", ") + Literal(column) + ": " + Literal(type.is_string() ? type.get<std::string>() : type.dump());
    options += ", types = {" + types + "}";
  }
  return "select * from read_csv(" + Literal(csv_path) + ", " + options + ")";
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
