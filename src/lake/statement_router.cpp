#include "lake/statement_router.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <optional>

#include "duckdb.hpp"
#include "duckdb/parser/constraints/not_null_constraint.hpp"
#include "duckdb/parser/expression/cast_expression.hpp"
#include "duckdb/parser/expression/comparison_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/expression/function_expression.hpp"
#include "duckdb/parser/parsed_data/alter_table_info.hpp"
#include "duckdb/parser/parsed_data/comment_on_column_info.hpp"
#include "duckdb/parser/parsed_data/create_schema_info.hpp"
#include "duckdb/parser/parsed_data/create_table_info.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/list.hpp"
#include "duckdb/parser/tableref/basetableref.hpp"
#include "lake/catalog_binding.h"
#include "lake/catalog_schema.h"
#include "lake/lakehouse.h"
#include "lake/sql_quote.h"
#include "lake/open_metadata_store.h"
#include "util/error.h"

namespace dlctl::lake {
namespace {

constexpr const char* kDefaultSchema = "main";

bool SameName(const std::string& a, const std::string& b) { return duckdb::StringUtil::CIEquals(a, b); }

QueryResult CountResult(int64_t count) {
  QueryResult result;
  result.columns = {"Count"};
  result.types = {"BIGINT"};
  result.rows = {{std::to_string(count)}};
  return result;
}

[[noreturn]] void Unsupported(const std::string& what) { throw Error(what + " is not supported on DuckLake catalogs"); }

std::optional<std::string> CommentText(const duckdb::Value& value) {
  if (value.IsNull()) return std::nullopt;
  return value.ToString();
}

// A column DEFAULT must be a constant: DuckLake keeps it as a literal.
std::optional<std::string> ConstantDefault(const duckdb::ColumnDefinition& column) {
  if (!column.HasDefaultValue()) return std::nullopt;
  const duckdb::ParsedExpression* expression = &column.DefaultValue();
  while (expression->GetExpressionClass() == duckdb::ExpressionClass::CAST)
    expression = expression->Cast<duckdb::CastExpression>().child.get();
  if (expression->GetExpressionClass() != duckdb::ExpressionClass::CONSTANT)
    throw Error(
        fmt::format("the default of column {} is not a constant: DuckLake keeps literal defaults only", column.Name()));
  return column.DefaultValue().ToString();
}

ColumnDefinition ToColumnDefinition(const duckdb::ColumnDefinition& column, bool not_null) {
  return ColumnDefinition(column.Name(), column.Type().ToString(), ConstantDefault(column), not_null);
}

void RefuseClauses(bool has_ctes, bool has_returning, const char* statement) {
  if (has_ctes) Unsupported(std::string("WITH before ") + statement);
  if (has_returning) Unsupported(std::string("RETURNING in ") + statement);
}

}  // namespace

class StatementRouter::Impl {
 public:
  Impl(Engine& engine, const Settings& settings, WriteOptions options)
      : engine_(engine), settings_(settings), options_(std::move(options)) {}

  QueryResult Run(const std::string& sql) {
    duckdb::Parser parser;
    try {
      parser.ParseQuery(sql);
    } catch (const std::exception&) {
      return engine_.Query(sql);  // fails the same way, with the engine's one-line message
    }
    if (!AnyLakeStatement(parser.statements) && !in_block_) {
      QueryResult result = engine_.Query(sql);  // the common case: the engine takes the text as it is
      for (auto& statement : parser.statements) NoteUse(*statement);
      return result;
    }
    // Each statement's text runs from the end of the previous one (after its ';'), past any empty
    // statements (DuckDB 1.4's parser reports lengths, not locations).
    QueryResult last;
    size_t begin = 0;
    for (auto& statement : parser.statements) {
      for (size_t next = begin;
           next < sql.size() && (std::isspace(static_cast<unsigned char>(sql[next])) || sql[next] == ';'); ++next)
        if (sql[next] == ';') begin = next + 1;
      std::string text = sql.substr(begin, statement->stmt_length);
      begin += statement->stmt_length + 1;
      last = RunStatement(*statement, text);
    }
    return last;
  }

