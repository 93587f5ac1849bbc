#include "lake/catalog/snapshot_entries.h"

#include <fmt/format.h>

#include "duckdb/catalog/catalog_entry/table_catalog_entry.hpp"
#include "duckdb/parser/constraints/not_null_constraint.hpp"
#include "duckdb/parser/expression/cast_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/parsed_data/alter_table_info.hpp"
#include "duckdb/parser/parsed_data/comment_on_column_info.hpp"
#include "duckdb/parser/parsed_data/create_schema_info.hpp"
#include "duckdb/parser/parsed_data/create_table_info.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/keyword_helper.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/planner/parsed_data/bound_create_table_info.hpp"
#include "lake/catalog/commit_message.h"
#include "lake/catalog/engine_transaction.h"
#include "lake/catalog/lake_catalog.h"
#include "lake/catalog/partition_by.h"
#include "lake/catalog/set_option.h"
#include "lake/catalog/types.h"
#include "lake/catalog/view_sql.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {

namespace {

bool SameName(const std::string& a, const std::string& b) { return duckdb::StringUtil::CIEquals(a, b); }

duckdb::LogicalType LogicalTypeOf(const ColumnInfo& column) {
  return duckdb::TransformStringToLogicalType(DuckDBType(column));
}

// The CREATE TABLE DuckDB sees for a lake table: its columns with types, defaults, NOT NULL and
// comments. Returns the reason when a column's type has no DuckDB equivalent.
std::string DescribeTable(const TableInfo& table, duckdb::CreateTableInfo& info) {
  try {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const ColumnInfo& column = table.columns[i];
      duckdb::LogicalType type = LogicalTypeOf(column);
      duckdb::ColumnDefinition definition(column.name, type);
      if (column.default_value && *column.default_value != "NULL")
        definition.SetDefaultValue(duckdb::make_uniq<duckdb::CastExpression>(
            type, duckdb::make_uniq<duckdb::ConstantExpression>(duckdb::Value(*column.default_value))));
      if (column.comment) definition.SetComment(duckdb::Value(*column.comment));
      info.columns.AddColumn(std::move(definition));
      if (!column.nulls_allowed)
        info.constraints.push_back(duckdb::make_uniq<duckdb::NotNullConstraint>(duckdb::LogicalIndex(i)));
    }
    if (table.columns.empty()) throw Error("it has no columns");
    return {};
  } catch (const std::exception& e) {
    // DuckDB needs columns: the table keeps one that says why it cannot be read.
    info.columns = duckdb::ColumnList();
    info.constraints.clear();
    info.columns.AddColumn(duckdb::ColumnDefinition("unreadable", duckdb::LogicalType::VARCHAR));
    return e.what();
  }
}

// The constant a column DEFAULT names, as DuckLake stores it: its text, cast to the column type.
std::optional<std::string> DefaultText(const duckdb::ColumnDefinition& column) {
  if (!column.HasDefaultValue()) return std::nullopt;
  std::vector<duckdb::LogicalType> casts;
  const duckdb::ParsedExpression* expression = &column.DefaultValue();
  while (expression->GetExpressionClass() == duckdb::ExpressionClass::CAST) {
    auto& cast = expression->Cast<duckdb::CastExpression>();
    casts.push_back(cast.cast_type);
    expression = cast.child.get();
  }
  if (expression->GetExpressionClass() != duckdb::ExpressionClass::CONSTANT)
    throw duckdb::NotImplementedException(
        "the default of column %s is not a constant: DuckLake keeps literal defaults only", column.Name());
  duckdb::Value value = expression->Cast<duckdb::ConstantExpression>().value;
  for (auto cast = casts.rbegin(); cast != casts.rend(); ++cast) value = value.DefaultCastAs(*cast);
  value = value.DefaultCastAs(column.Type());
  if (value.IsNull()) return std::nullopt;
  return value.ToString();
}

}  // namespace

