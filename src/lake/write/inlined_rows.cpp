#include "lake/write/inlined_rows.h"

#include <map>

#include "lake/metadata/inlined_tables.h"
#include "util/sql_quote.h"

namespace dlctl::lake {
namespace {

std::string StructText(const duckdb::Value& value);

// A struct field as the extension writes it inside a struct's text: strings (and other
// scalars read from text) quoted, numbers and booleans bare, lists and maps as DuckDB prints them.
std::string FieldText(const duckdb::Value& field) {
  if (field.IsNull()) return "NULL";
  auto id = field.type().id();
  if (id == duckdb::LogicalTypeId::STRUCT) return StructText(field);
  if (id == duckdb::LogicalTypeId::LIST || id == duckdb::LogicalTypeId::MAP || id == duckdb::LogicalTypeId::ARRAY ||
      id == duckdb::LogicalTypeId::BOOLEAN || field.type().IsNumeric())
    return field.ToString();
  return SqlLiteral(field.ToString());
}

std::string StructText(const duckdb::Value& value) {
  auto& fields = duckdb::StructValue::GetChildren(value);
  auto& types = duckdb::StructType::GetChildTypes(value.type());
  std::string text = "{";
  for (size_t i = 0; i < fields.size(); ++i)
    text += (i ? ", " : "") + SqlLiteral(types[i].first) + ": " + FieldText(fields[i]);
  return text + "}";
}

Value Stored(const ColumnInfo& column, const duckdb::Value& value) {
  if (value.IsNull()) return std::monostate{};
  switch (InlinedStorageOf(column)) {
    case InlinedStorage::kInteger:
      if (value.type().id() == duckdb::LogicalTypeId::BOOLEAN) return int64_t{value.GetValue<bool>() ? 1 : 0};
      return value.GetValue<int64_t>();
    case InlinedStorage::kBytes:
      return duckdb::StringValue::Get(value);
    case InlinedStorage::kText:
      break;
  }
  if (value.type().id() == duckdb::LogicalTypeId::STRUCT) return StructText(value);
  if (value.type().id() == duckdb::LogicalTypeId::VARCHAR) return duckdb::StringValue::Get(value);
  return value.ToString();
}

// The statistics of one leaf column (nested columns have them per child).
struct LeafStats {
  int64_t nulls = 0, values = 0;
  std::optional<duckdb::Value> min, max;  // typed when compared as values, else their text
};

class StatsCollector {
 public:
  void Add(const ColumnInfo& column, const duckdb::Value& value) {
    if (column.children.empty()) return AddLeaf(column, value);
    for (const ColumnInfo& child : column.children) leaves_[child.column_id];  // even without values
    if (value.IsNull()) {
      // A NULL struct has NULL fields; a NULL list or map has no elements.
      if (column.type == "struct")
        for (const ColumnInfo& child : column.children) Add(child, duckdb::Value(duckdb::LogicalType::SQLNULL));
      return;
    }
    if (column.type == "struct") {
      auto& fields = duckdb::StructValue::GetChildren(value);
      for (size_t i = 0; i < column.children.size() && i < fields.size(); ++i) Add(column.children[i], fields[i]);
    } else if (column.type == "list") {
      for (const duckdb::Value& element : duckdb::ListValue::GetChildren(value)) Add(column.children.at(0), element);
    } else if (column.type == "map") {
      for (const duckdb::Value& entry : duckdb::MapValue::GetChildren(value)) {
        auto& pair = duckdb::StructValue::GetChildren(entry);
        Add(column.children.at(0), pair[0]);
        Add(column.children.at(1), pair[1]);
      }
    }
  }

  std::vector<FileColumnStats> Take() {
    std::vector<FileColumnStats> stats;
    for (auto& [column_id, leaf] : leaves_) {
      FileColumnStats& s = stats.emplace_back();
      s.column_id = column_id;
      s.null_count = leaf.nulls;
      s.value_count = leaf.values;  // 0: only NULLs, which widen no bounds
      if (leaf.min) s.min_value = Text(*leaf.min);
      if (leaf.max) s.max_value = Text(*leaf.max);
    }
    return stats;
  }

 private:
  static std::string Text(const duckdb::Value& value) {
    return value.DefaultCastAs(duckdb::LogicalType::VARCHAR).GetValue<std::string>();
  }

  void AddLeaf(const ColumnInfo& column, const duckdb::Value& value) {
    LeafStats& leaf = leaves_[column.column_id];
    if (value.IsNull()) {
      ++leaf.nulls;
      return;
    }
    ++leaf.values;
    const duckdb::LogicalType& type = value.type();
    bool by_value = type.IsNumeric() || type.IsTemporal() || type.id() == duckdb::LogicalTypeId::BOOLEAN;
    duckdb::Value bound = by_value ? value : duckdb::Value(Text(value));
    if (!leaf.min || bound < *leaf.min) leaf.min = bound;
    if (!leaf.max || bound > *leaf.max) leaf.max = bound;
  }

  std::map<int64_t, LeafStats> leaves_;
};

}  // namespace

InlinedRows InlinedRowsOf(duckdb::ColumnDataCollection& rows, const std::vector<ColumnInfo>& columns,
                          bool with_row_ids) {
  InlinedRows result;
  for (const ColumnInfo& column : columns) result.column_ids.push_back(column.column_id);
  StatsCollector stats;
  for (auto& chunk : rows.Chunks()) {
    for (duckdb::idx_t r = 0; r < chunk.size(); ++r) {
      std::vector<Value>& row = result.rows.emplace_back();
      for (size_t c = 0; c < columns.size(); ++c) {
        duckdb::Value value = chunk.GetValue(c, r);
        stats.Add(columns[c], value);
        row.push_back(Stored(columns[c], value));
      }
      std::optional<int64_t> row_id;
      if (with_row_ids) {
        duckdb::Value id = chunk.GetValue(columns.size(), r);
        if (!id.IsNull()) row_id = id.GetValue<int64_t>();
      }
      result.row_ids.push_back(row_id);
    }
  }
  result.stats = stats.Take();
  return result;
}

}  // namespace dlctl::lake