 private:
  struct Catalog {
    std::unique_ptr<MetadataStore> store;
    std::string data_path;
    std::unique_ptr<LakeTransaction> transaction;
  };

  // Whether a statement targets a lake, following the USE statements before it.
  bool AnyLakeStatement(const duckdb::vector<duckdb::unique_ptr<duckdb::SQLStatement>>& statements) {
    std::string catalog = default_catalog_, schema = default_schema_;
    bool any = false;
    for (auto& statement : statements) {
      any = any || !LakeTarget(*statement).empty();
      if (auto target = UseTarget(*statement)) FollowUse(*target);
    }
    default_catalog_ = catalog;
    default_schema_ = schema;
    return any;
  }

  // The name of USE <name>, if the statement is one.
  static std::optional<std::string> UseTarget(const duckdb::SQLStatement& statement) {
    if (statement.type != duckdb::StatementType::SET_STATEMENT) return std::nullopt;
    auto& set = statement.Cast<duckdb::SetStatement>();
    if (set.name != "schema" || set.set_type != duckdb::SetType::SET) return std::nullopt;
    auto& value = set.Cast<duckdb::SetVariableStatement>().value;
    if (value->GetExpressionClass() != duckdb::ExpressionClass::CONSTANT) return std::nullopt;
    return value->Cast<duckdb::ConstantExpression>().value.ToString();
  }

  // Where unqualified names go after USE <catalog>.<schema>, USE <catalog> or USE <schema>,
  // resolved as DuckDB does: a single name is a database when one has that name.
  void FollowUse(const std::string& target) {
    auto names = duckdb::QualifiedName::ParseComponents(target);
    if (names.size() == 2) {
      default_catalog_ = names[0];
      default_schema_ = names[1];
    } else if (names.size() == 1 && (IsLake(names[0]) || IsDatabase(names[0]))) {
      default_catalog_ = names[0];
      default_schema_ = kDefaultSchema;
    } else if (names.size() == 1) {
      default_schema_ = names[0];
    }
  }

  bool IsDatabase(const std::string& name) {
    return !engine_.Query("SELECT 1 FROM duckdb_databases() WHERE database_name = " + SqlLiteral(name)).rows.empty();
  }

  // After a USE ran on the engine, its defaults are the truth.
  void NoteUse(const duckdb::SQLStatement& statement) {
    if (!UseTarget(statement)) return;
    auto current = engine_.Query("SELECT current_database(), current_schema()").rows.at(0);
    default_catalog_ = current.at(0).value_or("");
    default_schema_ = current.at(1).value_or(kDefaultSchema);
  }

  const CatalogSettings* FindLake(const std::string& name) const {
    for (const CatalogSettings& catalog : settings_.catalogs)
      if (SameName(catalog.name, name)) return &catalog;
    return nullptr;
  }
  bool IsLake(const std::string& name) const { return FindLake(name) != nullptr; }

  struct Target {
    std::string catalog, schema;
    bool empty() const { return catalog.empty(); }
  };

  // The lake catalog and schema a name refers to, or an empty target. A two-part name whose
  // first part is a lake catalog means that catalog's schema main, as in DuckDB.
  Target Resolve(const std::string& catalog, const std::string& schema) const {
    if (!catalog.empty())
      return IsLake(catalog) ? Target{FindLake(catalog)->name, schema.empty() ? kDefaultSchema : schema} : Target{};
    if (!schema.empty() && IsLake(schema)) return {FindLake(schema)->name, kDefaultSchema};
    if (!default_catalog_.empty() && IsLake(default_catalog_))
      return {FindLake(default_catalog_)->name, schema.empty() ? default_schema_ : schema};
    return {};
  }

