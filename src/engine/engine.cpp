#include "engine/engine.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <sstream>

#include "config/settings.h"
#include "duckdb.hpp"
#include "duckdb/catalog/catalog.hpp"
#include "duckdb/common/progress_bar/progress_bar_display.hpp"
#include "duckdb/main/client_config.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/transaction/meta_transaction.hpp"
#include "engine/database_file.h"
#include "engine/store_file_system.h"
#include "engine/table_source_function.h"
#include "engine/value_json.h"
#include "engine/vector_rows_function.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/sql_quote.h"

namespace dlctl {

namespace {

duckdb::DuckDB OpenDatabase(const Settings& settings, const EngineOptions& options) {
  duckdb::DBConfig config;
  // Nothing may be downloaded or loaded behind our back: s3:// is served by StoreFileSystem.
  config.SetOptionByName("autoinstall_known_extensions", duckdb::Value::BOOLEAN(false));
  config.SetOptionByName("autoload_known_extensions", duckdb::Value::BOOLEAN(false));
  // The store reports no modification times or versions, so a cache of object contents could
  // serve stale bytes after an object is replaced.
  config.SetOptionByName("enable_external_file_cache", duckdb::Value::BOOLEAN(false));
  if (options.threads > 0) config.SetOptionByName("threads", duckdb::Value::BIGINT(options.threads));
  // Spilled data in a folder of this engine's own: DuckDB names its temporary files the same in
  // every process and, on closing, deletes every such file in a folder it did not create.
  if (!settings.local_dir.empty()) {
    static std::atomic<int> engines{0};
    auto folder = settings.local_dir / "tmp" / fmt::format("duckdb-{}-{}", ::getpid(), engines++);
    std::error_code ec;
    std::filesystem::create_directories(folder.parent_path(), ec);  // DuckDB makes only the last level
    config.SetOptionByName("temp_directory", duckdb::Value(folder.string()));
  }
  return duckdb::DuckDB(nullptr, &config);
}

// DuckDB's message with its context (the LINE of SQL and the caret under the error) kept: the CLI
// prints the lines after the first indented. A context DuckDB repeats is kept once, blank lines
// and trailing blanks go.
std::string EngineMessage(const std::string& message) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream stream(message);
  while (std::getline(stream, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.pop_back();
    if (line.empty()) continue;
    // "LINE 1: ..." and its caret line, a second time.
    if (line.rfind("LINE ", 0) == 0 && std::find(lines.begin(), lines.end(), line) != lines.end()) {
      std::getline(stream, line);
      continue;
    }
    lines.push_back(line);
  }
  std::string out;
  for (const std::string& kept : lines) out += (out.empty() ? "" : "\n") + kept;
  return out;
}

// DuckDB's query progress on dlctl's progress line (stderr, terminals only) instead of stdout.
class QueryProgressDisplay : public duckdb::ProgressBarDisplay {
 public:
  static duckdb::unique_ptr<duckdb::ProgressBarDisplay> Create() { return duckdb::make_uniq<QueryProgressDisplay>(); }
  void Update(double percentage) override { line_.Update(PercentBar(percentage / 100)); }
  void Finish() override { line_.Erase(); }

 private:
  ProgressLine line_{"query:"};
};

QueryResult ToQueryResult(duckdb::MaterializedQueryResult& result, duckdb::ClientContext& context) {
  QueryResult out;
  for (duckdb::idx_t i = 0; i < result.ColumnCount(); ++i) {
    out.columns.push_back(result.ColumnName(i));
    out.types.push_back(result.types[i].ToString());
  }
  auto& collection = result.Collection();
  out.rows.reserve(collection.Count());
  out.json.reserve(collection.Count());
  for (auto& chunk : collection.Chunks()) {
    for (duckdb::idx_t row = 0; row < chunk.size(); ++row) {
      auto& values = out.rows.emplace_back();
      auto& json = out.json.emplace_back();
      values.reserve(out.columns.size());
      json.reserve(out.columns.size());
      for (duckdb::idx_t column = 0; column < out.columns.size(); ++column) {
        duckdb::Value value = chunk.GetValue(column, row);
        values.push_back(value.IsNull() ? std::nullopt : std::optional<std::string>(ValueText(value, context)));
        json.push_back(ValueJson(value, context));
      }
    }
  }
  return out;
}

void AppendInt64(duckdb::Vector& vector, duckdb::idx_t count, std::vector<int64_t>& out) {
  duckdb::UnifiedVectorFormat format;
  vector.ToUnifiedFormat(count, format);
  const int64_t* values = duckdb::UnifiedVectorFormat::GetData<int64_t>(format);
  size_t base = out.size();
  out.resize(base + count);
  for (duckdb::idx_t i = 0; i < count; ++i) {
    duckdb::idx_t index = format.sel->get_index(i);
    if (!format.validity.RowIsValid(index)) throw Error("unexpected NULL in a BIGINT column");
    out[base + i] = values[index];
  }
}

std::string QuotedCall(const char* function, const std::string& key) {
  return std::string("SELECT * FROM ") + function + "(" + SqlLiteral(key) + ")";
}

}  // namespace

class Engine::Impl {
 public:
  Impl(std::shared_ptr<ObjectStore> store, const Settings& settings, const EngineOptions& options)
      : db_(OpenDatabase(settings, options)), connection_(db_) {
    auto file_system = duckdb::make_uniq<StoreFileSystem>(std::move(store), settings.bucket);
    store_file_system_ = file_system.get();
    db_.instance->GetFileSystem().RegisterSubSystem(std::move(file_system));
    if (options.show_progress) {
      auto& client = duckdb::ClientConfig::GetConfig(*connection_.context);
      client.enable_progress_bar = true;
      client.print_progress_bar = true;
      client.display_create_func = QueryProgressDisplay::Create;
    }
    RegisterTableSourceFunction(*connection_.context, table_sources_);
    RegisterVectorRowsFunction(*connection_.context, vector_rows_);
    if (!options.database_file.empty()) database_file_.emplace(connection_, options.database_file, settings.lock_wait);
  }

