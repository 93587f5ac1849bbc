#include "lake/catalog/engine_transaction.h"

#include <algorithm>

#include "duckdb/main/attached_database.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/planner/tableref/bound_at_clause.hpp"
#include "lake/metadata/catalog_reader.h"
#include "lake/metadata/catalog_time.h"
#include "lake/write/inlining_limit.h"
#include "util/error.h"

namespace dlctl::lake {

EngineTransaction::EngineTransaction(LakeCatalog& catalog, duckdb::TransactionManager& manager,
                                     duckdb::ClientContext& context)
    : duckdb::Transaction(manager, context), catalog_(catalog) {}

EngineTransaction::~EngineTransaction() {
  writer_.reset();
  catalog_.ReturnWriteStore(std::move(write_store_));
}

EngineTransaction& EngineTransaction::Get(duckdb::ClientContext& context, duckdb::Catalog& catalog) {
  return duckdb::Transaction::Get(context, catalog).Cast<EngineTransaction>();
}

SnapshotId EngineTransaction::Snapshot() {
  if (!snapshot_) snapshot_ = catalog_.CurrentSnapshot();
  return *snapshot_;
}

const SnapshotEntries& EngineTransaction::Entries() {
  if (writer_ && (local_entries_ || writer_->shape_version() != 0)) {
    if (!local_entries_ || local_shape_ != writer_->shape_version()) {
      if (local_entries_) retired_.push_back(std::move(local_entries_));
      local_entries_ =
          std::make_shared<const SnapshotEntries>(catalog_, std::make_shared<const CatalogState>(writer_->state()), true);
      local_shape_ = writer_->shape_version();
    }
    return *local_entries_;
  }
  if (!entries_) entries_ = catalog_.EntriesAt(Snapshot());
  return *entries_;
}

std::shared_ptr<const SnapshotEntries> EngineTransaction::EntriesAt(const duckdb::BoundAtClause& at) {
  SnapshotSelector selector;
  std::string unit = duckdb::StringUtil::Lower(at.Unit());
  if (unit == "version") {
    selector.id = at.GetValue().DefaultCastAs(duckdb::LogicalType::BIGINT).GetValue<int64_t>();
  } else if (unit == "timestamp") {
    selector.at_time = at.GetValue().DefaultCastAs(duckdb::LogicalType::TIMESTAMP_TZ).ToString();
  } else {
    throw duckdb::BinderException("AT (%s => ...) is not supported: use VERSION or TIMESTAMP", at.Unit());
  }
  std::shared_ptr<const SnapshotEntries> entries;
  try {
    entries = catalog_.EntriesAt(catalog_.ResolveSnapshot(selector));
  } catch (const NotFoundError& e) {
    throw duckdb::BinderException(e.what());
  }
  // The binder keeps pointers to these entries: they live as long as the transaction, whatever
  // the catalog's cache drops meanwhile.
  if (std::find(retired_.begin(), retired_.end(), entries) == retired_.end()) retired_.push_back(entries);
  return entries;
}

LakeTransaction& EngineTransaction::Writer() {
  if (writer_) return *writer_;
  if (catalog_.read_only())
    throw duckdb::InvalidInputException(
        "catalog \"%s\" is attached read-only at a past snapshot: nothing can be written to it", catalog_.GetName());
  SetReadWrite();
  const CatalogSource& source = catalog_.source();
  write_store_ = catalog_.TakeWriteStore();
  // The writer starts from the entries the transaction reads, already loaded; snapshot 0 is
  // the catalog the first write just created, which the reader never saw.
  CatalogState base;
  if (Snapshot() != 0) {
    base = Entries().state();
  } else {
    SnapshotSelector at;
    at.id = 0;
    base = CatalogReader(*write_store_, source.data_path).Load(at, /*with_files=*/false);
  }
  WriteOptions write = source.write;
  if (!write.data_inlining_row_limit) {
    // The catalog's attach leaves it to the session: SET ducklake_default_data_inlining_row_limit.
    duckdb::Value setting;
    auto client = context.lock();
    if (client && client->TryGetCurrentSetting(kInliningRowLimitSetting, setting) && !setting.IsNull())
      write.data_inlining_row_limit = setting.GetValue<uint64_t>();
  }
  writer_ = std::make_unique<LakeTransaction>(*write_store_, std::move(base), std::move(write));
  return *writer_;
}

void EngineTransaction::Commit() {
  if (!writer_) return;
  bool flushes = writer_->Flushes();
  SnapshotId committed = writer_->Commit();
  if (committed != writer_->base_snapshot()) catalog_.CommittedSnapshot(committed);
  if (flushes) catalog_.ForgetCachedSnapshots();
}

void EngineTransaction::Rollback() {
  writer_.reset();  // removes the files it wrote
}

LakeTransactionManager::LakeTransactionManager(duckdb::AttachedDatabase& db, LakeCatalog& catalog)
    : duckdb::TransactionManager(db), catalog_(catalog) {}

duckdb::Transaction& LakeTransactionManager::StartTransaction(duckdb::ClientContext& context) {
  auto transaction = std::make_unique<EngineTransaction>(catalog_, *this, context);
  auto& result = *transaction;
  std::lock_guard<std::mutex> lock(mutex_);
  transactions_[&result] = std::move(transaction);
  return result;
}

duckdb::ErrorData LakeTransactionManager::CommitTransaction(duckdb::ClientContext& context,
                                                            duckdb::Transaction& transaction) {
  auto& engine_transaction = transaction.Cast<EngineTransaction>();
  duckdb::ErrorData error;
  try {
    engine_transaction.Commit();
  } catch (const std::exception& e) {
    error = duckdb::ErrorData(duckdb::ExceptionType::TRANSACTION, e.what());
  }
  std::unique_ptr<EngineTransaction> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = transactions_.find(&transaction);
    if (found != transactions_.end()) {
      done = std::move(found->second);
      transactions_.erase(found);
    }
  }
  return error;
}

void LakeTransactionManager::RollbackTransaction(duckdb::Transaction& transaction) {
  std::unique_ptr<EngineTransaction> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = transactions_.find(&transaction);
    if (found == transactions_.end()) return;  // already finished by a failed commit
    done = std::move(found->second);
    transactions_.erase(found);
  }
  done->Rollback();
}

}  // namespace dlctl::lake