  Target LakeTarget(const duckdb::SQLStatement& statement) const {
    using duckdb::StatementType;
    switch (statement.type) {
      case StatementType::CREATE_STATEMENT: {
        auto& info = *statement.Cast<duckdb::CreateStatement>().info;
        if (info.temporary) return {};
        if (info.type == duckdb::CatalogType::SCHEMA_ENTRY) {
          // CREATE SCHEMA stage.dsn: the catalog is named; CREATE SCHEMA dsn goes where USE points.
          Target target = Resolve(info.catalog, "");
          return target.empty() ? target : Target{target.catalog, info.schema};
        }
        return Resolve(info.catalog, info.schema);
      }
      case StatementType::DROP_STATEMENT: {
        auto& info = *statement.Cast<duckdb::DropStatement>().info;
        if (info.type == duckdb::CatalogType::SCHEMA_ENTRY) {
          Target target = Resolve(info.catalog, "");
          return target.empty() ? target : Target{target.catalog, info.name};
        }
        return Resolve(info.catalog, info.schema);
      }
      case StatementType::ALTER_STATEMENT: {
        auto& info = *statement.Cast<duckdb::AlterStatement>().info;
        return Resolve(info.catalog, info.schema);
      }
      case StatementType::INSERT_STATEMENT: {
        auto& insert = statement.Cast<duckdb::InsertStatement>();
        return Resolve(insert.catalog, insert.schema);
      }
      case StatementType::CALL_STATEMENT: {
        auto* function = CommitMessageCall(statement);
        return function ? Resolve(function->catalog, function->schema) : Target{};
      }
      case StatementType::DELETE_STATEMENT:
        return TableTarget(*statement.Cast<duckdb::DeleteStatement>().table);
      case StatementType::UPDATE_STATEMENT:
        return TableTarget(*statement.Cast<duckdb::UpdateStatement>().table);
      default:
        return {};
    }
  }

  // CALL <catalog>.set_commit_message(author, message [, extra_info => ...]), as the extension has it.
  static const duckdb::FunctionExpression* CommitMessageCall(const duckdb::SQLStatement& statement) {
    auto& function = statement.Cast<duckdb::CallStatement>().function;
    if (function->GetExpressionClass() != duckdb::ExpressionClass::FUNCTION) return nullptr;
    auto& call = function->Cast<duckdb::FunctionExpression>();
    return SameName(call.function_name, "set_commit_message") ? &call : nullptr;
  }

  Target TableTarget(const duckdb::TableRef& ref) const {
    if (ref.type != duckdb::TableReferenceType::BASE_TABLE) return {};
    auto& table = ref.Cast<duckdb::BaseTableRef>();
    return Resolve(table.catalog_name, table.schema_name);
  }

  QueryResult RunStatement(duckdb::SQLStatement& statement, const std::string& text) {
    Target target = LakeTarget(statement);
    if (target.empty()) {
      QueryResult result = engine_.Query(text);
      NoteUse(statement);
      if (statement.type == duckdb::StatementType::TRANSACTION_STATEMENT) NoteTransaction(statement);
      return result;
    }
    QueryResult result = Apply(Transaction(target.catalog), statement, target.schema);
    if (!in_block_) CommitAll();
    return result;
  }

  // BEGIN ... COMMIT groups lake statements into one snapshot per catalog; ROLLBACK drops them.
  void NoteTransaction(const duckdb::SQLStatement& statement) {
    switch (statement.Cast<duckdb::TransactionStatement>().info->type) {
      case duckdb::TransactionType::BEGIN_TRANSACTION:
        in_block_ = true;
        break;
      case duckdb::TransactionType::COMMIT:
        in_block_ = false;
        CommitAll();
        break;
      case duckdb::TransactionType::ROLLBACK:
        in_block_ = false;
        for (auto& [name, catalog] : catalogs_) catalog.transaction.reset();
        break;
      default:
        break;
    }
  }

  Catalog& Open(const std::string& name) {
    Catalog& catalog = catalogs_[name];
    if (catalog.store) return catalog;
    const CatalogSettings& settings = *FindLake(name);
    catalog.data_path = CatalogDataPath(settings_, settings);
    catalog.store = OpenMetadataStore(settings_, settings, true);
    if (!IsCatalog(*catalog.store)) CreateCatalog(*catalog.store, catalog.data_path);
    return catalog;
  }

  LakeTransaction& Transaction(const std::string& name) {
    Catalog& catalog = Open(name);
    if (!catalog.transaction)
      catalog.transaction = std::make_unique<LakeTransaction>(*catalog.store, engine_, catalog.data_path, options_);
    return *catalog.transaction;
  }

