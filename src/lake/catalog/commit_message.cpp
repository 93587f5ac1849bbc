#include "lake/catalog/commit_message.h"

#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "lake/catalog/engine_transaction.h"

namespace dlctl::lake {

namespace {

struct CatalogName : duckdb::TableFunctionInfo {
  explicit CatalogName(std::string name) : name(std::move(name)) {}
  std::string name;
};

struct CommitMessageData : duckdb::TableFunctionData {
  std::string catalog;
  std::optional<std::string> author, message, extra_info;
};

struct CommitMessageState : duckdb::GlobalTableFunctionState {
  bool done = false;
};

std::optional<std::string> Text(const duckdb::Value& value) {
  if (value.IsNull()) return std::nullopt;
  return value.ToString();
}

duckdb::unique_ptr<duckdb::FunctionData> Bind(duckdb::ClientContext&, duckdb::TableFunctionBindInput& input,
                                              duckdb::vector<duckdb::LogicalType>& types,
                                              duckdb::vector<std::string>& names) {
  auto data = duckdb::make_uniq<CommitMessageData>();
  data->catalog = input.info->Cast<CatalogName>().name;
  data->author = Text(input.inputs[0]);
  data->message = Text(input.inputs[1]);
  auto extra = input.named_parameters.find("extra_info");
  if (extra != input.named_parameters.end()) data->extra_info = Text(extra->second);
  types.push_back(duckdb::LogicalType::BOOLEAN);
  names.push_back("Success");
  return data;
}

duckdb::unique_ptr<duckdb::GlobalTableFunctionState> Init(duckdb::ClientContext&, duckdb::TableFunctionInitInput&) {
  return duckdb::make_uniq<CommitMessageState>();
}

}  // namespace

duckdb::unique_ptr<duckdb::TableFunctionCatalogEntry> SetCommitMessageEntry(duckdb::Catalog& catalog,
                                                                            duckdb::SchemaCatalogEntry& schema) {
  duckdb::TableFunction function(
      kSetCommitMessage, {duckdb::LogicalType::VARCHAR, duckdb::LogicalType::VARCHAR},
      [](duckdb::ClientContext& context, duckdb::TableFunctionInput& input, duckdb::DataChunk& output) {
        auto& state = input.global_state->Cast<CommitMessageState>();
        if (state.done) return;
        state.done = true;
        auto& data = input.bind_data->Cast<CommitMessageData>();
        auto& catalog = duckdb::Catalog::GetCatalog(context, data.catalog);
        EngineTransaction::Get(context, catalog).Writer().SetCommitMessage(data.author, data.message, data.extra_info);
        output.SetCardinality(1);
        output.SetValue(0, 0, duckdb::Value::BOOLEAN(true));
      },
      Bind, Init);
  function.named_parameters["extra_info"] = duckdb::LogicalType::VARCHAR;
  function.function_info = duckdb::make_shared_ptr<CatalogName>(catalog.GetName());
  duckdb::CreateTableFunctionInfo info(function);
  info.schema = schema.name;
  info.catalog = catalog.GetName();
  return duckdb::make_uniq<duckdb::TableFunctionCatalogEntry>(catalog, schema, info);
}

}  // namespace dlctl::lake