std::vector<ColumnDefinition> ColumnDefinitionsOf(const duckdb::CreateTableInfo& info) {
  std::vector<bool> not_null(info.columns.LogicalColumnCount(), false);
  for (auto& constraint : info.constraints) {
    if (constraint->type != duckdb::ConstraintType::NOT_NULL)
      throw duckdb::NotImplementedException("%s: DuckLake tables take NOT NULL constraints only",
                                            constraint->ToString());
    not_null[constraint->Cast<duckdb::NotNullConstraint>().index.index] = true;
  }
  std::vector<ColumnDefinition> columns;
  for (auto& column : info.columns.Logical()) {
    if (column.Generated())
      throw duckdb::NotImplementedException("generated column %s: DuckLake has no generated columns", column.Name());
    columns.emplace_back(column.Name(), column.Type().ToString(), DefaultText(column),
                         not_null[column.Logical().index]);
  }
  return columns;
}

namespace {

std::optional<std::string> CommentText(const duckdb::Value& value) {
  if (value.IsNull()) return std::nullopt;
  return value.ToString();
}

// column_aliases as the extension stores them: double-quoted names separated by commas.
std::string QuotedList(const duckdb::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names) list += (list.empty() ? "" : ",") + SqlIdentifier(name);
  return list;
}

duckdb::vector<std::string> ParseQuotedList(const std::string& text) {
  duckdb::vector<std::string> names;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] != '"') throw Error("cannot read view column aliases: " + text);
    std::string name;
    for (++pos; pos < text.size(); ++pos) {
      if (text[pos] == '"') {
        if (pos + 1 < text.size() && text[pos + 1] == '"') {
          name += '"';
          ++pos;
          continue;
        }
        break;
      }
      name += text[pos];
    }
    if (pos >= text.size()) throw Error("cannot read view column aliases: " + text);
    names.push_back(std::move(name));
    ++pos;
    if (pos < text.size() && text[pos++] != ',') throw Error("cannot read view column aliases: " + text);
  }
  return names;
}

EngineTransaction& TransactionOf(duckdb::CatalogTransaction transaction, duckdb::Catalog& catalog) {
  return EngineTransaction::Get(transaction.GetContext(), catalog);
}

}  // namespace

// --- tables ------------------------------------------------------------------------------------

LakeTableEntry::LakeTableEntry(LakeCatalog& catalog, LakeSchemaEntry& schema, duckdb::CreateTableInfo& info,
                               const TableInfo& table, const SnapshotEntries& owner, std::string broken)
    : duckdb::TableCatalogEntry(catalog, schema, info), table_(table), owner_(owner), broken_(std::move(broken)) {}

LakeCatalog& LakeTableEntry::lake_catalog() const { return catalog.Cast<LakeCatalog>(); }

// --- views -------------------------------------------------------------------------------------

namespace {

duckdb::CreateViewInfo ViewInfoOf(const std::string& catalog, const std::string& schema, const ViewInfo& view) {
  duckdb::CreateViewInfo info(catalog, schema, view.name);
  info.sql = view.sql;
  if (view.column_aliases && !view.column_aliases->empty()) info.aliases = ParseQuotedList(*view.column_aliases);
  if (view.comment) info.comment = duckdb::Value(*view.comment);
  return info;
}

}  // namespace

LakeViewEntry::LakeViewEntry(LakeCatalog& catalog, LakeSchemaEntry& schema, duckdb::CreateViewInfo& info,
                             const ViewInfo& view)
    : duckdb::ViewCatalogEntry(catalog, schema, info), view_(view) {}

duckdb::unique_ptr<duckdb::SelectStatement> LakeViewEntry::Parse() const {
  if (view_.dialect != "duckdb")
    throw duckdb::BinderException("view %s is written in SQL dialect '%s'; only duckdb views can be read", name,
                                  view_.dialect);
  duckdb::Parser parser;
  parser.ParseQuery(ViewSqlForCatalog(view_.sql, catalog.GetName()));
  if (parser.statements.size() != 1 || parser.statements[0]->type != duckdb::StatementType::SELECT_STATEMENT)
    throw duckdb::BinderException("view %s is not a single SELECT: %s", name, view_.sql);
  return duckdb::unique_ptr_cast<duckdb::SQLStatement, duckdb::SelectStatement>(std::move(parser.statements[0]));
}