  void CommitAll() {
    for (auto& [name, catalog] : catalogs_) {
      if (!catalog.transaction) continue;
      std::unique_ptr<LakeTransaction> transaction = std::move(catalog.transaction);
      SnapshotId base = transaction->base_snapshot();
      if (transaction->Commit() != base) Rebind(name, catalog);
    }
  }

  // Binds the catalog's new snapshot. DuckDB cannot re-attach the database in use, so USE
  // moves elsewhere meanwhile.
  void Rebind(const std::string& name, Catalog& catalog) {
    auto current = engine_.Query("SELECT current_database(), current_schema()").rows.at(0);
    bool in_use = SameName(current.at(0).value_or(""), name);
    if (in_use) {
      auto other =
          engine_.Query("SELECT database_name FROM duckdb_databases() WHERE NOT internal AND database_name <> " +
                        SqlLiteral(name) + " LIMIT 1");
      engine_.Query("USE " + SqlIdentifier(other.rows.at(0).at(0).value_or("memory")));
    }
    CatalogReader reader(*catalog.store, catalog.data_path);
    BindCatalog(engine_, reader, reader.Load(), name);
    if (in_use)
      engine_.Query("USE " + SqlIdentifier(name) + "." + SqlIdentifier(current.at(1).value_or(kDefaultSchema)));
  }

  QueryResult Apply(LakeTransaction& t, duckdb::SQLStatement& statement, const std::string& schema) {
    using duckdb::StatementType;
    switch (statement.type) {
      case StatementType::CREATE_STATEMENT:
        ApplyCreate(t, *statement.Cast<duckdb::CreateStatement>().info, schema);
        return {};
      case StatementType::DROP_STATEMENT:
        ApplyDrop(t, *statement.Cast<duckdb::DropStatement>().info, schema);
        return {};
      case StatementType::ALTER_STATEMENT:
        ApplyAlter(t, *statement.Cast<duckdb::AlterStatement>().info, schema);
        return {};
      case StatementType::INSERT_STATEMENT:
        return CountResult(ApplyInsert(t, statement.Cast<duckdb::InsertStatement>(), schema));
      case StatementType::CALL_STATEMENT:
        ApplyCommitMessage(t, *CommitMessageCall(statement));
        return {};
      case StatementType::DELETE_STATEMENT:
        return CountResult(ApplyDelete(t, statement.Cast<duckdb::DeleteStatement>(), schema));
      case StatementType::UPDATE_STATEMENT:
        return CountResult(ApplyUpdate(t, statement.Cast<duckdb::UpdateStatement>(), schema));
      default:
        Unsupported("this statement");
    }
  }

  void ApplyCreate(LakeTransaction& t, duckdb::CreateInfo& info, const std::string& schema) {
    bool or_replace = info.on_conflict == duckdb::OnCreateConflict::REPLACE_ON_CONFLICT;
    bool if_not_exists = info.on_conflict == duckdb::OnCreateConflict::IGNORE_ON_CONFLICT;
    switch (info.type) {
      case duckdb::CatalogType::SCHEMA_ENTRY:
        if (or_replace) Unsupported("CREATE OR REPLACE SCHEMA");
        t.CreateSchema(schema, if_not_exists);
        return;
      case duckdb::CatalogType::TABLE_ENTRY: {
        auto& table = info.Cast<duckdb::CreateTableInfo>();
        if (table.query) {
          t.CreateTableAs(schema, table.table, table.query->ToString(), or_replace, if_not_exists);
          return;
        }
        std::vector<bool> not_null(table.columns.LogicalColumnCount(), false);
        for (auto& constraint : table.constraints) {
          if (constraint->type != duckdb::ConstraintType::NOT_NULL)
            throw Error(constraint->ToString() + ": DuckLake tables take NOT NULL constraints only");
          not_null[constraint->Cast<duckdb::NotNullConstraint>().index.index] = true;
        }
        std::vector<ColumnDefinition> columns;
        for (auto& column : table.columns.Logical()) {
          if (column.Generated()) Unsupported("the generated column " + column.Name());
          columns.push_back(ToColumnDefinition(column, not_null[column.Logical().index]));
        }
        if (or_replace) t.DropTable(schema, table.table, true);
        t.CreateTable(schema, table.table, columns, if_not_exists);
        return;
      }
      case duckdb::CatalogType::VIEW_ENTRY: {
        auto& view = info.Cast<duckdb::CreateViewInfo>();
        if (!view.aliases.empty()) Unsupported("a view with column aliases");
        if (if_not_exists && t.state().FindView(schema, view.view_name)) return;
        t.CreateView(schema, view.view_name, view.query->ToString(), or_replace);
        return;
      }
      default:
        Unsupported("CREATE " + duckdb::CatalogTypeToString(info.type));
    }
  }

