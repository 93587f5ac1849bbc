#include "transform/run/materialization.h"

#include <atomic>

#include "lake/catalog_schema.h"
#include "lake/lakehouse.h"
#include "lake/open_metadata_store.h"
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

const CatalogSettings& CatalogOf(const Settings& settings, const std::string& name) {
  const CatalogSettings* catalog = settings.FindCatalog(name);
  if (!catalog) throw Error("'" + name + "' is not a configured lake catalog");
  return *catalog;
}

std::unique_ptr<lake::MetadataStore> OpenCatalog(const Settings& settings, const CatalogSettings& catalog) {
  auto store = lake::OpenMetadataStore(settings, catalog, true);
  if (!lake::IsCatalog(*store)) lake::CreateCatalog(*store, lake::CatalogDataPath(settings, catalog));
  return store;
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

int64_t Incremental(lake::LakeTransaction& transaction, const ModelWrite& write, Engine& engine) {
  const std::string& schema = write.relation.schema;
  const std::string& table = write.relation.identifier;
  ScratchTable incoming(engine, write.sql);
  std::vector<std::string> columns = engine.Query("SELECT * FROM temp.main." + incoming.name() + " LIMIT 0").columns;
  bool delete_insert = !write.unique_key.empty() && write.incremental_strategy != "append";
  if (delete_insert) {
    std::string matches;
    for (const std::string& key : write.unique_key)
      matches += (matches.empty() ? "" : " AND ") + ("dbt_incoming." + Identifier(key) + " = dbt_target." + Identifier(key));
    transaction.Delete(schema, table,
                       "EXISTS (SELECT 1 FROM temp.main." + incoming.name() + " AS dbt_incoming WHERE " + matches + ")",
                       "dbt_target");
  }
  return transaction.Insert(schema, table, "SELECT * FROM temp.main." + incoming.name(), columns);
}

}  // namespace

int64_t Materialize(const ModelWrite& write, const Settings& settings, Engine& engine,
                    const lake::WriteOptions& options) {
  const CatalogSettings& catalog = CatalogOf(settings, write.relation.database);
  auto store = OpenCatalog(settings, catalog);
  lake::LakeTransaction transaction(*store, engine, lake::CatalogDataPath(settings, catalog), options);
  const std::string& schema = write.relation.schema;
  const std::string& name = write.relation.identifier;
  transaction.CreateSchema(schema, true);
  bool table_exists = transaction.state().FindTable(schema, name) != nullptr;
  bool view_exists = transaction.state().FindView(schema, name) != nullptr;
  int64_t rows = -1;
  if (write.materialized == "view") {
    if (table_exists) transaction.DropTable(schema, name);
    transaction.CreateView(schema, name, write.sql, true);
  } else if (write.materialized == "table" || write.materialized == "seed" ||
             (write.materialized == "incremental" && (!table_exists || write.full_refresh))) {
    if (view_exists) transaction.DropView(schema, name);
    rows = transaction.CreateTableAs(schema, name, write.sql, true);
  } else if (write.materialized == "incremental") {
    if (!write.incremental_strategy.empty() && write.incremental_strategy != "append" &&
        write.incremental_strategy != "delete+insert")
      throw Error("incremental_strategy '" + write.incremental_strategy +
                  "' is not supported (append or delete+insert)");
    rows = Incremental(transaction, write, engine);
  } else {
    throw Error("materialization '" + write.materialized +
                "' is not supported (view, table, incremental, ephemeral)");
  }
  transaction.SetCommitMessage("dlctl transform", "materialize " + write.materialized + " " + schema + "." + name);
  transaction.Commit();
  return rows;
}

void PrepareSchemas(const std::map<std::string, std::set<std::string>>& schemas_by_catalog, const Settings& settings,
                    Engine& engine, const lake::WriteOptions& options) {
  for (const auto& [name, schemas] : schemas_by_catalog) {
    const CatalogSettings& catalog = CatalogOf(settings, name);
    auto store = OpenCatalog(settings, catalog);
    lake::LakeTransaction transaction(*store, engine, lake::CatalogDataPath(settings, catalog), options);
    bool any = false;
    for (const std::string& schema : schemas) {
      if (transaction.state().FindSchema(schema)) continue;
      transaction.CreateSchema(schema);
      any = true;
    }
    if (any) transaction.Commit();
  }
}

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
