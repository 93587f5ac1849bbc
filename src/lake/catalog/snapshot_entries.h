#pragma once
// The schema, table and view entries DuckDB's binder looks up, built from the catalog as one
// snapshot shows it, or as a write transaction sees it with its own changes (`local`). Entries
// never change once built: a transaction that changes the catalog's shape gets a new set, and
// keeps the old ones alive while statements may still hold them.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "duckdb/catalog/catalog_entry/schema_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/table_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/view_catalog_entry.hpp"
#include "lake/metadata/catalog_model.h"

namespace dlctl::lake {

struct ColumnDefinition;

// A CREATE TABLE's columns as the lake transaction takes them (types, constant defaults, NOT
// NULL); throws for what DuckLake cannot keep (other constraints, generated columns).
std::vector<ColumnDefinition> ColumnDefinitionsOf(const duckdb::CreateTableInfo& info);

class LakeCatalog;
class LakeSchemaEntry;
class SnapshotEntries;

class LakeTableEntry : public duckdb::TableCatalogEntry {
 public:
  LakeTableEntry(LakeCatalog& catalog, LakeSchemaEntry& schema, duckdb::CreateTableInfo& info,
                 const TableInfo& table, const SnapshotEntries& owner, std::string broken);

  const TableInfo& table() const { return table_; }
  const SnapshotEntries& owner() const { return owner_; }
  LakeCatalog& lake_catalog() const;

  duckdb::unique_ptr<duckdb::BaseStatistics> GetStatistics(duckdb::ClientContext& context,
                                                           duckdb::column_t column_id) override;
  duckdb::TableFunction GetScanFunction(duckdb::ClientContext& context,
                                        duckdb::unique_ptr<duckdb::FunctionData>& bind_data) override;
  duckdb::TableFunction GetScanFunction(duckdb::ClientContext& context,
                                        duckdb::unique_ptr<duckdb::FunctionData>& bind_data,
                                        const duckdb::EntryLookupInfo& lookup) override;
  duckdb::TableStorageInfo GetStorageInfo(duckdb::ClientContext& context) override;
  duckdb::virtual_column_map_t GetVirtualColumns() const override;
  duckdb::vector<duckdb::column_t> GetRowIdColumns() const override;
  void BindUpdateConstraints(duckdb::Binder& binder, duckdb::LogicalGet& get, duckdb::LogicalProjection& proj,
                             duckdb::LogicalUpdate& update, duckdb::ClientContext& context) override;

 private:
  const TableInfo& table_;
  const SnapshotEntries& owner_;
  std::string broken_;  // why the table cannot be read (a type DuckDB lacks), else empty
};

class LakeViewEntry : public duckdb::ViewCatalogEntry {
 public:
  LakeViewEntry(LakeCatalog& catalog, LakeSchemaEntry& schema, duckdb::CreateViewInfo& info, const ViewInfo& view);

  const ViewInfo& view() const { return view_; }
  // The stored SQL, parsed when a query first uses the view; {DUCKLAKE_CATALOG} stands for the
  // name the catalog is attached under.
  const duckdb::SelectStatement& GetQuery() override;
  bool HasTypes() const override { return false; }
  // Fills the view's column names and types (for listings such as duckdb_columns()) by binding
  // its query once; a view that does not bind keeps none.
  void EnsureDescribed(duckdb::ClientContext& context);
  duckdb::unique_ptr<duckdb::CreateInfo> GetInfo() const override;
  std::string ToSQL() const override;

 private:
  duckdb::unique_ptr<duckdb::SelectStatement> Parse() const;

  const ViewInfo& view_;
  std::recursive_mutex mutex_;
  bool described_ = false;
};

class LakeSchemaEntry : public duckdb::SchemaCatalogEntry {
 public:
  LakeSchemaEntry(LakeCatalog& catalog, duckdb::CreateSchemaInfo& info, const SchemaInfo& schema,
                  const SnapshotEntries& owner);

  const SchemaInfo& schema() const { return schema_; }
  LakeTableEntry* FindTable(const std::string& name) const;
  LakeViewEntry* FindView(const std::string& name) const;

  // --- duckdb::SchemaCatalogEntry: reads from the entries, writes to the transaction --------------
  void Scan(duckdb::ClientContext& context, duckdb::CatalogType type,
            const std::function<void(duckdb::CatalogEntry&)>& callback) override;
  void Scan(duckdb::CatalogType type, const std::function<void(duckdb::CatalogEntry&)>& callback) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> LookupEntry(duckdb::CatalogTransaction transaction,
                                                         const duckdb::EntryLookupInfo& lookup) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateTable(duckdb::CatalogTransaction transaction,
                                                         duckdb::BoundCreateTableInfo& info) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateView(duckdb::CatalogTransaction transaction,
                                                        duckdb::CreateViewInfo& info) override;
  void DropEntry(duckdb::ClientContext& context, duckdb::DropInfo& info) override;
  void Alter(duckdb::CatalogTransaction transaction, duckdb::AlterInfo& info) override;

  duckdb::optional_ptr<duckdb::CatalogEntry> CreateIndex(duckdb::CatalogTransaction, duckdb::CreateIndexInfo&,
                                                         duckdb::TableCatalogEntry&) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateFunction(duckdb::CatalogTransaction,
                                                            duckdb::CreateFunctionInfo&) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateSequence(duckdb::CatalogTransaction,
                                                            duckdb::CreateSequenceInfo&) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateTableFunction(duckdb::CatalogTransaction,
                                                                 duckdb::CreateTableFunctionInfo&) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateCopyFunction(duckdb::CatalogTransaction,
                                                                duckdb::CreateCopyFunctionInfo&) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreatePragmaFunction(duckdb::CatalogTransaction,
                                                                  duckdb::CreatePragmaFunctionInfo&) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateCollation(duckdb::CatalogTransaction,
                                                             duckdb::CreateCollationInfo&) override;
  duckdb::optional_ptr<duckdb::CatalogEntry> CreateType(duckdb::CatalogTransaction, duckdb::CreateTypeInfo&) override;

 private:
  friend class SnapshotEntries;
  const SchemaInfo& schema_;
  std::vector<std::unique_ptr<LakeTableEntry>> tables_;
  std::vector<std::unique_ptr<LakeViewEntry>> views_;
  std::mutex functions_mutex_;
  duckdb::unique_ptr<duckdb::CatalogEntry> set_commit_message_, set_option_;
};

class SnapshotEntries {
 public:
  // `state` must hold the schemas' tables and views (files are not needed).
  SnapshotEntries(LakeCatalog& catalog, std::shared_ptr<const CatalogState> state, bool local);
  ~SnapshotEntries();

  const CatalogState& state() const { return *state_; }
  SnapshotId snapshot() const { return state_->snapshot.id; }
  // Built from a write transaction's own view of the catalog.
  bool local() const { return local_; }

  LakeSchemaEntry* FindSchema(const std::string& name) const;
  const std::vector<std::unique_ptr<LakeSchemaEntry>>& schemas() const { return schemas_; }

 private:
  std::shared_ptr<const CatalogState> state_;
  bool local_;
  std::vector<std::unique_ptr<LakeSchemaEntry>> schemas_;
};

}  // namespace dlctl::lake