  void ApplyDrop(LakeTransaction& t, duckdb::DropInfo& info, const std::string& schema) {
    bool if_exists = info.if_not_found == duckdb::OnEntryNotFound::RETURN_NULL;
    switch (info.type) {
      case duckdb::CatalogType::SCHEMA_ENTRY:
        t.DropSchema(schema, if_exists, info.cascade);
        return;
      case duckdb::CatalogType::TABLE_ENTRY:
        t.DropTable(schema, info.name, if_exists);
        return;
      case duckdb::CatalogType::VIEW_ENTRY:
        t.DropView(schema, info.name, if_exists);
        return;
      default:
        Unsupported("DROP " + duckdb::CatalogTypeToString(info.type));
    }
  }

  void ApplyAlter(LakeTransaction& t, duckdb::AlterInfo& info, const std::string& schema) {
    if (info.if_not_found == duckdb::OnEntryNotFound::RETURN_NULL && !t.state().FindTable(schema, info.name) &&
        !t.state().FindView(schema, info.name))
      return;
    switch (info.type) {
      case duckdb::AlterType::ALTER_TABLE:
        ApplyAlterTable(t, info.Cast<duckdb::AlterTableInfo>(), schema);
        return;
      case duckdb::AlterType::SET_COMMENT: {
        auto& comment = info.Cast<duckdb::SetCommentInfo>();
        if (comment.entry_catalog_type == duckdb::CatalogType::TABLE_ENTRY)
          t.CommentOnTable(schema, info.name, CommentText(comment.comment_value));
        else if (comment.entry_catalog_type == duckdb::CatalogType::VIEW_ENTRY)
          t.CommentOnView(schema, info.name, CommentText(comment.comment_value));
        else
          Unsupported("COMMENT ON " + duckdb::CatalogTypeToString(comment.entry_catalog_type));
        return;
      }
      case duckdb::AlterType::SET_COLUMN_COMMENT: {
        auto& comment = info.Cast<duckdb::SetColumnCommentInfo>();
        t.CommentOnColumn(schema, info.name, comment.column_name, CommentText(comment.comment_value));
        return;
      }
      default:
        Unsupported("this ALTER statement");
    }
  }

  void ApplyAlterTable(LakeTransaction& t, duckdb::AlterTableInfo& info, const std::string& schema) {
    switch (info.alter_table_type) {
      case duckdb::AlterTableType::ADD_COLUMN: {
        auto& add = info.Cast<duckdb::AddColumnInfo>();
        t.AddColumn(schema, info.name, ToColumnDefinition(add.new_column, false), add.if_column_not_exists);
        return;
      }
      case duckdb::AlterTableType::REMOVE_COLUMN: {
        auto& remove = info.Cast<duckdb::RemoveColumnInfo>();
        t.DropColumn(schema, info.name, remove.removed_column, remove.if_column_exists);
        return;
      }
      case duckdb::AlterTableType::RENAME_COLUMN: {
        auto& rename = info.Cast<duckdb::RenameColumnInfo>();
        t.RenameColumn(schema, info.name, rename.old_name, rename.new_name);
        return;
      }
      case duckdb::AlterTableType::RENAME_TABLE:
        t.RenameTable(schema, info.name, info.Cast<duckdb::RenameTableInfo>().new_table_name);
        return;
      default:
        Unsupported("this ALTER TABLE statement");
    }
  }

