#include "engine/table_source_function.h"

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/parser/tableref/subqueryref.hpp"
#include "util/error.h"

namespace dlctl {

namespace {

struct SourcesInfo : public duckdb::TableFunctionInfo {
  explicit SourcesInfo(std::shared_ptr<TableSources> sources) : sources(std::move(sources)) {}
  std::shared_ptr<TableSources> sources;
};

duckdb::unique_ptr<duckdb::TableRef> BindSource(duckdb::ClientContext&, duckdb::TableFunctionBindInput& input) {
  auto& info = input.info->Cast<SourcesInfo>();
  std::string sql = info.sources->SelectSql(duckdb::StringValue::Get(input.inputs[0]));
  return duckdb::make_uniq<duckdb::SubqueryRef>(duckdb::CreateViewInfo::ParseSelect(sql));
}

}  // namespace

void TableSources::Register(const std::string& key, std::function<std::string()> select_sql) {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_[key] = std::move(select_sql);
}

std::string TableSources::SelectSql(const std::string& key) {
  std::function<std::string()> source;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = sources_.find(key);
    if (found == sources_.end()) throw Error("no table source '" + key + "' is registered");
    source = found->second;
  }
  return source();
}

void RegisterTableSourceFunction(duckdb::ClientContext& context, std::shared_ptr<TableSources> sources) {
  duckdb::TableFunction function(kTableSourceFunction, {duckdb::LogicalType::VARCHAR}, nullptr, nullptr);
  function.bind_replace = BindSource;
  function.function_info = duckdb::make_shared_ptr<SourcesInfo>(std::move(sources));
  duckdb::CreateTableFunctionInfo info(function);
  context.RunFunctionInTransaction([&] { duckdb::Catalog::GetSystemCatalog(context).CreateTableFunction(context, info); });
}

}  // namespace dlctl
