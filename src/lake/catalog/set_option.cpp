#include "lake/catalog/set_option.h"

#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/catalog/named_parameter.h"
#include "lake/metadata/inlined_tables.h"
#include "lake/write/inlining_limit.h"
#include "lake/write/target_file_size.h"

namespace dlctl::lake {

namespace {

struct CatalogName : duckdb::TableFunctionInfo {
  explicit CatalogName(std::string name) : name(std::move(name)) {}
  std::string name;
};

struct SetOptionData : duckdb::TableFunctionData {
  std::string catalog;
  OptionChange option;
  std::optional<std::string> schema, table;
};

struct SetOptionState : duckdb::GlobalTableFunctionState {
  bool done = false;
};

duckdb::unique_ptr<duckdb::FunctionData> Bind(duckdb::ClientContext&, duckdb::TableFunctionBindInput& input,
                                              duckdb::vector<duckdb::LogicalType>& types,
                                              duckdb::vector<std::string>& names) {
  auto data = duckdb::make_uniq<SetOptionData>();
  data->catalog = input.info->Cast<CatalogName>().name;
  std::string key = duckdb::StringUtil::Lower(input.inputs[0].ToString());
  const duckdb::Value& value = input.inputs[1];
  if (value.IsNull()) throw duckdb::BinderException("option %s cannot be set to NULL", key);
  if (key == kInliningRowLimitKey) {
    data->option.value = std::to_string(value.DefaultCastAs(duckdb::LogicalType::UBIGINT).GetValue<uint64_t>());
  } else if (key == "target_file_size") {
    data->option.value = std::to_string(ParseByteSize(value.ToString()));
  } else {
    throw duckdb::NotImplementedException(
        "option %s is not supported by dlctl's DuckLake catalogs (these are: data_inlining_row_limit, "
        "target_file_size)",
        key);
  }
  data->option.key = key;
  data->schema = NamedParameter(input, "schema");
  data->table = NamedParameter(input, "table_name");
  types.push_back(duckdb::LogicalType::BOOLEAN);
  names.push_back("Success");
  return data;
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> Init(duckdb::ClientContext&, duckdb::TableFunctionInitInput&) {
  return duckdb::make_uniq<SetOptionState>();
}

// The option's scope, as the catalog the transaction sees names it.
void Scope(LakeTransaction& writer, SetOptionData& data) {
  const CatalogState& state = writer.state();
  if (data.table) {
    std::string schema = data.schema.value_or("main");
    const TableInfo* table = state.FindTable(schema, *data.table);
    if (!table) throw duckdb::CatalogException("Table with name %s.%s does not exist!", schema, *data.table);
    if (IsProvisionalId(table->id))
      throw duckdb::NotImplementedException("options cannot be set for a table created in this transaction");
    if (data.option.key == kInliningRowLimitKey && data.option.value != "0" &&
        !CanInline(writer.store().dialect(), table->columns))
      throw duckdb::BinderException(
          "cannot enable data inlining for table \"%s\": a column name is reserved for inlining (row_id, "
          "begin_snapshot, end_snapshot) or a column's type cannot be inlined",
          table->name);
    data.option.scope = "table";
    data.option.scope_id = table->id;
  } else if (data.schema) {
    const SchemaInfo* schema = state.FindSchema(*data.schema);
    if (!schema) throw duckdb::CatalogException("Schema with name %s does not exist!", *data.schema);
    if (IsProvisionalId(schema->id))
      throw duckdb::NotImplementedException("options cannot be set for a schema created in this transaction");
    data.option.scope = "schema";
    data.option.scope_id = schema->id;
  }
}

}  // namespace

duckdb::unique_ptr<duckdb::TableFunctionCatalogEntry> SetOptionEntry(duckdb::Catalog& catalog,
                                                                     duckdb::SchemaCatalogEntry& schema) {
  duckdb::TableFunction function(
      kSetOption, {duckdb::LogicalType::VARCHAR, duckdb::LogicalType::ANY},
      [](duckdb::ClientContext& context, duckdb::TableFunctionInput& input, duckdb::DataChunk& output) {
        auto& state = input.global_state->Cast<SetOptionState>();
        if (state.done) return;
        state.done = true;
        SetOptionData data = input.bind_data->Cast<SetOptionData>();
        auto& catalog = duckdb::Catalog::GetCatalog(context, data.catalog);
        LakeTransaction& writer = EngineTransaction::Get(context, catalog).Writer();
        Scope(writer, data);
        writer.SetOption(data.option);
        output.SetCardinality(1);
        output.SetValue(0, 0, duckdb::Value::BOOLEAN(true));
      },
      Bind, Init);
  function.named_parameters["table_name"] = duckdb::LogicalType::VARCHAR;
  function.named_parameters["schema"] = duckdb::LogicalType::VARCHAR;
  function.function_info = duckdb::make_shared_ptr<CatalogName>(catalog.GetName());
  duckdb::CreateTableFunctionInfo info(function);
  info.schema = schema.name;
  info.catalog = catalog.GetName();
  return duckdb::make_uniq<duckdb::TableFunctionCatalogEntry>(catalog, schema, info);
}

}  // namespace dlctl::lake
