#pragma once
// A DuckDB transaction on one lake catalog. It reads one snapshot, pinned when it first reads
// (snapshot isolation: its statements never see another writer's commit); its first write
// starts a LakeTransaction, whose changes only it sees until COMMIT makes them one snapshot.
// ROLLBACK (or a failed statement in autocommit) writes nothing and removes its files.
#include <memory>
#include <optional>
#include <vector>

#include "duckdb/transaction/transaction.hpp"
#include "duckdb/transaction/transaction_manager.hpp"
#include "lake/catalog/lake_catalog.h"
#include "lake/catalog/snapshot_entries.h"
#include "lake/write/lake_transaction.h"

namespace duckdb {
class BoundAtClause;
}

namespace dlctl::lake {

class EngineTransaction : public duckdb::Transaction {
 public:
  EngineTransaction(LakeCatalog& catalog, duckdb::TransactionManager& manager, duckdb::ClientContext& context);
  ~EngineTransaction() override;

  static EngineTransaction& Get(duckdb::ClientContext& context, duckdb::Catalog& catalog);

  LakeCatalog& catalog() { return catalog_; }
  // The snapshot the transaction reads.
  SnapshotId Snapshot();
  // The entries the transaction sees: its snapshot's, or its own once it changed the catalog.
  const SnapshotEntries& Entries();
  // The entries of an AT (VERSION => n | TIMESTAMP => t) clause.
  std::shared_ptr<const SnapshotEntries> EntriesAt(const duckdb::BoundAtClause& at);

  // The write transaction, started on first use at the transaction's snapshot (creating the
  // catalog if it does not exist yet). Refused on a catalog attached at a fixed snapshot.
  LakeTransaction& Writer();
  // The write transaction if one started.
  LakeTransaction* writer() { return writer_.get(); }

  void Commit();
  void Rollback();

 private:
  LakeCatalog& catalog_;
  std::optional<SnapshotId> snapshot_;
  std::shared_ptr<const SnapshotEntries> entries_;  // at snapshot_
  // The writer's view, rebuilt when its shape changes.
  std::shared_ptr<const SnapshotEntries> local_entries_;
  uint64_t local_shape_ = 0;
  // Entries the transaction's statements may still point into (earlier views of the writer,
  // AT (VERSION => n) snapshots): they stay alive with the transaction.
  std::vector<std::shared_ptr<const SnapshotEntries>> retired_;
  std::unique_ptr<MetadataStore> write_store_;
  std::unique_ptr<LakeTransaction> writer_;
};

class LakeTransactionManager : public duckdb::TransactionManager {
 public:
  LakeTransactionManager(duckdb::AttachedDatabase& db, LakeCatalog& catalog);

  duckdb::Transaction& StartTransaction(duckdb::ClientContext& context) override;
  duckdb::ErrorData CommitTransaction(duckdb::ClientContext& context, duckdb::Transaction& transaction) override;
  void RollbackTransaction(duckdb::Transaction& transaction) override;
  void Checkpoint(duckdb::ClientContext&, bool = false) override {}

 private:
  LakeCatalog& catalog_;
  std::mutex mutex_;
  std::map<duckdb::Transaction*, std::unique_ptr<EngineTransaction>> transactions_;
};

}  // namespace dlctl::lake
