#include "lake/catalog/lake_catalog.h"

#include "duckdb/catalog/catalog_entry/schema_catalog_entry.hpp"
#include "duckdb/parser/parsed_data/create_schema_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/storage/database_size.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/catalog/snapshot_entries.h"
#include "lake/metadata/catalog_reader.h"
#include "lake/metadata/catalog_schema.h"
#include "util/error.h"

namespace dlctl::lake {

namespace {

// Write connections kept between transactions: one per thread writing at once is plenty.
constexpr size_t kIdleWriteStores = 4;

// Snapshots whose entries stay cached besides those in use: a process reads a few snapshots of
// a catalog (each commit of a transform makes one), never many at once.
constexpr size_t kCachedSnapshots = 8;

}  // namespace

LakeCatalog::LakeCatalog(duckdb::AttachedDatabase& db, CatalogSource source)
    : duckdb::Catalog(db), source_(std::move(source)) {
  if (!source_.data_path.empty() && source_.data_path.back() != '/') source_.data_path += '/';
}

LakeCatalog::~LakeCatalog() = default;

MetadataStore& LakeCatalog::Store() {
  if (store_ && store_->Replaced()) {
    // Another catalog now (restored from a backup): its snapshots are not the ones cached.
    store_.reset();
    version_checked_ = false;
    ForgetCachedSnapshots();
  }
  if (!store_) store_ = source_.open(false);
  if (!version_checked_ && IsCatalog(*store_)) {
    CheckSpecVersion(*store_);
    version_checked_ = true;
  }
  return *store_;
}

bool LakeCatalog::Exists() {
  std::lock_guard<std::mutex> lock(store_mutex_);
  if (exists_ && *exists_) return true;
  try {
    if (!store_) store_ = source_.open(false);
    exists_ = IsCatalog(*store_);  // a PostgreSQL schema without the tables is no catalog yet
  } catch (const NotFoundError&) {
    exists_ = false;
  }
  if (!*exists_) store_.reset();
  return *exists_;
}

std::unique_ptr<MetadataStore> LakeCatalog::TakeIdleStore() {
  std::lock_guard<std::mutex> lock(write_stores_mutex_);
  while (!idle_write_stores_.empty()) {
    std::unique_ptr<MetadataStore> store = std::move(idle_write_stores_.back());
    idle_write_stores_.pop_back();
    if (store->Reusable()) return store;
  }
  return nullptr;
}

std::unique_ptr<MetadataStore> LakeCatalog::TakeWriteStore() {
  if (std::unique_ptr<MetadataStore> idle = TakeIdleStore()) return idle;
  std::unique_ptr<MetadataStore> store = source_.open(true);
  CreateCatalogIfMissing(*store, source_.data_path);  // the first write creates the catalog
  CheckSpecVersion(*store);
  return store;
}

void LakeCatalog::ReturnWriteStore(std::unique_ptr<MetadataStore> store) {
  if (!store || !store->Reusable()) return;
  std::lock_guard<std::mutex> lock(write_stores_mutex_);
  if (idle_write_stores_.size() < kIdleWriteStores) idle_write_stores_.push_back(std::move(store));
}

CatalogState LakeCatalog::EmptyState() const {
  // What CreateCatalog writes: snapshot 0 with the schema "main" (id 0).
  CatalogState state;
  state.data_path = source_.data_path;
  state.snapshot.next_catalog_id = 1;
  state.with_files = false;
  SchemaInfo main;
  main.name = "main";
  main.path = source_.data_path + "main/";
  state.schemas.push_back(std::move(main));
  return state;
}

SnapshotId LakeCatalog::CurrentSnapshot() {
  if (source_.snapshot) return ResolveSnapshot(*source_.snapshot);
  if (!Exists()) return 0;
  return WithStore([](MetadataStore& store) {
    auto rows = store.Query("SELECT max(snapshot_id) FROM ducklake_snapshot");
    if (rows.empty() || rows[0].IsNull(0)) throw Error("catalog " + store.Describe() + " has no snapshot");
    return rows[0].Int(0);
  });
}

SnapshotId LakeCatalog::ResolveSnapshot(const SnapshotSelector& selector) {
  if (!Exists()) {
    if (!selector.id && !selector.at_time) return 0;
    throw NotFoundError("catalog " + source_.name + " does not exist yet: it has no snapshots");
  }
  return WithStore([&](MetadataStore& store) {
    return CatalogReader(store, source_.data_path).ResolveSnapshot(selector).id;
  });
}

std::shared_ptr<const SnapshotEntries> LakeCatalog::EntriesAt(SnapshotId snapshot) {
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto cached = entries_.find(snapshot);
    if (cached != entries_.end()) return cached->second;
  }
  std::shared_ptr<const CatalogState> state;
  if (!Exists()) {
    state = std::make_shared<const CatalogState>(EmptyState());
  } else {
    state = WithStore([&](MetadataStore& store) {
      SnapshotSelector selector;
      selector.id = snapshot;
      return std::make_shared<const CatalogState>(
          CatalogReader(store, source_.data_path).Load(selector, /*with_files=*/false));
    });
  }
  auto entries = std::make_shared<const SnapshotEntries>(*this, std::move(state), false);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto [it, inserted] = entries_.emplace(snapshot, entries);
  // The oldest snapshots go first, never the one just asked for.
  for (auto old = entries_.begin(); entries_.size() > kCachedSnapshots && old != entries_.end();)
    old = old->first == snapshot ? std::next(old) : entries_.erase(old);
  return inserted ? entries : it->second;
}

