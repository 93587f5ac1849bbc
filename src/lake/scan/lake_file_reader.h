#pragma once
// DuckDB's Parquet scan, steered to a lake table: the table's columns are matched to each
// file's by field id (= DuckLake column id), so renamed, added and dropped columns read right,
// with a column's initial default where a file predates it; each file skips its deleted rows
// and, in a file of several snapshots, the rows committed after the scan's snapshot; row ids
// come from the catalog; inlined data tables are read as if they were files.
#include <memory>

#include "duckdb/common/multi_file/multi_file_reader.hpp"
#include "lake/scan/scan_info.h"

namespace dlctl::lake {

class LakeFileReader : public duckdb::MultiFileReader {
 public:
  explicit LakeFileReader(duckdb::shared_ptr<ScanInfo> info);

  static duckdb::unique_ptr<duckdb::MultiFileReader> CreateInstance(const duckdb::TableFunction& function);

  duckdb::shared_ptr<duckdb::MultiFileList> CreateFileList(duckdb::ClientContext& context,
                                                           const duckdb::vector<std::string>& paths,
                                                           const duckdb::FileGlobInput& glob_input) override;
  bool Bind(duckdb::MultiFileOptions& options, duckdb::MultiFileList& files,
            duckdb::vector<duckdb::LogicalType>& return_types, duckdb::vector<std::string>& names,
            duckdb::MultiFileReaderBindData& bind_data) override;
  void BindOptions(duckdb::MultiFileOptions& options, duckdb::MultiFileList& files,
                   duckdb::vector<duckdb::LogicalType>& return_types, duckdb::vector<std::string>& names,
                   duckdb::MultiFileReaderBindData& bind_data) override {}
  duckdb::ReaderInitializeType InitializeReader(duckdb::MultiFileReaderData& reader_data,
                                                const duckdb::MultiFileBindData& bind_data,
                                                const duckdb::vector<duckdb::MultiFileColumnDefinition>& global_columns,
                                                const duckdb::vector<duckdb::ColumnIndex>& global_column_ids,
                                                duckdb::optional_ptr<duckdb::TableFilterSet> table_filters,
                                                duckdb::ClientContext& context,
                                                duckdb::MultiFileGlobalState& gstate) override;
  duckdb::shared_ptr<duckdb::BaseFileReader> CreateReader(duckdb::ClientContext& context,
                                                          duckdb::GlobalTableFunctionState& gstate,
                                                          const duckdb::OpenFileInfo& file, duckdb::idx_t file_idx,
                                                          const duckdb::MultiFileBindData& bind_data) override;
  duckdb::shared_ptr<duckdb::BaseFileReader> CreateReader(duckdb::ClientContext& context,
                                                          const duckdb::OpenFileInfo& file,
                                                          duckdb::BaseFileReaderOptions& options,
                                                          const duckdb::MultiFileOptions& file_options,
                                                          duckdb::MultiFileReaderInterface& interface) override;
  duckdb::unique_ptr<duckdb::Expression> GetVirtualColumnExpression(
      duckdb::ClientContext& context, duckdb::MultiFileReaderData& reader_data,
      const duckdb::vector<duckdb::MultiFileColumnDefinition>& local_columns, duckdb::idx_t& column_id,
      const duckdb::LogicalType& type, duckdb::MultiFileLocalIndex local_index,
      duckdb::optional_ptr<duckdb::MultiFileColumnDefinition>& global_column_reference) override;
  duckdb::unique_ptr<duckdb::MultiFileReader> Copy() const override;

  // The table's columns as the multi-file reader maps them (field id = column id); with
  // `map_key_value`, a map's key and value sit under a "key_value" child, as readers other
  // than Parquet's expect.
  static duckdb::vector<duckdb::MultiFileColumnDefinition> GlobalColumns(const TableInfo& table,
                                                                         bool map_key_value = false);

 private:
  duckdb::shared_ptr<duckdb::BaseFileReader> TryInlinedReader(const duckdb::OpenFileInfo& file);

  duckdb::shared_ptr<ScanInfo> info_;
  duckdb::MultiFileColumnDefinition row_id_column_;
  duckdb::MultiFileColumnDefinition snapshot_column_;
};

}  // namespace dlctl::lake