const duckdb::SelectStatement& LakeViewEntry::GetQuery() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!query) query = Parse();
  return *query;
}

duckdb::unique_ptr<duckdb::CreateInfo> LakeViewEntry::GetInfo() const {
  auto info = duckdb::ViewCatalogEntry::GetInfo();
  auto& view_info = info->Cast<duckdb::CreateViewInfo>();
  try {
    if (!view_info.query) view_info.query = Parse();
  } catch (const std::exception&) {
    // Another dialect or SQL that does not parse: listings show the stored text.
  }
  return info;
}

std::string LakeViewEntry::ToSQL() const {
  auto info = GetInfo();
  if (info->Cast<duckdb::CreateViewInfo>().query) return info->ToString();
  return "CREATE VIEW " + duckdb::KeywordHelper::WriteOptionallyQuoted(name) + " AS " + view_.sql + ";";
}

void LakeViewEntry::EnsureDescribed(duckdb::ClientContext& context) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (described_) return;
  described_ = true;
  try {
    std::string sql = "CREATE VIEW described";
    if (!aliases.empty()) {
      sql += " (";
      for (size_t i = 0; i < aliases.size(); ++i)
        sql += (i ? ", " : "") + duckdb::KeywordHelper::WriteOptionallyQuoted(aliases[i]);
      sql += ")";
    }
    sql += " AS " + ViewSqlForCatalog(view_.sql, catalog.GetName());
    auto bound = duckdb::CreateViewInfo::FromCreateView(context, schema, sql);
    names = bound->names;
    types = bound->types;
  } catch (const std::exception&) {
    // A view that does not bind lists no columns; using it reports why.
  }
}

// --- schemas -----------------------------------------------------------------------------------

namespace {

duckdb::CreateSchemaInfo SchemaInfoOf(const std::string& catalog, const SchemaInfo& schema) {
  duckdb::CreateSchemaInfo info;
  info.catalog = catalog;
  info.schema = schema.name;
  return info;
}

}  // namespace

LakeSchemaEntry::LakeSchemaEntry(LakeCatalog& catalog, duckdb::CreateSchemaInfo& info, const SchemaInfo& schema,
                                 const SnapshotEntries& owner)
    : duckdb::SchemaCatalogEntry(catalog, info), schema_(schema) {
  for (const TableInfo& table : schema.tables) {
    duckdb::CreateTableInfo table_info(catalog.GetName(), schema.name, table.name);
    std::string broken = DescribeTable(table, table_info);
    if (table.comment) table_info.comment = duckdb::Value(*table.comment);
    tables_.push_back(std::make_unique<LakeTableEntry>(catalog, *this, table_info, table, owner, std::move(broken)));
  }
  for (const ViewInfo& view : schema.views) {
    duckdb::CreateViewInfo view_info = ViewInfoOf(catalog.GetName(), schema.name, view);
    views_.push_back(std::make_unique<LakeViewEntry>(catalog, *this, view_info, view));
  }
}

LakeTableEntry* LakeSchemaEntry::FindTable(const std::string& name) const {
  for (auto& table : tables_)
    if (SameName(table->name, name)) return table.get();
  return nullptr;
}

LakeViewEntry* LakeSchemaEntry::FindView(const std::string& name) const {
  for (auto& view : views_)
    if (SameName(view->name, name)) return view.get();
  return nullptr;
}

