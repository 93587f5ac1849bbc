#pragma once
// The rows a scan skips in one data file: positions from its delete file and from inlined
// deletes, as DuckDB's multi-file reader asks for them (a row range at a time).
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "duckdb/common/multi_file/multi_file_data.hpp"
#include "duckdb/main/client_context.hpp"
#include "lake/metadata/catalog_model.h"

namespace dlctl::lake {

class PositionDeleteFilter : public duckdb::DeleteFilter {
 public:
  // `positions`: 0-based, sorted, without duplicates.
  explicit PositionDeleteFilter(std::vector<int64_t> positions) : positions_(std::move(positions)) {}

  duckdb::idx_t Filter(duckdb::row_t start_row, duckdb::idx_t count, duckdb::SelectionVector& result) override;
  const std::vector<int64_t>& positions() const { return positions_; }

 private:
  std::vector<int64_t> positions_;
};

// The positions a Parquet delete file deletes as of snapshot `up_to`, sorted: a delete file that
// holds the deletes of several snapshots (a snapshot column) counts those up to it only.
std::vector<int64_t> ReadDeletedPositions(duckdb::ClientContext& context, const std::string& path,
                                          SnapshotId up_to);

// Every position a Parquet delete file lists with the snapshot it was deleted in, when the file
// keeps one (a snapshot column), in file order.
std::vector<std::pair<int64_t, std::optional<SnapshotId>>> ReadDeletes(duckdb::ClientContext& context,
                                                                       const std::string& path);

// Sorted union of two sorted position lists.
std::vector<int64_t> MergePositions(const std::vector<int64_t>& a, const std::vector<int64_t>& b);

}  // namespace dlctl::lake
