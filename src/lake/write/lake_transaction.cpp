#include "lake/write/lake_transaction.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "lake/catalog/types.h"
#include "lake/metadata/catalog_schema.h"
#include "lake/metadata/inlined_tables.h"
#include "lake/write/inlining_limit.h"
#include "lake/write/commit.h"
#include "util/error.h"
#include "util/sql_quote.h"
#include "util/uuid.h"

namespace dlctl::lake {
namespace {

constexpr const char* kCommentKey = "comment";
constexpr int64_t kDeletePositionFieldId = 2147483645;

// DuckDB resolves names case-insensitively, and so does DuckLake.
bool SameName(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

template <typename T>
T* FindByName(std::vector<T>& items, const std::string& name) {
  for (T& item : items)
    if (SameName(item.name, name)) return &item;
  return nullptr;
}

template <typename T>
void EraseById(std::vector<T>& items, int64_t id) {
  items.erase(std::remove_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; }), items.end());
}

std::string Qualified(const std::string& schema, const std::string& name) {
  return QuoteName(schema) + "." + QuoteName(name);
}

// DuckLake's default folder of a schema or table: its name, or its uuid when the name is not
// safe in a path.
std::string FolderName(const std::string& name, const std::string& uuid) {
  bool safe = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  return (safe ? name : uuid) + "/";
}

// Column ids depth first, as the extension numbers a table's columns; column_order = column_id.
int64_t Number(ColumnInfo& column, int64_t next_id) {
  column.column_id = column.column_order = next_id++;
  for (ColumnInfo& child : column.children) next_id = Number(child, next_id);
  return next_id;
}

void CollectIds(const ColumnInfo& column, std::vector<int64_t>& ids) {
  ids.push_back(column.column_id);
  for (const ColumnInfo& child : column.children) CollectIds(child, ids);
}

void CollectTypes(const ColumnInfo& column, std::map<int64_t, std::string>& types) {
  types[column.column_id] = column.type;
  for (const ColumnInfo& child : column.children) CollectTypes(child, types);
}

int64_t MaxColumnId(const std::vector<ColumnInfo>& columns) {
  std::vector<int64_t> ids{0};
  for (const ColumnInfo& column : columns) CollectIds(column, ids);
  return *std::max_element(ids.begin(), ids.end());
}

ColumnInfo* FindColumn(TableInfo& table, const std::string& name) { return FindByName(table.columns, name); }

std::vector<ColumnInfo> NewColumns(const std::vector<ColumnDefinition>& definitions, int64_t first_id,
                                   bool as_initial_default) {
  std::vector<ColumnInfo> columns;
  int64_t next_id = first_id;
  for (const ColumnDefinition& definition : definitions) {
    for (const ColumnInfo& earlier : columns)
      if (SameName(earlier.name, definition.name))
        throw Error(fmt::format("column {} is defined twice", QuoteName(definition.name)));
    ColumnInfo column = ColumnFromDuckDBType(definition.name, definition.type);
    next_id = Number(column, next_id);
    column.nulls_allowed = !definition.not_null;
    if (definition.default_value) {
      const std::string& text = *definition.default_value;
      column.default_value = text;
      // Rows written before the column existed read as its default.
      if (as_initial_default && text != "NULL") column.initial_default = text;
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace

std::vector<ColumnInfo> NewTableColumns(const std::vector<ColumnDefinition>& definitions) {
  return NewColumns(definitions, 1, false);
}

std::string TableFolder(const std::string& name, const std::string& uuid) { return FolderName(name, uuid); }

LakeTransaction::LakeTransaction(MetadataStore& store, CatalogState base, WriteOptions options)
    : store_(store), options_(std::move(options)), state_(std::move(base)) {
  base_snapshot_ = state_.snapshot.id;
  changes_.default_inlining_row_limit = options_.data_inlining_row_limit.value_or(kDefaultInliningRowLimit);
}

LakeTransaction::LakeTransaction(MetadataStore& store, std::optional<std::string> data_path_override,
                                 WriteOptions options)
    : store_(store), options_(std::move(options)) {
  CheckSpecVersion(store_);
  state_ = CatalogReader(store_, std::move(data_path_override)).Load({}, /*with_files=*/false);
  base_snapshot_ = state_.snapshot.id;
  changes_.default_inlining_row_limit = options_.data_inlining_row_limit.value_or(kDefaultInliningRowLimit);
}

LakeTransaction::~LakeTransaction() {
  if (!finished_) RemoveFiles(written_);
}

// --- lookups ------------------------------------------------------------------------------

void LakeTransaction::CheckOpen() const {
  if (finished_) throw Error("the lake transaction has already been committed");
}

SchemaInfo& LakeTransaction::FindSchema(const std::string& schema) {
  CheckOpen();
  if (SchemaInfo* found = FindByName(state_.schemas, schema)) return *found;
  throw NotFoundError(fmt::format("schema {} does not exist in catalog {}", QuoteName(schema), store_.Describe()));
}

TableInfo& LakeTransaction::FindTable(const std::string& schema, const std::string& table) {
  SchemaInfo& found_schema = FindSchema(schema);
  if (TableInfo* found = FindByName(found_schema.tables, table)) {
    changes_.display_names[found->id] = Qualified(found_schema.name, found->name);  // for conflict messages
    return *found;
  }
  throw NotFoundError(fmt::format("table {} does not exist", Qualified(schema, table)));
}

ViewInfo& LakeTransaction::FindView(const std::string& schema, const std::string& view) {
  SchemaInfo& found_schema = FindSchema(schema);
  if (ViewInfo* found = FindByName(found_schema.views, view)) {
    changes_.display_names[found->id] = Qualified(found_schema.name, found->name);
    return *found;
  }
  throw NotFoundError(fmt::format("view {} does not exist", Qualified(schema, view)));
}

const TableInfo* LakeTransaction::FindTableById(int64_t table_id) const {
  for (const SchemaInfo& schema : state_.schemas)
    for (const TableInfo& table : schema.tables)
      if (table.id == table_id) return &table;
  return nullptr;
}

TableInfo& LakeTransaction::TableById(int64_t table_id) {
  CheckOpen();
  for (SchemaInfo& schema : state_.schemas)
    for (TableInfo& table : schema.tables)
      if (table.id == table_id) {
        changes_.display_names[table.id] = Qualified(schema.name, table.name);  // for conflict messages
        return table;
      }
  throw NotFoundError(fmt::format("table {} does not exist (any more) in catalog {}", table_id, store_.Describe()));
}

SchemaInfo* LakeTransaction::SchemaOf(const TableInfo& table) {
  for (SchemaInfo& schema : state_.schemas)
    for (const TableInfo& candidate : schema.tables)
      if (candidate.id == table.id) return &schema;
  return nullptr;
}

void LakeTransaction::CheckNameFree(const SchemaInfo& schema, const std::string& name) {
  for (const TableInfo& table : schema.tables)
    if (SameName(table.name, name))
      throw Error(fmt::format("table {} already exists", Qualified(schema.name, table.name)));
  for (const ViewInfo& view : schema.views)
    if (SameName(view.name, name))
      throw Error(fmt::format("view {} already exists", Qualified(schema.name, view.name)));
}

// --- schemas -------------------------------------------------------------------------------

void LakeTransaction::CreateSchema(const std::string& name, bool if_not_exists) {
  CheckOpen();
  if (FindByName(state_.schemas, name)) {
    if (if_not_exists) return;
    throw Error(fmt::format("schema {} already exists", QuoteName(name)));
  }
  NewSchema schema{NextProvisionalId(), name, UuidV7(), ""};
  schema.path = FolderName(name, schema.uuid);
  changes_.new_schemas.push_back(schema);
  changes_.display_names[schema.id] = QuoteName(name);

  SchemaInfo info;
  info.id = schema.id;
  info.uuid = schema.uuid;
  info.name = name;
  info.path = state_.data_path + schema.path;
  state_.schemas.push_back(std::move(info));
  Reshaped();
}

void LakeTransaction::DropSchema(const std::string& name, bool if_exists, bool cascade) {
  CheckOpen();
  SchemaInfo* schema = FindByName(state_.schemas, name);
  if (!schema) {
    if (if_exists) return;
    FindSchema(name);  // throws
  }
  if (!schema->tables.empty() || !schema->views.empty()) {
    if (!cascade)
      throw Error(fmt::format("schema {} is not empty: DROP SCHEMA ... CASCADE drops its tables and views too",
                              QuoteName(schema->name)));
    std::vector<std::string> tables, views;
    for (const TableInfo& table : schema->tables) tables.push_back(table.name);
    for (const ViewInfo& view : schema->views) views.push_back(view.name);
    for (const std::string& table : tables) DropTable(name, table);
    for (const std::string& view : views) DropView(name, view);
    schema = FindByName(state_.schemas, name);
  }
  if (IsProvisionalId(schema->id))
    EraseById(changes_.new_schemas, schema->id);
  else
    changes_.dropped_schemas[schema->id] = changes_.display_names[schema->id] = QuoteName(schema->name);
  EraseById(state_.schemas, schema->id);
  Reshaped();
}

// --- tables --------------------------------------------------------------------------------


int64_t LakeTransaction::CreateTable(const std::string& schema_name, const std::string& name,
                                     const std::vector<ColumnDefinition>& columns, bool if_not_exists,
                                     std::optional<std::string> uuid) {
  SchemaInfo& schema = FindSchema(schema_name);
  if (if_not_exists)
    if (TableInfo* existing = FindByName(schema.tables, name)) return existing->id;
  CheckNameFree(schema, name);
  if (columns.empty()) throw Error(fmt::format("table {} needs at least one column", Qualified(schema.name, name)));

  TableInfo table;
  table.id = NextProvisionalId();
  table.uuid = uuid ? *uuid : UuidV7();
  table.name = name;
  table.columns = NewColumns(columns, 1, false);
  std::string folder = FolderName(name, table.uuid);
  table.path = schema.path + folder;
  changes_.new_tables.push_back({table.id, schema.id, schema.name, name, table.uuid, folder, true, true});
  changes_.created_columns[table.id] = table.columns;
  changes_.display_names[table.id] = Qualified(schema.name, name);
  int64_t id = table.id;
  schema.tables.push_back(std::move(table));
  Reshaped();
  return id;
}

void LakeTransaction::DropTable(const std::string& schema_name, const std::string& name, bool if_exists) {
  SchemaInfo& schema = FindSchema(schema_name);
  TableInfo* table = FindByName(schema.tables, name);
  if (!table) {
    if (if_exists) return;
    FindTable(schema_name, name);  // throws
  }
  int64_t id = table->id;
  // Whatever this transaction queued for the table goes; its written files become orphans.
  changes_.new_tables.erase(std::remove_if(changes_.new_tables.begin(), changes_.new_tables.end(),
                                           [&](const NewTableVersion& version) { return version.id == id; }),
                            changes_.new_tables.end());
  changes_.created_columns.erase(id);
  changes_.ended_columns.erase(id);
  changes_.new_columns.erase(id);
  changes_.altered_tables.erase(id);
  changes_.reshaped_tables.erase(id);
  changes_.data.erase(id);
  changes_.partitions.erase(id);
  changes_.tags.erase(std::remove_if(changes_.tags.begin(), changes_.tags.end(),
                                     [&](const TagChange& tag) { return tag.object_id == id; }),
                      changes_.tags.end());
  if (!IsProvisionalId(id)) {
    changes_.dropped_tables[id] = changes_.display_names[id] = Qualified(schema.name, table->name);
  }
  EraseById(schema.tables, id);
  Reshaped();
}

void LakeTransaction::RenameTable(const std::string& schema_name, const std::string& name,
                                  const std::string& new_name) {
  TableInfo& table = FindTable(schema_name, name);
  SchemaInfo& schema = *SchemaOf(table);
  if (!SameName(name, new_name)) CheckNameFree(schema, new_name);
  auto version = std::find_if(changes_.new_tables.begin(), changes_.new_tables.end(),
                              [&](const NewTableVersion& v) { return v.id == table.id; });
  if (version != changes_.new_tables.end()) {
    version->name = new_name;
  } else {
    // The next version of the table row keeps the table's id, uuid and folder.
    auto rows = store_.Query(
        "SELECT path, path_is_relative FROM ducklake_table WHERE table_id = ? "
        "AND end_snapshot IS NULL",
        {table.id});
    if (rows.empty()) throw Error(fmt::format("table {} has no current row", Qualified(schema.name, name)));
    changes_.new_tables.push_back(
        {table.id, schema.id, schema.name, new_name, table.uuid, rows[0].Text(0), rows[0].Bool(1), false});
    MarkAltered(table, true);
  }
  table.name = new_name;
  changes_.display_names[table.id] = Qualified(schema.name, new_name);
  Reshaped();
}

// --- columns -------------------------------------------------------------------------------

int64_t LakeTransaction::NextColumnId(const TableInfo& table) {
  auto known = next_column_ids_.find(table.id);
  if (known != next_column_ids_.end()) return known->second;
  if (IsProvisionalId(table.id)) return MaxColumnId(table.columns) + 1;
  // Ids of dropped columns are never reused.
  auto rows = store_.Query("SELECT max(column_id) FROM ducklake_column WHERE table_id = ?", {table.id});
  return std::max(rows.at(0).OptionalInt(0).value_or(0), MaxColumnId(table.columns)) + 1;
}

void LakeTransaction::SetColumns(TableInfo& table, std::vector<ColumnInfo> columns) {
  std::sort(columns.begin(), columns.end(),
            [](const ColumnInfo& a, const ColumnInfo& b) { return a.column_order < b.column_order; });
  table.columns = std::move(columns);
  Reshaped();
  if (IsProvisionalId(table.id)) changes_.created_columns[table.id] = table.columns;
}

// Ends the column versions `ended` (ids, children included) and adds the versions `added`.
void LakeTransaction::ChangeColumns(TableInfo& table, const std::vector<int64_t>& ended,
                                    std::vector<ColumnInfo> added) {
  std::vector<ColumnInfo> columns;
  for (ColumnInfo& column : table.columns)
    if (std::find(ended.begin(), ended.end(), column.column_id) == ended.end()) columns.push_back(column);
  columns.insert(columns.end(), added.begin(), added.end());
  if (!IsProvisionalId(table.id)) {
    // A version queued earlier in this transaction is replaced; a committed one ends (ending
    // ids that were never committed matches no row).
    auto& queued = changes_.new_columns[table.id];
    queued.erase(std::remove_if(queued.begin(), queued.end(),
                                [&](const ColumnInfo& column) {
                                  return std::find(ended.begin(), ended.end(), column.column_id) != ended.end();
                                }),
                 queued.end());
    queued.insert(queued.end(), added.begin(), added.end());
    if (queued.empty()) changes_.new_columns.erase(table.id);
    if (!ended.empty()) changes_.ended_columns[table.id].insert(ended.begin(), ended.end());
    MarkAltered(table, true);
  }
  SetColumns(table, std::move(columns));
}

void LakeTransaction::AddColumn(const std::string& schema, const std::string& table_name,
                                const ColumnDefinition& definition, bool if_not_exists) {
  TableInfo& table = FindTable(schema, table_name);
  if (FindColumn(table, definition.name)) {
    if (if_not_exists) return;
    throw Error(
        fmt::format("column {} already exists in table {}", QuoteName(definition.name), Qualified(schema, table.name)));
  }
  int64_t first_id = NextColumnId(table);
  std::vector<ColumnInfo> added = NewColumns({definition}, first_id, true);
  next_column_ids_[table.id] = MaxColumnId(added) + 1;
  ChangeColumns(table, {}, std::move(added));
}

void LakeTransaction::DropColumn(const std::string& schema, const std::string& table_name, const std::string& name,
                                 bool if_exists) {
  TableInfo& table = FindTable(schema, table_name);
  ColumnInfo* column = FindColumn(table, name);
  if (!column) {
    if (if_exists) return;
    throw NotFoundError(
        fmt::format("column {} does not exist in table {}", QuoteName(name), Qualified(schema, table.name)));
  }
  if (table.columns.size() == 1)
    throw Error(
        fmt::format("cannot drop {}, the only column of table {}", QuoteName(name), Qualified(schema, table.name)));
  if (table.partition)
    for (const PartitionField& field : table.partition->fields)
      if (field.column_id == column->column_id)
        throw Error(fmt::format("cannot drop column {}: table {} is partitioned by it (RESET PARTITIONED BY or "
                                "SET PARTITIONED BY without it first)",
                                QuoteName(column->name), Qualified(schema, table.name)));
  std::vector<int64_t> ids;
  CollectIds(*column, ids);
  ChangeColumns(table, ids, {});
}

void LakeTransaction::RenameColumn(const std::string& schema, const std::string& table_name, const std::string& name,
                                   const std::string& new_name) {
  TableInfo& table = FindTable(schema, table_name);
  ColumnInfo* column = FindColumn(table, name);
  if (!column)
    throw NotFoundError(
        fmt::format("column {} does not exist in table {}", QuoteName(name), Qualified(schema, table.name)));
  if (!SameName(name, new_name) && FindColumn(table, new_name))
    throw Error(
        fmt::format("column {} already exists in table {}", QuoteName(new_name), Qualified(schema, table.name)));
  ColumnInfo renamed = *column;
  renamed.name = new_name;
  std::vector<int64_t> ids;
  CollectIds(*column, ids);
  ChangeColumns(table, ids, {renamed});
}

// --- partitioning --------------------------------------------------------------------------

void LakeTransaction::SetPartitionedBy(const std::string& schema, const std::string& table_name,
                                       const std::vector<std::pair<std::string, PartitionTransform>>& keys) {
  TableInfo& table = FindTable(schema, table_name);
  std::vector<PartitionField> fields;
  for (const auto& [name, transform] : keys) {
    ColumnInfo* column = FindColumn(table, name);
    if (!column)
      throw NotFoundError(fmt::format("partition key: column {} does not exist in table {}", QuoteName(name),
                                      Qualified(schema, table.name)));
    fields.push_back({static_cast<int64_t>(fields.size()), column->column_id, transform});
  }
  std::vector<PartitionField> current = table.partition ? table.partition->fields : std::vector<PartitionField>{};
  if (fields == current) return;

  auto base = base_partitions_.try_emplace(table.id, table.partition).first->second;
  std::vector<PartitionField> committed = base ? base->fields : std::vector<PartitionField>{};
  auto pending = changes_.partitions.find(table.id);
  if (fields == committed) {
    // Back to what the transaction began with: nothing to write.
    table.partition = base;
    if (pending != changes_.partitions.end()) changes_.partitions.erase(pending);
  } else {
    int64_t id = pending != changes_.partitions.end() ? pending->second.id : NextProvisionalId();
    PartitionSpec spec{id, fields};
    changes_.partitions[table.id] = spec;
    if (fields.empty())
      table.partition.reset();
    else
      table.partition = spec;
  }
  MarkAltered(table, true);
  Reshaped();
}

// --- views and comments ---------------------------------------------------------------------

void LakeTransaction::CreateView(const std::string& schema_name, const std::string& name, const std::string& sql,
                                 bool or_replace, std::optional<std::string> column_aliases) {
  SchemaInfo& schema = FindSchema(schema_name);
  if (or_replace && FindByName(schema.views, name)) DropView(schema_name, name);
  CheckNameFree(schema, name);
  NewView view{NextProvisionalId(), schema.id, schema.name, name, UuidV4(), sql, column_aliases.value_or("")};
  changes_.new_views.push_back(view);
  changes_.display_names[view.id] = Qualified(schema.name, name);
  ViewInfo info;
  info.id = view.id;
  info.uuid = view.uuid;
  info.name = name;
  info.dialect = "duckdb";
  info.sql = sql;
  info.column_aliases = std::move(column_aliases);
  schema.views.push_back(std::move(info));
  Reshaped();
}

void LakeTransaction::DropView(const std::string& schema_name, const std::string& name, bool if_exists) {
  SchemaInfo& schema = FindSchema(schema_name);
  ViewInfo* view = FindByName(schema.views, name);
  if (!view) {
    if (if_exists) return;
    FindView(schema_name, name);  // throws
  }
  int64_t id = view->id;
  changes_.tags.erase(std::remove_if(changes_.tags.begin(), changes_.tags.end(),
                                     [&](const TagChange& tag) { return tag.object_id == id; }),
                      changes_.tags.end());
  changes_.altered_views.erase(id);
  if (IsProvisionalId(id))
    EraseById(changes_.new_views, id);
  else
    changes_.dropped_views[id] = changes_.display_names[id] = Qualified(schema.name, view->name);
  EraseById(schema.views, id);
  Reshaped();
}

void LakeTransaction::Tag(int64_t object_id, std::optional<int64_t> column_id, std::optional<std::string> value) {
  auto& tags = changes_.tags;
  tags.erase(std::remove_if(tags.begin(), tags.end(),
                            [&](const TagChange& tag) {
                              return tag.object_id == object_id && tag.column_id == column_id && tag.key == kCommentKey;
                            }),
             tags.end());
  tags.push_back({object_id, column_id, kCommentKey, std::move(value)});
  Reshaped();
}

void LakeTransaction::MarkAltered(const TableInfo& table, bool reshaped) {
  if (IsProvisionalId(table.id)) return;
  changes_.altered_tables.insert(table.id);
  if (reshaped) changes_.reshaped_tables.insert(table.id);
}

void LakeTransaction::CommentOnTable(const std::string& schema, const std::string& name,
                                     std::optional<std::string> comment) {
  TableInfo& table = FindTable(schema, name);
  Tag(table.id, std::nullopt, comment);
  MarkAltered(table, false);
  table.comment = std::move(comment);
}

void LakeTransaction::CommentOnView(const std::string& schema, const std::string& name,
                                    std::optional<std::string> comment) {
  ViewInfo& view = FindView(schema, name);
  Tag(view.id, std::nullopt, comment);
  if (!IsProvisionalId(view.id)) changes_.altered_views.insert(view.id);
  view.comment = std::move(comment);
}

void LakeTransaction::CommentOnColumn(const std::string& schema, const std::string& table_name, const std::string& name,
                                      std::optional<std::string> comment) {
  TableInfo& table = FindTable(schema, table_name);
  ColumnInfo* column = FindColumn(table, name);
  if (!column)
    throw NotFoundError(
        fmt::format("column {} does not exist in table {}", QuoteName(name), Qualified(schema, table.name)));
  Tag(table.id, column->column_id, comment);
  MarkAltered(table, false);
  column->comment = std::move(comment);
}

void LakeTransaction::SetCommitMessage(std::optional<std::string> author, std::optional<std::string> message,
                                       std::optional<std::string> extra_info) {
  CheckOpen();
  changes_.author = std::move(author);
  changes_.commit_message = std::move(message);
  changes_.commit_extra_info = std::move(extra_info);
}

// --- data ----------------------------------------------------------------------------------

TableDataChanges& LakeTransaction::DataChanges(const TableInfo& table) {
  TableDataChanges& changes = changes_.data[table.id];
  changes.column_types.clear();
  for (const ColumnInfo& column : table.columns) CollectTypes(column, changes.column_types);
  return changes;
}

void LakeTransaction::NoteWritten(const std::string& uri) {
  CheckOpen();
  written_.push_back(uri);
}

void LakeTransaction::AppendFiles(int64_t table_id, std::vector<WrittenFile> files) {
  TableInfo& table = TableById(table_id);
  for (const WrittenFile& file : files) written_.push_back(file.uri);
  std::vector<std::string> empty;
  for (const WrittenFile& file : files)
    if (file.record_count == 0) empty.push_back(file.uri);
  std::erase_if(files, [](const WrittenFile& file) { return file.record_count == 0; });  // never registered
  RemoveFiles(empty);
  for (const ColumnInfo& column : table.columns) {
    if (column.nulls_allowed) continue;
    for (const WrittenFile& file : files)
      for (const FileColumnStats& stats : file.column_stats)
        if (stats.column_id == column.column_id && stats.null_count.value_or(0) > 0)
          throw Error(fmt::format("NOT NULL constraint failed: {}.{}", QuoteName(table.name), QuoteName(column.name)));
  }
  if (files.empty()) return;
  TableDataChanges& changes = DataChanges(table);
  for (WrittenFile& file : files) changes.data_files.push_back(std::move(file));
}

void LakeTransaction::ReplaceDeleteFile(int64_t table_id, int64_t data_file_id, WrittenFile delete_file) {
  TableInfo& table = TableById(table_id);
  written_.push_back(delete_file.uri);
  TableDataChanges& changes = DataChanges(table);
  // A second deletion from the same file in this transaction replaces the first one's file,
  // which holds the rows this transaction deleted through the catalog too.
  std::erase_if(changes.delete_files, [&](const NewDeleteFile& d) { return d.data_file_id == data_file_id; });
  changes.inlined_file_deletes.erase(data_file_id);
  changes.delete_files.push_back({data_file_id, std::move(delete_file)});
}

void LakeTransaction::DropDataFile(int64_t table_id, int64_t data_file_id) {
  TableDataChanges& changes = DataChanges(TableById(table_id));
  changes.inlined_file_deletes.erase(data_file_id);
  std::erase_if(changes.delete_files, [&](const NewDeleteFile& d) { return d.data_file_id == data_file_id; });
  if (std::find(changes.dropped_files.begin(), changes.dropped_files.end(), data_file_id) ==
      changes.dropped_files.end())
    changes.dropped_files.push_back(data_file_id);
}

void LakeTransaction::DeleteFromNewFile(int64_t table_id, const std::string& uri,
                                        std::optional<WrittenFile> delete_file) {
  TableDataChanges& changes = DataChanges(TableById(table_id));
  auto file = std::find_if(changes.data_files.begin(), changes.data_files.end(),
                           [&](const WrittenFile& f) { return f.uri == uri; });
  if (file == changes.data_files.end()) throw Error("data file " + uri + " is not one this transaction wrote");
  if (!delete_file) {
    RemoveFiles({file->uri});
    for (const WrittenFile& deletes : file->deletes) RemoveFiles({deletes.uri});
    changes.data_files.erase(file);
    return;
  }
  written_.push_back(delete_file->uri);
  file->deletes.clear();
  file->deletes.push_back(std::move(*delete_file));
}

int64_t LakeTransaction::DeleteInlinedRows(int64_t table_id, const std::string& inlined_table,
                                           const std::vector<int64_t>& row_ids) {
  std::vector<int64_t>& deleted = DataChanges(TableById(table_id)).inlined_deletes[inlined_table];
  std::vector<int64_t> merged;
  std::set_union(deleted.begin(), deleted.end(), row_ids.begin(), row_ids.end(), std::back_inserter(merged));
  int64_t added = static_cast<int64_t>(merged.size() - deleted.size());
  deleted = std::move(merged);
  return added;
}

const TableDataChanges* LakeTransaction::DataChangesOf(int64_t table_id) const {
  auto found = changes_.data.find(table_id);
  return found == changes_.data.end() ? nullptr : &found->second;
}

// --- inlined data --------------------------------------------------------------------------

uint64_t LakeTransaction::InliningRowLimit(int64_t table_id) {
  TableInfo& table = TableById(table_id);
  const SchemaInfo* schema = SchemaOf(table);
  return InliningRowLimitOption(store_, schema ? schema->id : 0, table.id, changes_.options)
      .value_or(changes_.default_inlining_row_limit);
}

uint64_t LakeTransaction::InsertInliningRowLimit(int64_t table_id) {
  if (!CanInline(store_.dialect(), TableById(table_id).columns)) return 0;
  return InliningRowLimit(table_id);
}

uint64_t LakeTransaction::InsertInliningRowLimit(const std::string& schema, const std::vector<ColumnInfo>& columns) {
  SchemaInfo& found = FindSchema(schema);
  if (!CanInline(store_.dialect(), columns)) return 0;
  return InliningRowLimitOption(store_, found.id, /*table_id=*/-1, changes_.options)
      .value_or(changes_.default_inlining_row_limit);
}

void LakeTransaction::AppendInlinedRows(int64_t table_id, InlinedRows rows) {
  TableInfo& table = TableById(table_id);
  for (const ColumnInfo& column : table.columns) {
    if (column.nulls_allowed) continue;
    for (const FileColumnStats& stats : rows.stats)
      if (stats.column_id == column.column_id && stats.null_count.value_or(0) > 0)
        throw Error(fmt::format("NOT NULL constraint failed: {}.{}", QuoteName(table.name), QuoteName(column.name)));
  }
  if (rows.rows.empty()) return;
  rows.batch = next_inlined_batch_++;
  rows.deleted.assign(rows.rows.size(), false);
  if (rows.row_ids.size() != rows.rows.size()) rows.row_ids.assign(rows.rows.size(), std::nullopt);
  DataChanges(table).inlined_inserts.push_back(std::move(rows));
}

int64_t LakeTransaction::DeleteInlinedBatchRows(int64_t table_id, int64_t batch,
                                                const std::vector<int64_t>& positions) {
  TableDataChanges& changes = DataChanges(TableById(table_id));
  auto rows = std::find_if(changes.inlined_inserts.begin(), changes.inlined_inserts.end(),
                           [&](const InlinedRows& r) { return r.batch == batch; });
  if (rows == changes.inlined_inserts.end())
    throw Error(fmt::format("inlined rows {} are not ones this transaction inserted", batch));
  int64_t count = 0;
  for (int64_t position : positions) {
    if (position < 0 || static_cast<size_t>(position) >= rows->deleted.size() || rows->deleted[position]) continue;
    rows->deleted[position] = true;
    ++count;
  }
  return count;
}

int64_t LakeTransaction::DeleteFileRowsInline(int64_t table_id, int64_t data_file_id,
                                              const std::vector<int64_t>& positions) {
  std::vector<int64_t>& deleted = DataChanges(TableById(table_id)).inlined_file_deletes[data_file_id];
  std::vector<int64_t> merged;
  std::set_union(deleted.begin(), deleted.end(), positions.begin(), positions.end(), std::back_inserter(merged));
  int64_t added = static_cast<int64_t>(merged.size() - deleted.size());
  deleted = std::move(merged);
  return added;
}

void LakeTransaction::SetOption(OptionChange option) {
  CheckOpen();
  std::erase_if(changes_.options, [&](const OptionChange& o) {
    return o.key == option.key && o.scope == option.scope && o.scope_id == option.scope_id;
  });
  changes_.options.push_back(std::move(option));
}

void LakeTransaction::FlushInlinedTable(int64_t table_id, const std::string& inlined_table, WrittenFile file) {
  TableDataChanges& changes = DataChanges(TableById(table_id));
  written_.push_back(file.uri);
  for (const WrittenFile& deletes : file.deletes) written_.push_back(deletes.uri);
  changes.flushed_inlined_tables.push_back(inlined_table);
  changes.data_files.push_back(std::move(file));
}

bool LakeTransaction::Flushes() const {
  return std::any_of(changes_.data.begin(), changes_.data.end(),
                     [](const auto& entry) { return entry.second.Flushes(); });
}

void LakeTransaction::FlushInlinedDeletes(int64_t table_id, FlushedDeletes deletes) {
  TableDataChanges& changes = DataChanges(TableById(table_id));
  written_.push_back(deletes.file.uri);
  changes.flushed_deletes.push_back(std::move(deletes));
}

// --- commit --------------------------------------------------------------------------------

SnapshotId LakeTransaction::Commit() {
  CheckOpen();
  finished_ = true;
  // Files written and then superseded here (a second delete of one file, a dropped new table)
  // are referenced by nothing.
  std::set<std::string> kept;
  for (const auto& [table_id, data] : changes_.data) {
    for (const WrittenFile& file : data.data_files) {
      kept.insert(file.uri);
      for (const WrittenFile& deletes : file.deletes) kept.insert(deletes.uri);
    }
    for (const NewDeleteFile& deletion : data.delete_files) kept.insert(deletion.file.uri);
    for (const FlushedDeletes& flushed : data.flushed_deletes) kept.insert(flushed.file.uri);
  }
  std::vector<std::string> superseded;
  for (const std::string& uri : written_)
    if (!kept.count(uri)) superseded.push_back(uri);

  // The columns at commit of the tables whose inlined data tables the commit writes or makes.
  std::set<int64_t> laid_out(changes_.reshaped_tables.begin(), changes_.reshaped_tables.end());
  for (const auto& table : changes_.new_tables)
    if (table.created) laid_out.insert(table.id);
  for (const auto& [table_id, data] : changes_.data)
    if (data.InsertsInlined()) laid_out.insert(table_id);
  for (int64_t table_id : laid_out)
    for (SchemaInfo& schema : state_.schemas)
      for (const TableInfo& table : schema.tables)
        if (table.id == table_id) changes_.layouts[table_id] = {schema.id, table.columns};

  SnapshotId committed = base_snapshot_;
  if (!changes_.empty() || !changes_.options.empty()) {
    if (options_.before_metadata_commit) options_.before_metadata_commit();
    try {
      committed = CommitChangeSet(store_, changes_, base_snapshot_).id;
    } catch (...) {
      RemoveFiles(written_);
      throw;
    }
  }
  RemoveFiles(superseded);
  return committed;
}

// Best effort: a file that stays is an orphan, which `dlctl lake cleanup` finds.
void LakeTransaction::RemoveFiles(const std::vector<std::string>& uris) {
  if (!options_.store) return;
  for (const std::string& uri : uris) {
    try {
      if (auto key = options_.store->KeyOf(uri)) options_.store->Delete(*key);
    } catch (const std::exception&) {
    }
  }
}

}  // namespace dlctl::lake