// Tables and views share one name space, as in DuckDB's own catalog: scanning tables lists both.
void LakeSchemaEntry::Scan(duckdb::CatalogType type, const std::function<void(duckdb::CatalogEntry&)>& callback) {
  if (type == duckdb::CatalogType::TABLE_ENTRY)
    for (auto& table : tables_) callback(*table);
  if (type == duckdb::CatalogType::TABLE_ENTRY || type == duckdb::CatalogType::VIEW_ENTRY)
    for (auto& view : views_) callback(*view);
}

void LakeSchemaEntry::Scan(duckdb::ClientContext& context, duckdb::CatalogType type,
                           const std::function<void(duckdb::CatalogEntry&)>& callback) {
  // This entry may be of an older set than the transaction's own: scan the schema it sees now.
  auto& transaction = EngineTransaction::Get(context, catalog);
  LakeSchemaEntry* current = transaction.Entries().FindSchema(name);
  if (!current) current = this;
  for (auto& view : current->views_) view->EnsureDescribed(context);
  current->Scan(type, callback);
}

duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::LookupEntry(duckdb::CatalogTransaction transaction,
                                                                        const duckdb::EntryLookupInfo& lookup) {
  auto type = lookup.GetCatalogType();
  if (type == duckdb::CatalogType::TABLE_FUNCTION_ENTRY &&
      duckdb::StringUtil::CIEquals(lookup.GetEntryName(), kSetCommitMessage)) {
    std::lock_guard<std::mutex> lock(functions_mutex_);
    if (!set_commit_message_) set_commit_message_ = SetCommitMessageEntry(catalog, *this);
    return set_commit_message_.get();
  }
  if (type == duckdb::CatalogType::TABLE_FUNCTION_ENTRY &&
      duckdb::StringUtil::CIEquals(lookup.GetEntryName(), kSetOption)) {
    std::lock_guard<std::mutex> lock(functions_mutex_);
    if (!set_option_) set_option_ = SetOptionEntry(catalog, *this);
    return set_option_.get();
  }
  if (type != duckdb::CatalogType::TABLE_ENTRY && type != duckdb::CatalogType::VIEW_ENTRY) return nullptr;
  const LakeSchemaEntry* schema = this;
  std::shared_ptr<const SnapshotEntries> at_entries;
  auto& engine_transaction = TransactionOf(transaction, catalog);
  if (auto at = lookup.GetAtClause()) {
    at_entries = engine_transaction.EntriesAt(*at);
    schema = at_entries->FindSchema(name);
  } else {
    schema = engine_transaction.Entries().FindSchema(name);
  }
  if (!schema) return nullptr;
  if (LakeTableEntry* table = schema->FindTable(lookup.GetEntryName())) return table;
  if (LakeViewEntry* view = schema->FindView(lookup.GetEntryName())) return view;
  return nullptr;
}

duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateTable(duckdb::CatalogTransaction transaction,
                                                                        duckdb::BoundCreateTableInfo& info) {
  auto& engine_transaction = TransactionOf(transaction, catalog);
  auto& create = info.Base();
  LakeTransaction& writer = engine_transaction.Writer();
  const SchemaInfo* schema = writer.state().FindSchema(name);
  bool exists = schema && (writer.state().FindTable(name, create.table) || writer.state().FindView(name, create.table));
  if (exists) {
    switch (create.on_conflict) {
      case duckdb::OnCreateConflict::IGNORE_ON_CONFLICT:
        return nullptr;
      case duckdb::OnCreateConflict::REPLACE_ON_CONFLICT:
        if (writer.state().FindView(name, create.table)) writer.DropView(name, create.table);
        else writer.DropTable(name, create.table);
        break;
      default:
        throw duckdb::CatalogException("Table with name \"%s\" already exists!", create.table);
    }
  }
  writer.CreateTable(name, create.table, ColumnDefinitionsOf(create));
  if (!create.comment.IsNull()) writer.CommentOnTable(name, create.table, CommentText(create.comment));
  LakeSchemaEntry* now = engine_transaction.Entries().FindSchema(name);
  return now ? now->FindTable(create.table) : nullptr;
}

duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateView(duckdb::CatalogTransaction transaction,
                                                                       duckdb::CreateViewInfo& info) {
  auto& engine_transaction = TransactionOf(transaction, catalog);
  LakeTransaction& writer = engine_transaction.Writer();
  bool exists = writer.state().FindView(name, info.view_name) || writer.state().FindTable(name, info.view_name);
  if (exists) {
    switch (info.on_conflict) {
      case duckdb::OnCreateConflict::IGNORE_ON_CONFLICT:
        return nullptr;
      case duckdb::OnCreateConflict::REPLACE_ON_CONFLICT:
        if (writer.state().FindTable(name, info.view_name))
          throw duckdb::CatalogException("\"%s\" is a table, not a view: drop it first", info.view_name);
        break;
      default:
        throw duckdb::CatalogException("View with name \"%s\" already exists!", info.view_name);
    }
  }
  std::optional<std::string> aliases;
  if (!info.aliases.empty()) aliases = QuotedList(info.aliases);
  writer.CreateView(name, info.view_name, StoredViewSql(info.query->ToString(), catalog.GetName()), exists, aliases);
  if (!info.comment.IsNull()) writer.CommentOnView(name, info.view_name, CommentText(info.comment));
  LakeSchemaEntry* now = engine_transaction.Entries().FindSchema(name);
  return now ? now->FindView(info.view_name) : nullptr;
}

void LakeSchemaEntry::DropEntry(duckdb::ClientContext& context, duckdb::DropInfo& info) {
  LakeTransaction& writer = EngineTransaction::Get(context, catalog).Writer();
  bool if_exists = info.if_not_found == duckdb::OnEntryNotFound::RETURN_NULL;
  switch (info.type) {
    case duckdb::CatalogType::TABLE_ENTRY:
      writer.DropTable(name, info.name, if_exists);
      return;
    case duckdb::CatalogType::VIEW_ENTRY:
      writer.DropView(name, info.name, if_exists);
      return;
    default:
      throw duckdb::NotImplementedException("DROP %s is not supported on DuckLake catalogs",
                                            duckdb::CatalogTypeToString(info.type));
  }
}

void LakeSchemaEntry::Alter(duckdb::CatalogTransaction transaction, duckdb::AlterInfo& info) {
  LakeTransaction& writer = TransactionOf(transaction, catalog).Writer();
  const CatalogState& state = writer.state();
  if (info.if_not_found == duckdb::OnEntryNotFound::RETURN_NULL && !state.FindTable(name, info.name) &&
      !state.FindView(name, info.name))
    return;
  switch (info.type) {
    case duckdb::AlterType::ALTER_TABLE: {
      auto& alter = info.Cast<duckdb::AlterTableInfo>();
      switch (alter.alter_table_type) {
        case duckdb::AlterTableType::ADD_COLUMN: {
          auto& add = alter.Cast<duckdb::AddColumnInfo>();
          if (add.new_column.Generated())
            throw duckdb::NotImplementedException("DuckLake has no generated columns");
          writer.AddColumn(name, info.name,
                           ColumnDefinition(add.new_column.Name(), add.new_column.Type().ToString(),
                                            DefaultText(add.new_column), false),
                           add.if_column_not_exists);
          return;
        }
        case duckdb::AlterTableType::REMOVE_COLUMN: {
          auto& remove = alter.Cast<duckdb::RemoveColumnInfo>();
          writer.DropColumn(name, info.name, remove.removed_column, remove.if_column_exists);
          return;
        }
        case duckdb::AlterTableType::RENAME_COLUMN: {
          auto& rename = alter.Cast<duckdb::RenameColumnInfo>();
          writer.RenameColumn(name, info.name, rename.old_name, rename.new_name);
          return;
        }
        case duckdb::AlterTableType::RENAME_TABLE:
          writer.RenameTable(name, info.name, alter.Cast<duckdb::RenameTableInfo>().new_table_name);
          return;
        case duckdb::AlterTableType::SET_PARTITIONED_BY: {
          PartitionKeys keys = PartitionKeysOf(alter.Cast<duckdb::SetPartitionedByInfo>());
          const TableInfo* table = state.FindTable(name, info.name);
          if (table && transaction.context) CheckPartitionKeyTypes(*transaction.context, *table, keys);
          writer.SetPartitionedBy(name, info.name, keys);
          return;
        }
        default:
          throw duckdb::NotImplementedException("this ALTER TABLE is not supported on DuckLake catalogs");
      }
    }
    case duckdb::AlterType::SET_COMMENT: {
      auto& comment = info.Cast<duckdb::SetCommentInfo>();
      if (comment.entry_catalog_type == duckdb::CatalogType::VIEW_ENTRY ||
          (comment.entry_catalog_type != duckdb::CatalogType::TABLE_ENTRY && state.FindView(name, info.name)))
        writer.CommentOnView(name, info.name, CommentText(comment.comment_value));
      else
        writer.CommentOnTable(name, info.name, CommentText(comment.comment_value));
      return;
    }
    case duckdb::AlterType::SET_COLUMN_COMMENT: {
      auto& comment = info.Cast<duckdb::SetColumnCommentInfo>();
      writer.CommentOnColumn(name, info.name, comment.column_name, CommentText(comment.comment_value));
      return;
    }
    default:
      throw duckdb::NotImplementedException("this ALTER statement is not supported on DuckLake catalogs");
  }
}

