#pragma once
// One DuckLake catalog as a DuckDB catalog (DuckDB's Catalog API, as its own ducklake, sqlite
// and postgres extensions implement it). Reads go through entries built from the catalog's
// metadata at a snapshot (catalog/snapshot_entries.h) and DuckDB's Parquet reader (scan/);
// writes are planned by DuckDB into our operators (write/*_operator.h) and committed by the
// transaction (catalog/engine_transaction.h) as one snapshot.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "duckdb/catalog/catalog.hpp"
#include "lake/catalog/catalog_source.h"
#include "lake/metadata/catalog_model.h"
#include "lake/metadata/column_stats.h"

namespace dlctl::lake {

class SnapshotEntries;

class LakeCatalog : public duckdb::Catalog {
 public:
  LakeCatalog(duckdb::AttachedDatabase& db, CatalogSource source);
  ~LakeCatalog() override;

  // --- duckdb::Catalog ----------------------------------------------------------------------
  void Initialize(bool) override {}
  std::string GetCatalogType() override { return "ducklake"; }
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateSchema(duckdb::CatalogTransaction transaction,
                                                          duckdb::CreateSchemaInfo& info) override;
  void ScanSchemas(duckdb::ClientContext& context, std::function<void(duckdb::SchemaCatalogEntry&)> callback) override;
  duckdb::optional_ptr<duckdb::SchemaCatalogEntry> LookupSchema(duckdb::CatalogTransaction transaction,
                                                                const duckdb::EntryLookupInfo& schema_lookup,
                                                                duckdb::OnEntryNotFound if_not_found) override;
  duckdb::PhysicalOperator& PlanInsert(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                       duckdb::LogicalInsert& op,
                                       duckdb::optional_ptr<duckdb::PhysicalOperator> plan) override;
  duckdb::PhysicalOperator& PlanCreateTableAs(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                              duckdb::LogicalCreateTable& op, duckdb::PhysicalOperator& plan) override;
  duckdb::PhysicalOperator& PlanDelete(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                       duckdb::LogicalDelete& op, duckdb::PhysicalOperator& plan) override;
  duckdb::PhysicalOperator& PlanUpdate(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                       duckdb::LogicalUpdate& op, duckdb::PhysicalOperator& plan) override;
  duckdb::PhysicalOperator& PlanMergeInto(duckdb::ClientContext& context, duckdb::PhysicalPlanGenerator& planner,
                                          duckdb::LogicalMergeInto& op, duckdb::PhysicalOperator& plan) override;
  duckdb::unique_ptr<duckdb::LogicalOperator> BindCreateIndex(duckdb::Binder& binder,
                                                              duckdb::CreateStatement& stmt,
                                                              duckdb::TableCatalogEntry& table,
                                                              duckdb::unique_ptr<duckdb::LogicalOperator> plan) override;
  duckdb::DatabaseSize GetDatabaseSize(duckdb::ClientContext& context) override;
  bool InMemory() override { return false; }
  std::string GetDBPath() override { return source_.data_path; }
  bool SupportsTimeTravel() const override { return true; }

  // --- ours -----------------------------------------------------------------------------------
  const CatalogSource& source() const { return source_; }
  // Attached at a fixed snapshot: nothing can be written.
  bool read_only() const { return source_.snapshot.has_value(); }

  // The snapshot a new transaction reads: the attached one, else the latest committed one
  // (0 while the catalog does not exist yet).
  SnapshotId CurrentSnapshot();
  // The snapshot an AT (VERSION => n) / AT (TIMESTAMP => t) clause or --snapshot names.
  SnapshotId ResolveSnapshot(const SnapshotSelector& selector);
  // The catalog's entries at a committed snapshot, loaded once and shared.
  std::shared_ptr<const SnapshotEntries> EntriesAt(SnapshotId snapshot);
  // The committed data and delete files of a table at a snapshot, read once and shared.
  std::shared_ptr<const std::vector<DataFileInfo>> TableFiles(const TableInfo& table, SnapshotId snapshot);
  // The stats of one column of a table's data files as of a snapshot, by data file id, read once
  // and shared: every query filtering on the column prunes the table's files with them.
  std::shared_ptr<const std::map<int64_t, FileColumnStats>> FileStats(const TableInfo& table, int64_t column_id,
                                                                      SnapshotId snapshot);

  // Runs `read` with a connection to the catalog: an idle write connection if there is one (the
  // one that made the last commit knows the catalog's tables as they are now, where any other
  // connection first reads them again after a commit that created one), else the catalog's read
  // connection, opened on first use, one caller at a time. Throws NotFoundError while the
  // catalog does not exist.
  template <typename Read>
  auto WithStore(Read&& read) {
    if (std::unique_ptr<MetadataStore> idle = TakeIdleStore()) {
      struct GiveBack {
        LakeCatalog& catalog;
        std::unique_ptr<MetadataStore>& store;
        ~GiveBack() { catalog.ReturnWriteStore(std::move(store)); }
      } give_back{*this, idle};
      return read(*idle);
    }
    std::lock_guard<std::mutex> lock(store_mutex_);
    return read(Store());
  }
  // Whether the catalog's metadata exists (it is created by the first write).
  bool Exists();
  // A connection for one write transaction: one an earlier transaction gave back if it is still
  // usable, else a new one (creating the catalog if it does not exist yet). Opening a SQLite
  // catalog and checking it costs about a millisecond, which every model of a transform paid.
  std::unique_ptr<MetadataStore> TakeWriteStore();
  // A finished write transaction's connection, kept for the next one.
  void ReturnWriteStore(std::unique_ptr<MetadataStore> store);
  // A kept connection that is still usable, or none.
  std::unique_ptr<MetadataStore> TakeIdleStore();
  // Records a commit of this process (the catalog exists now).
  void CommittedSnapshot(SnapshotId snapshot);
  // Drops the cached entries, file lists and file stats of every snapshot: a flush of inlined data changed
  // what earlier snapshots read from (their rows moved to Parquet files).
  void ForgetCachedSnapshots();
  std::optional<SnapshotId> last_committed() const {
    std::lock_guard<std::mutex> lock(store_mutex_);
    return last_committed_;
  }

 private:
  void DropSchema(duckdb::ClientContext& context, duckdb::DropInfo& info) override;
  MetadataStore& Store();  // store_mutex_ held
  CatalogState EmptyState() const;

  CatalogSource source_;
  mutable std::mutex store_mutex_;
  std::unique_ptr<MetadataStore> store_;
  std::optional<bool> exists_;
  bool version_checked_ = false;
  std::optional<SnapshotId> last_committed_;
  std::mutex write_stores_mutex_;
  std::vector<std::unique_ptr<MetadataStore>> idle_write_stores_;

  std::mutex cache_mutex_;
  std::map<SnapshotId, std::shared_ptr<const SnapshotEntries>> entries_;
  std::map<std::pair<int64_t, SnapshotId>, std::shared_ptr<const std::vector<DataFileInfo>>> files_;
  // (table id, column id, snapshot) -> stats by data file id
  std::map<std::tuple<int64_t, int64_t, SnapshotId>, std::shared_ptr<const std::map<int64_t, FileColumnStats>>>
      file_stats_;
};

}  // namespace dlctl::lake
