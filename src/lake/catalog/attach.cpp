#include "lake/catalog/attach.h"

#include <atomic>
#include <map>
#include <mutex>

#include "duckdb.hpp"
#include "duckdb/main/attached_database.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/main/database_manager.hpp"
#include "duckdb/parser/parsed_data/attach_info.hpp"
#include "duckdb/storage/storage_extension.hpp"
#include "lake/catalog/engine_transaction.h"
#include "lake/catalog/lake_catalog.h"
#include "lake/write/inlined_flush.h"
#include "lake/write/inlining_limit.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::lake {

namespace {

// ATTACH '<token>' AS name (TYPE dlctl_ducklake): the token names a CatalogSource handed over
// just before, since ATTACH options can only carry plain values.
constexpr const char* kStorageType = "dlctl_ducklake";

struct PendingSources : duckdb::StorageExtensionInfo {
  std::mutex mutex;
  std::map<std::string, CatalogSource> by_token;
};

duckdb::unique_ptr<duckdb::Catalog> AttachLake(duckdb::optional_ptr<duckdb::StorageExtensionInfo> info,
                                               duckdb::ClientContext&, duckdb::AttachedDatabase& db,
                                               const std::string&, duckdb::AttachInfo& attach,
                                               duckdb::AttachOptions&) {
  auto& pending = dynamic_cast<PendingSources&>(*info);
  std::lock_guard<std::mutex> lock(pending.mutex);
  auto found = pending.by_token.find(attach.path);
  if (found == pending.by_token.end())
    throw duckdb::InvalidInputException("no DuckLake catalog was prepared for \"%s\"", attach.path);
  CatalogSource source = std::move(found->second);
  pending.by_token.erase(found);
  return duckdb::make_uniq<LakeCatalog>(db, std::move(source));
}

duckdb::unique_ptr<duckdb::TransactionManager> CreateTransactionManager(
    duckdb::optional_ptr<duckdb::StorageExtensionInfo>, duckdb::AttachedDatabase& db, duckdb::Catalog& catalog) {
  return duckdb::make_uniq<LakeTransactionManager>(db, catalog.Cast<LakeCatalog>());
}

PendingSources& Registered(duckdb::DatabaseInstance& db) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  auto& extensions = duckdb::DBConfig::GetConfig(db).storage_extensions;
  auto found = extensions.find(kStorageType);
  if (found == extensions.end()) {
    auto extension = duckdb::make_uniq<duckdb::StorageExtension>();
    extension->attach = AttachLake;
    extension->create_transaction_manager = CreateTransactionManager;
    extension->storage_info = duckdb::make_shared_ptr<PendingSources>();
    found = extensions.emplace(kStorageType, std::move(extension)).first;
    duckdb::DBConfig::GetConfig(db).AddExtensionOption(
        kFilePruningSetting, "skip lake data files whose statistics show no row can match a filter",
        duckdb::LogicalType::BOOLEAN, duckdb::Value::BOOLEAN(true));
    duckdb::DBConfig::GetConfig(db).AddExtensionOption(
        kInliningRowLimitSetting,
        "inserts of at most this many rows into a lake table without a data_inlining_row_limit option are kept in "
        "the catalog instead of a Parquet file (0: never)",
        duckdb::LogicalType::UBIGINT, duckdb::Value::UBIGINT(kDefaultInliningRowLimit));
    RegisterFlushFunction(db);
  }
  return dynamic_cast<PendingSources&>(*found->second->storage_info);
}

}  // namespace

void AttachCatalog(Engine& engine, CatalogSource source) {
  static std::atomic<uint64_t> counter{0};
  std::string token = "dlctl-lake-" + source.name + "-" + std::to_string(counter++);
  std::string name = source.name;
  bool read_only = source.snapshot.has_value();
  PendingSources& pending = Registered(engine.database());
  {
    std::lock_guard<std::mutex> lock(pending.mutex);
    pending.by_token.emplace(token, std::move(source));
  }
  engine.Query("DETACH DATABASE IF EXISTS " + SqlIdentifier(name));
  engine.Query("ATTACH " + SqlLiteral(token) + " AS " + SqlIdentifier(name) + " (TYPE " + kStorageType +
               (read_only ? ", READ_ONLY)" : ")"));
}

std::optional<SnapshotId> LastCommittedSnapshot(Engine& engine, const std::string& name) {
  auto database = engine.database().GetDatabaseManager().GetDatabase(name);
  auto* lake = database ? dynamic_cast<LakeCatalog*>(&database->GetCatalog()) : nullptr;
  if (!lake) throw Error(name + " is not a lake catalog");
  return lake->last_committed();
}

}  // namespace dlctl::lake
