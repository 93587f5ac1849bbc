#pragma once
// Rows DuckLake keeps in the catalog instead of a Parquet file (an inlined data table,
// ducklake_inlined_data_<table>_<schema version>), read as if they were one more file of the
// table: its columns carry the same field ids, so the multi-file reader maps them like a
// Parquet file's (renamed columns by id, later columns by their initial default).
#include <mutex>
#include <optional>
#include <vector>

#include "duckdb/common/multi_file/base_file_reader.hpp"
#include "duckdb/common/types/column/column_data_collection.hpp"
#include "lake/scan/scan_info.h"

namespace dlctl::lake {

// A value as the catalog database returned it from an inlined data table, as a value of `type`.
duckdb::Value InlinedValue(const Value& stored, const duckdb::LogicalType& type);

class InlinedDataReader : public duckdb::BaseFileReader {
 public:
  // `table_columns`: the table's columns as the multi-file reader maps them; those the inlined
  // table has (by column id) become this reader's columns, after its row id and snapshot.
  // `inlined` is a committed inlined data table, or with `batch` set the rows the scanning
  // transaction inlined itself (its columns those of the batch).
  InlinedDataReader(duckdb::shared_ptr<ScanInfo> info, const duckdb::OpenFileInfo& file, InlinedTableInfo inlined,
                    std::optional<int64_t> batch,
                    const duckdb::vector<duckdb::MultiFileColumnDefinition>& table_columns,
                    const duckdb::MultiFileColumnDefinition& row_id_column,
                    const duckdb::MultiFileColumnDefinition& snapshot_column);

  bool TryInitializeScan(duckdb::ClientContext& context, duckdb::GlobalTableFunctionState& gstate,
                         duckdb::LocalTableFunctionState& lstate) override;
  void Scan(duckdb::ClientContext& context, duckdb::GlobalTableFunctionState& global_state,
            duckdb::LocalTableFunctionState& local_state, duckdb::DataChunk& chunk) override;
  void AddVirtualColumn(duckdb::column_t virtual_column_id) override;
  std::string GetReaderType() const override { return "DuckLake inlined data"; }

 private:
  void Load(duckdb::ClientContext& context);
  // The visible rows: row id, begin snapshot, the stored columns, then the row's position.
  std::vector<Row> CommittedRows();
  std::vector<Row> BatchRows();

  duckdb::shared_ptr<ScanInfo> info_;
  InlinedTableInfo inlined_;
  std::optional<int64_t> batch_;
  std::vector<size_t> stored_;  // per column after the first two: its index in inlined_.columns
  std::mutex mutex_;
  bool started_ = false;
  duckdb::unique_ptr<duckdb::ColumnDataCollection> rows_;  // the projected columns, in column_ids order
  duckdb::ColumnDataScanState scan_state_;
  int64_t row_number_ = 0;  // position of the next row in the table, for deletion filters
};

}  // namespace dlctl::lake