namespace {

[[noreturn]] void NotInDuckLake(const char* what) {
  throw duckdb::NotImplementedException("DuckLake catalogs hold no %s", what);
}

}  // namespace

duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateIndex(duckdb::CatalogTransaction,
                                                                        duckdb::CreateIndexInfo&,
                                                                        duckdb::TableCatalogEntry&) {
  NotInDuckLake("indexes");
}
duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateFunction(duckdb::CatalogTransaction,
                                                                           duckdb::CreateFunctionInfo&) {
  NotInDuckLake("functions or macros");
}
duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateSequence(duckdb::CatalogTransaction,
                                                                           duckdb::CreateSequenceInfo&) {
  NotInDuckLake("sequences");
}
duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateTableFunction(duckdb::CatalogTransaction,
                                                                                duckdb::CreateTableFunctionInfo&) {
  NotInDuckLake("table functions");
}
duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateCopyFunction(duckdb::CatalogTransaction,
                                                                               duckdb::CreateCopyFunctionInfo&) {
  NotInDuckLake("copy functions");
}
duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreatePragmaFunction(duckdb::CatalogTransaction,
                                                                                 duckdb::CreatePragmaFunctionInfo&) {
  NotInDuckLake("pragma functions");
}
duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateCollation(duckdb::CatalogTransaction,
                                                                            duckdb::CreateCollationInfo&) {
  NotInDuckLake("collations");
}
duckdb::optional_ptr<duckdb::CatalogEntry> LakeSchemaEntry::CreateType(duckdb::CatalogTransaction,
                                                                       duckdb::CreateTypeInfo&) {
  NotInDuckLake("types");
}

// --- the set -----------------------------------------------------------------------------------

SnapshotEntries::SnapshotEntries(LakeCatalog& catalog, std::shared_ptr<const CatalogState> state, bool local)
    : state_(std::move(state)), local_(local) {
  for (const SchemaInfo& schema : state_->schemas) {
    duckdb::CreateSchemaInfo info = SchemaInfoOf(catalog.GetName(), schema);
    schemas_.push_back(std::make_unique<LakeSchemaEntry>(catalog, info, schema, *this));
  }
}

SnapshotEntries::~SnapshotEntries() = default;

LakeSchemaEntry* SnapshotEntries::FindSchema(const std::string& name) const {
  for (auto& schema : schemas_)
    if (SameName(schema->name, name)) return schema.get();
  return nullptr;
}

}  // namespace dlctl::lake