  // Positional author and message, then extra_info by name; all constants.
  void ApplyCommitMessage(LakeTransaction& t, const duckdb::FunctionExpression& call) {
    std::vector<std::optional<std::string>> positional;
    std::optional<std::string> extra_info;
    auto text = [](const duckdb::ParsedExpression& expression) -> std::optional<std::string> {
      if (expression.GetExpressionClass() != duckdb::ExpressionClass::CONSTANT)
        throw Error("set_commit_message takes constant arguments");
      auto& value = expression.Cast<duckdb::ConstantExpression>().value;
      if (value.IsNull()) return std::nullopt;
      return value.ToString();
    };
    for (auto& argument : call.children) {
      if (argument->GetExpressionClass() == duckdb::ExpressionClass::COMPARISON) {  // name => value
        auto& named = argument->Cast<duckdb::ComparisonExpression>();
        if (!SameName(named.left->ToString(), "extra_info"))
          Unsupported("set_commit_message(" + named.left->ToString() + ")");
        extra_info = text(*named.right);
      } else if (!argument->GetAlias().empty()) {
        if (!SameName(argument->GetAlias(), "extra_info"))
          Unsupported("set_commit_message(" + argument->GetAlias() + ")");
        extra_info = text(*argument);
      } else {
        positional.push_back(text(*argument));
      }
    }
    if (positional.size() != 2) throw Error("set_commit_message takes an author and a message");
    t.SetCommitMessage(positional[0], positional[1], extra_info);
  }

  int64_t ApplyInsert(LakeTransaction& t, duckdb::InsertStatement& insert, const std::string& schema) {
    RefuseClauses(!insert.cte_map.map.empty(), !insert.returning_list.empty(), "INSERT");
    if (insert.on_conflict_info) Unsupported("INSERT ... ON CONFLICT");
    if (insert.default_values) Unsupported("INSERT ... DEFAULT VALUES");
    if (insert.column_order == duckdb::InsertColumnOrder::INSERT_BY_NAME) Unsupported("INSERT ... BY NAME");
    return t.Insert(schema, insert.table, insert.select_statement->ToString(), insert.columns);
  }

  int64_t ApplyDelete(LakeTransaction& t, duckdb::DeleteStatement& remove, const std::string& schema) {
    RefuseClauses(!remove.cte_map.map.empty(), !remove.returning_list.empty(), "DELETE");
    if (!remove.using_clauses.empty()) Unsupported("DELETE ... USING");
    auto& table = remove.table->Cast<duckdb::BaseTableRef>();
    std::optional<std::string> condition;
    if (remove.condition) condition = remove.condition->ToString();
    return t.Delete(schema, table.table_name, condition, table.alias);
  }

  int64_t ApplyUpdate(LakeTransaction& t, duckdb::UpdateStatement& update, const std::string& schema) {
    RefuseClauses(!update.cte_map.map.empty(), !update.returning_list.empty(), "UPDATE");
    if (update.from_table) Unsupported("UPDATE ... FROM");
    auto& table = update.table->Cast<duckdb::BaseTableRef>();
    auto& set = *update.set_info;
    std::vector<std::pair<std::string, std::string>> assignments;
    for (size_t i = 0; i < set.columns.size(); ++i) {
      if (set.expressions[i]->GetExpressionClass() == duckdb::ExpressionClass::DEFAULT)
        Unsupported("UPDATE ... SET column = DEFAULT");
      assignments.emplace_back(set.columns[i], set.expressions[i]->ToString());
    }
    std::optional<std::string> condition;
    if (set.condition) condition = set.condition->ToString();
    return t.Update(schema, table.table_name, assignments, condition, table.alias);
  }

  Engine& engine_;
  const Settings& settings_;
  WriteOptions options_;
  std::map<std::string, Catalog> catalogs_;
  std::string default_catalog_, default_schema_ = kDefaultSchema;
  bool in_block_ = false;
};

StatementRouter::StatementRouter(Engine& engine, const Settings& settings, WriteOptions options)
    : impl_(std::make_unique<Impl>(engine, settings, std::move(options))) {}

StatementRouter::~StatementRouter() = default;

QueryResult StatementRouter::Run(const std::string& sql) { return impl_->Run(sql); }

}  // namespace dlctl::lake