  VectorRowsSources& vector_rows() { return *vector_rows_; }

  void RegisterTableSource(const std::string& key, std::function<std::string()> select_sql) {
    table_sources_->Register(key, std::move(select_sql));
  }

  void CreateUnboundView(const std::string& catalog, const std::string& schema, const std::string& name,
                         const std::vector<Engine::ViewColumn>& columns, const std::string& select_sql,
                         const std::optional<std::string>& comment) {
    auto& context = *connection_.context;
    try {
      duckdb::CreateViewInfo info(catalog, schema, name);
      info.on_conflict = duckdb::OnCreateConflict::REPLACE_ON_CONFLICT;
      info.query = duckdb::CreateViewInfo::ParseSelect(select_sql);
      bool any_comment = false;
      for (const Engine::ViewColumn& column : columns) {
        info.names.push_back(column.name);
        info.types.push_back(duckdb::TransformStringToLogicalType(column.type, context));
        info.column_comments.push_back(column.comment ? duckdb::Value(*column.comment) : duckdb::Value());
        any_comment = any_comment || column.comment.has_value();
      }
      if (!any_comment) info.column_comments.clear();
      if (comment) info.comment = duckdb::Value(*comment);
      context.RunFunctionInTransaction([&] {
        auto& target = duckdb::Catalog::GetCatalog(context, catalog);
        // What the binder does for a CREATE statement: this transaction writes that database.
        duckdb::MetaTransaction::Get(context).ModifyDatabase(target.GetAttached());
        target.CreateView(context, info);
      });
    } catch (const Error&) {
      throw;
    } catch (const std::exception& e) {
      throw Error(EngineMessage(duckdb::ErrorData(e).Message()));
    }
  }

  QueryResult Query(const std::string& sql) {
    duckdb::vector<duckdb::unique_ptr<duckdb::SQLStatement>> statements;
    try {
      statements = connection_.ExtractStatements(sql);
    } catch (const std::exception& e) {
      throw Error(EngineMessage(duckdb::ErrorData(e).Message()));
    }
    if (database_file_) database_file_->BeforeScript(statements);
    QueryResult last;
    for (auto& statement : statements) {
      if (database_file_) database_file_->BeforeStatement(*statement);
      auto result = connection_.Query(std::move(statement));
      store_file_system_->FinishStatement(!result->HasError());
      if (result->HasError()) throw Error(EngineMessage(result->GetError()));
      last = ToQueryResult(*result, *connection_.context);
    }
    return last;
  }

  // Runs `use` on `database`.`schema` in a transaction, if both exist; returns whether they do.
  template <typename Use>
  bool WithSchema(const std::string& database, const std::string& schema, Use&& use) {
    bool found = false;
    auto& context = *connection_.context;
    try {
      context.RunFunctionInTransaction([&] {
        auto catalog = duckdb::Catalog::GetCatalogEntry(context, database);
        if (!catalog) return;
        auto entry = catalog->GetSchema(context, schema, duckdb::OnEntryNotFound::RETURN_NULL);
        if (!entry) return;
        found = true;
        use(context, *catalog, *entry);
      });
    } catch (const std::exception& e) {
      throw Error(EngineMessage(duckdb::ErrorData(e).Message()));
    }
    return found;
  }

