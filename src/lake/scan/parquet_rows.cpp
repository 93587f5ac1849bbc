#include "lake/scan/parquet_rows.h"

#include "duckdb/catalog/catalog_entry/table_function_catalog_entry.hpp"
#include "duckdb/parallel/thread_context.hpp"
#include "duckdb/parser/tableref/table_function_ref.hpp"

namespace dlctl::lake {

const duckdb::TableFunction& BuiltInTableFunction(duckdb::ClientContext& context, const std::string& name) {
  auto& entry = duckdb::Catalog::GetSystemCatalog(context)
                    .GetEntry(context, duckdb::CatalogType::TABLE_FUNCTION_ENTRY, DEFAULT_SCHEMA, name)
                    .Cast<duckdb::TableFunctionCatalogEntry>();
  for (auto& function : entry.functions.functions)
    if (function.arguments.size() == 1 && function.arguments[0].id() == duckdb::LogicalTypeId::VARCHAR)
      return function;
  return entry.functions.functions[0];
}

void ScanFileFunction(duckdb::ClientContext& context, const std::string& name, const std::string& path,
                      const std::function<void(duckdb::DataChunk&)>& chunk, duckdb::vector<std::string>* names_out) {
  duckdb::TableFunction scan = BuiltInTableFunction(context, name);
  duckdb::vector<duckdb::Value> inputs{duckdb::Value(path)};
  duckdb::named_parameter_map_t named;
  duckdb::vector<duckdb::LogicalType> input_types;
  duckdb::vector<std::string> input_names;
  duckdb::TableFunctionRef ref;
  duckdb::TableFunctionBindInput bind_input(inputs, named, input_types, input_names, nullptr, nullptr, scan, ref);
  duckdb::vector<duckdb::LogicalType> types;
  duckdb::vector<std::string> names;
  auto bind_data = scan.bind(context, bind_input, types, names);
  if (names_out) *names_out = names;

  duckdb::vector<duckdb::column_t> column_ids;
  for (duckdb::idx_t i = 0; i < types.size(); ++i) column_ids.push_back(i);
  duckdb::TableFunctionInitInput init(bind_data.get(), column_ids, duckdb::vector<duckdb::idx_t>(), nullptr);
  auto global = scan.init_global ? scan.init_global(context, init) : nullptr;
  duckdb::ThreadContext thread(context);
  duckdb::ExecutionContext execution(context, thread, nullptr);
  auto local = scan.init_local ? scan.init_local(execution, init, global.get()) : nullptr;

  duckdb::DataChunk rows;
  rows.Initialize(context, types);
  while (true) {
    rows.Reset();
    duckdb::TableFunctionInput input(bind_data.get(), local.get(), global.get());
    scan.function(context, input, rows);
    if (rows.size() == 0) break;
    chunk(rows);
  }
}

}  // namespace dlctl::lake
