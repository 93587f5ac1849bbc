#include "lake/scan/delete_filter.h"

#include <algorithm>

#include "lake/scan/parquet_rows.h"

namespace dlctl::lake {

duckdb::idx_t PositionDeleteFilter::Filter(duckdb::row_t start_row, duckdb::idx_t count,
                                           duckdb::SelectionVector& result) {
  auto next = std::lower_bound(positions_.begin(), positions_.end(), start_row);
  const int64_t end = start_row + static_cast<int64_t>(count);
  if (next == positions_.end() || *next >= end) return count;  // nothing deleted in this range
  result.Initialize(STANDARD_VECTOR_SIZE);
  duckdb::idx_t kept = 0;
  for (duckdb::idx_t i = 0; i < count; ++i) {
    int64_t row = start_row + static_cast<int64_t>(i);
    if (next != positions_.end() && *next == row) {
      ++next;
      continue;
    }
    result.set_index(kept++, i);
  }
  return kept;
}

std::vector<int64_t> ReadDeletedPositions(duckdb::ClientContext& context, const std::string& path,
                                          SnapshotId up_to) {
  std::vector<int64_t> positions;
  ReadParquetRows(context, path, [&](duckdb::DataChunk& chunk) {
    // (file_path, pos[, snapshot id]) as DuckLake writes them.
    if (chunk.ColumnCount() < 2) throw duckdb::InvalidInputException("delete file %s has no pos column", path);
    bool with_snapshots = chunk.ColumnCount() >= 3;
    if (chunk.data[1].GetType().id() != duckdb::LogicalTypeId::BIGINT || with_snapshots) {
      for (duckdb::idx_t i = 0; i < chunk.size(); ++i) {
        if (with_snapshots) {
          duckdb::Value snapshot = chunk.GetValue(2, i);
          if (!snapshot.IsNull() && snapshot.GetValue<int64_t>() > up_to) continue;
        }
        duckdb::Value position = chunk.GetValue(1, i);
        if (!position.IsNull()) positions.push_back(position.GetValue<int64_t>());
      }
      return;
    }
    duckdb::UnifiedVectorFormat pos;
    chunk.data[1].ToUnifiedFormat(chunk.size(), pos);
    auto pos_data = duckdb::UnifiedVectorFormat::GetData<int64_t>(pos);
    for (duckdb::idx_t i = 0; i < chunk.size(); ++i) {
      auto p = pos.sel->get_index(i);
      if (pos.validity.RowIsValid(p)) positions.push_back(pos_data[p]);
    }
  });
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  return positions;
}

std::vector<std::pair<int64_t, std::optional<SnapshotId>>> ReadDeletes(duckdb::ClientContext& context,
                                                                       const std::string& path) {
  std::vector<std::pair<int64_t, std::optional<SnapshotId>>> deletes;
  ReadParquetRows(context, path, [&](duckdb::DataChunk& chunk) {
    if (chunk.ColumnCount() < 2) throw duckdb::InvalidInputException("delete file %s has no pos column", path);
    for (duckdb::idx_t i = 0; i < chunk.size(); ++i) {
      duckdb::Value position = chunk.GetValue(1, i);
      if (position.IsNull()) continue;
      std::optional<SnapshotId> snapshot;
      if (chunk.ColumnCount() >= 3 && !chunk.GetValue(2, i).IsNull()) snapshot = chunk.GetValue(2, i).GetValue<int64_t>();
      deletes.emplace_back(position.GetValue<int64_t>(), snapshot);
    }
  });
  return deletes;
}

std::vector<int64_t> MergePositions(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  std::vector<int64_t> merged;
  merged.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(merged));
  return merged;
}

}  // namespace dlctl::lake