  std::vector<Engine::CatalogRelation> Relations(const std::string& database, const std::string& schema) {
    std::vector<Engine::CatalogRelation> relations;
    WithSchema(database, schema, [&](duckdb::ClientContext& context, duckdb::Catalog& catalog,
                                     duckdb::SchemaCatalogEntry& entry) {
      entry.Scan(context, duckdb::CatalogType::TABLE_ENTRY, [&](duckdb::CatalogEntry& relation) {
        relations.push_back(
            {catalog.GetName(), entry.name, relation.name, relation.type == duckdb::CatalogType::VIEW_ENTRY});
      });
    });
    std::sort(relations.begin(), relations.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return relations;
  }

  bool SchemaExists(const std::string& database, const std::string& schema) {
    return WithSchema(database, schema, [](auto&&...) {});
  }

  std::vector<std::vector<int64_t>> QueryInt64Columns(const std::string& sql) {
    std::vector<std::vector<int64_t>> columns;
    bool ok = false;
    try {
      auto result = connection_.SendQuery(sql);
      if (result->HasError()) throw Error(EngineMessage(result->GetError()));
      for (const duckdb::LogicalType& type : result->types)
        if (type.id() != duckdb::LogicalTypeId::BIGINT)
          throw Error("expected BIGINT columns, got " + type.ToString() + " from: " + sql);
      columns.resize(result->types.size());
      while (auto chunk = result->Fetch()) {
        for (duckdb::idx_t c = 0; c < chunk->ColumnCount(); ++c) AppendInt64(chunk->data[c], chunk->size(), columns[c]);
      }
      if (result->HasError()) throw Error(EngineMessage(result->GetError()));
      ok = true;
    } catch (const Error&) {
      store_file_system_->FinishStatement(false);
      throw;
    } catch (const std::exception& e) {
      store_file_system_->FinishStatement(false);
      throw Error(EngineMessage(duckdb::ErrorData(e).Message()));
    }
    store_file_system_->FinishStatement(ok);
    return columns;
  }

  uint64_t StoreBytesRead() const { return store_file_system_->BytesRead(); }

  duckdb::DatabaseInstance& database() { return *db_.instance; }

 private:
  duckdb::DuckDB db_;
  duckdb::Connection connection_;
  StoreFileSystem* store_file_system_;  // owned by db_'s file system
  std::shared_ptr<TableSources> table_sources_ = std::make_shared<TableSources>();
  std::shared_ptr<VectorRowsSources> vector_rows_ = std::make_shared<VectorRowsSources>();
  std::optional<DatabaseFile> database_file_;
};

Engine::Engine(std::shared_ptr<ObjectStore> store, const Settings& settings, EngineOptions options) {
  try {
    impl_ = std::make_unique<Impl>(std::move(store), settings, options);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error("cannot open the query engine: " + OneLine(duckdb::ErrorData(e).Message()));
  }
}

Engine::~Engine() = default;

QueryResult Engine::Query(const std::string& sql) { return impl_->Query(sql); }

uint64_t Engine::StoreBytesRead() const { return impl_->StoreBytesRead(); }

duckdb::DatabaseInstance& Engine::database() { return impl_->database(); }

void Engine::RegisterTableSource(const std::string& key, std::function<std::string()> select_sql) {
  impl_->RegisterTableSource(key, std::move(select_sql));
}

std::string Engine::TableSourceSql(const std::string& key) { return QuotedCall(kTableSourceFunction, key); }

std::vector<Engine::CatalogRelation> Engine::Relations(const std::string& database, const std::string& schema) {
  return impl_->Relations(database, schema);
}

bool Engine::SchemaExists(const std::string& database, const std::string& schema) {
  return impl_->SchemaExists(database, schema);
}

std::vector<std::vector<int64_t>> Engine::QueryInt64Columns(const std::string& sql) {
  return impl_->QueryInt64Columns(sql);
}

void Engine::RegisterVectorRows(const std::string& key, VectorRows rows) { impl_->vector_rows().Register(key, rows); }

void Engine::UnregisterVectorRows(const std::string& key) { impl_->vector_rows().Unregister(key); }

std::string Engine::VectorRowsSql(const std::string& key) { return QuotedCall(kVectorRowsFunction, key); }

void Engine::CreateUnboundView(const std::string& catalog, const std::string& schema, const std::string& name,
                               const std::vector<ViewColumn>& columns, const std::string& select_sql,
                               const std::optional<std::string>& comment) {
  impl_->CreateUnboundView(catalog, schema, name, columns, select_sql, comment);
}

}  // namespace dlctl
