#pragma once
// A lake table's files as DuckDB's multi-file reader walks them. The list is read from the
// catalog the first time anything asks (the optimizer's row estimate or the scan), and a scan
// with filters gets a shorter copy: files whose catalog statistics (per-file min/max and null
// counts) or partition values prove that no row can match are left out before any of them is
// opened.
#include <memory>
#include <optional>
#include <vector>

#include "duckdb/common/multi_file/multi_file_list.hpp"
#include "lake/scan/scan_info.h"

namespace dlctl::lake {

class LakeFileList : public duckdb::MultiFileList {
 public:
  explicit LakeFileList(duckdb::shared_ptr<ScanInfo> info);
  // A list of chosen files (after pruning).
  LakeFileList(duckdb::shared_ptr<ScanInfo> info, std::vector<ScanFile> files);

  ScanInfo& info() const { return *info_; }
  const std::vector<ScanFile>& Files() const;
  const ScanFile& FileAt(duckdb::idx_t i) const { return Files().at(i); }

  duckdb::unique_ptr<duckdb::MultiFileList> DynamicFilterPushdown(
      duckdb::ClientContext& context, const duckdb::MultiFileOptions& options,
      const duckdb::vector<std::string>& names, const duckdb::vector<duckdb::LogicalType>& types,
      const duckdb::vector<duckdb::column_t>& column_ids, duckdb::TableFilterSet& filters) const override;
  duckdb::vector<duckdb::OpenFileInfo> GetAllFiles() override;
  duckdb::FileExpandResult GetExpandResult() override;
  duckdb::idx_t GetTotalFileCount() override;
  duckdb::unique_ptr<duckdb::NodeStatistics> GetCardinality(duckdb::ClientContext& context) override;
  duckdb::unique_ptr<duckdb::MultiFileList> Copy() override;

 protected:
  duckdb::OpenFileInfo GetFile(duckdb::idx_t i) override;

 private:
  duckdb::shared_ptr<ScanInfo> info_;
  std::optional<std::vector<ScanFile>> chosen_;  // set after pruning
};

// The index in its LakeFileList of a file DuckDB opens (nullopt for other files).
std::optional<duckdb::idx_t> ScanFileIndex(const duckdb::OpenFileInfo& file);
// The row id of the file's first row (nullopt: its rows have no ids yet).
std::optional<int64_t> RowIdStart(const duckdb::OpenFileInfo& file);
// Whether the "file" is one of the table's inlined data tables (its path is the table's name).
bool IsInlinedData(const duckdb::OpenFileInfo& file);

}  // namespace dlctl::lake