std::shared_ptr<const std::vector<DataFileInfo>> LakeCatalog::TableFiles(const TableInfo& table, SnapshotId snapshot) {
  auto key = std::make_pair(table.id, snapshot);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto cached = files_.find(key);
    if (cached != files_.end()) return cached->second;
  }
  std::shared_ptr<const std::vector<DataFileInfo>> files;
  if (IsProvisionalId(table.id) || !Exists()) {
    files = std::make_shared<const std::vector<DataFileInfo>>();
  } else {
    files = WithStore([&](MetadataStore& store) {
      TableInfo copy;
      copy.id = table.id;
      copy.path = table.path;
      CatalogReader(store, source_.data_path).LoadTableFiles(copy, snapshot);
      return std::make_shared<const std::vector<DataFileInfo>>(std::move(copy.files));
    });
  }
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (files_.size() >= 64 * kCachedSnapshots) files_.clear();
  files_.emplace(key, files);
  return files;
}

std::shared_ptr<const std::map<int64_t, FileColumnStats>> LakeCatalog::FileStats(const TableInfo& table,
                                                                                 int64_t column_id,
                                                                                 SnapshotId snapshot) {
  auto key = std::make_tuple(table.id, column_id, snapshot);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto cached = file_stats_.find(key);
    if (cached != file_stats_.end()) return cached->second;
  }
  std::shared_ptr<const std::map<int64_t, FileColumnStats>> stats;
  if (IsProvisionalId(table.id) || !Exists()) {
    stats = std::make_shared<const std::map<int64_t, FileColumnStats>>();
  } else {
    stats = WithStore([&](MetadataStore& store) {
      return std::make_shared<const std::map<int64_t, FileColumnStats>>(
          CatalogReader(store, source_.data_path).ReadFileColumnStats(table.id, column_id));
    });
  }
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (file_stats_.size() >= 64 * kCachedSnapshots) file_stats_.clear();
  file_stats_.emplace(key, stats);
  return stats;
}

void LakeCatalog::ForgetCachedSnapshots() {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  entries_.clear();
  files_.clear();
  file_stats_.clear();
}

void LakeCatalog::CommittedSnapshot(SnapshotId snapshot) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  exists_ = true;
  last_committed_ = snapshot;
}

duckdb::optional_ptr<duckdb::CatalogEntry> LakeCatalog::CreateSchema(duckdb::CatalogTransaction transaction,
                                                                     duckdb::CreateSchemaInfo& info) {
  auto& engine_transaction = EngineTransaction::Get(transaction.GetContext(), *this);
  if (info.on_conflict == duckdb::OnCreateConflict::REPLACE_ON_CONFLICT)
    throw Error("CREATE OR REPLACE SCHEMA is not supported on DuckLake catalogs");
  engine_transaction.Writer().CreateSchema(info.schema,
                                           info.on_conflict == duckdb::OnCreateConflict::IGNORE_ON_CONFLICT);
  return engine_transaction.Entries().FindSchema(info.schema);
}

void LakeCatalog::DropSchema(duckdb::ClientContext& context, duckdb::DropInfo& info) {
  // DuckDB keeps every database's main schema, where unqualified names go; so do we.
  if (duckdb::StringUtil::CIEquals(info.name, DEFAULT_SCHEMA))
    throw duckdb::CatalogException(
        "Cannot drop schema \"main\" of catalog %s: every catalog keeps it, as DuckDB does (drop its tables instead)",
        GetName());
  auto& engine_transaction = EngineTransaction::Get(context, *this);
  engine_transaction.Writer().DropSchema(info.name, info.if_not_found == duckdb::OnEntryNotFound::RETURN_NULL,
                                         info.cascade);
}

void LakeCatalog::ScanSchemas(duckdb::ClientContext& context,
                              std::function<void(duckdb::SchemaCatalogEntry&)> callback) {
  for (auto& schema : EngineTransaction::Get(context, *this).Entries().schemas()) callback(*schema);
}

duckdb::optional_ptr<duckdb::SchemaCatalogEntry> LakeCatalog::LookupSchema(
    duckdb::CatalogTransaction transaction, const duckdb::EntryLookupInfo& schema_lookup,
    duckdb::OnEntryNotFound if_not_found) {
  auto& engine_transaction = EngineTransaction::Get(transaction.GetContext(), *this);
  LakeSchemaEntry* schema = nullptr;
  if (auto at = schema_lookup.GetAtClause())
    schema = engine_transaction.EntriesAt(*at)->FindSchema(schema_lookup.GetEntryName());
  else
    schema = engine_transaction.Entries().FindSchema(schema_lookup.GetEntryName());
  if (!schema && if_not_found == duckdb::OnEntryNotFound::THROW_EXCEPTION)
    throw duckdb::CatalogException("Schema with name \"%s\" does not exist in catalog \"%s\"",
                                   schema_lookup.GetEntryName(), GetName());
  return schema;
}

duckdb::unique_ptr<duckdb::LogicalOperator> LakeCatalog::BindCreateIndex(duckdb::Binder&, duckdb::CreateStatement&,
                                                                         duckdb::TableCatalogEntry&,
                                                                         duckdb::unique_ptr<duckdb::LogicalOperator>) {
  throw duckdb::NotImplementedException("DuckLake tables have no indexes");
}

duckdb::DatabaseSize LakeCatalog::GetDatabaseSize(duckdb::ClientContext&) {
  duckdb::DatabaseSize size;
  size.total_blocks = size.block_size = size.free_blocks = size.used_blocks = size.bytes = size.wal_size = 0;
  return size;
}

}  // namespace dlctl::lake
