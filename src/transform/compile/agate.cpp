#include "transform/compile/agate.h"

#include <fmt/format.h>

#include <memory>

#include "util/error.h"

namespace dlctl::transform {

using jinja::CallArgs;
using jinja::Value;

namespace {

struct TableData {
  std::vector<std::string> names;
  std::vector<std::string> types;
  std::vector<std::vector<Value>> rows;
};

std::optional<size_t> ColumnIndex(const TableData& table, const std::string& name) {
  for (size_t i = 0; i < table.names.size(); ++i)
    if (table.names[i] == name) return i;
  return std::nullopt;
}

size_t Position(const Value& key, size_t size) {
  int64_t at = key.ToInt();
  if (at < 0) at += static_cast<int64_t>(size);
  if (at < 0 || at >= static_cast<int64_t>(size)) throw Error(fmt::format("index {} out of range", key.ToInt()));
  return static_cast<size_t>(at);
}

class RowObject : public jinja::Object {
 public:
  RowObject(std::shared_ptr<const TableData> table, size_t row) : table_(std::move(table)), row_(row) {}
  std::string TypeName() const override { return "Row"; }
  std::string ToString() const override { return Value(Cells(), true).ToString(); }
  std::optional<std::vector<Value>> Items() const override { return Cells(); }
  std::optional<size_t> Length() const override { return table_->names.size(); }
  Value GetItem(const Value& key) const override {
    if (key.is_int()) return Cells()[Position(key, table_->names.size())];
    return GetAttribute(key.ToString());
  }
  Value GetAttribute(const std::string& name) const override {
    if (auto i = ColumnIndex(*table_, name)) return Cells()[*i];
    auto table = table_;
    size_t row = row_;
    if (name == "keys")
      return Value::Function("keys", [table](const CallArgs&) {
        std::vector<Value> keys(table->names.begin(), table->names.end());
        return Value(std::move(keys));
      });
    if (name == "values") return Value::Function("values", [table, row](const CallArgs&) { return Value(table->rows[row]); });
    if (name == "items")
      return Value::Function("items", [table, row](const CallArgs&) {
        std::vector<Value> items;
        for (size_t i = 0; i < table->names.size(); ++i)
          items.emplace_back(std::vector<Value>{Value(table->names[i]), table->rows[row][i]}, true);
        return Value(std::move(items));
      });
    if (name == "get")
      return Value::Function("get", [table, row](const CallArgs& args) {
        auto bound = args.Bind("get", {"key", "default"}, {Value::None()});
        auto i = ColumnIndex(*table, bound[0].ToString());
        return i ? table->rows[row][*i] : bound[1];
      });
    return Object::GetAttribute(name);
  }

 private:
  const std::vector<Value>& Cells() const { return table_->rows[row_]; }
  std::shared_ptr<const TableData> table_;
  size_t row_;
};

class ColumnObject : public jinja::Object {
 public:
  ColumnObject(std::shared_ptr<const TableData> table, size_t column) : table_(std::move(table)), column_(column) {}
  std::string TypeName() const override { return "Column"; }
  std::optional<std::vector<Value>> Items() const override { return Values(); }
  std::optional<size_t> Length() const override { return table_->rows.size(); }
  Value GetItem(const Value& key) const override {
    if (key.is_int()) return Values()[Position(key, table_->rows.size())];
    return GetAttribute(key.ToString());
  }
  Value GetAttribute(const std::string& name) const override {
    if (name == "name") return Value(table_->names[column_]);
    if (name == "data_type") return Value(table_->types[column_]);
    if (name == "values") {
      Value values(Values());
      return Value::Function("values", [values](const CallArgs&) { return values; });
    }
    return Object::GetAttribute(name);
  }

 private:
  std::vector<Value> Values() const {
    std::vector<Value> values;
    for (const auto& row : table_->rows) values.push_back(row[column_]);
    return values;
  }
  std::shared_ptr<const TableData> table_;
  size_t column_;
};

// table.columns: iterates over columns, indexes by position or name.
class ColumnsObject : public jinja::Object {
 public:
  explicit ColumnsObject(std::shared_ptr<const TableData> table) : table_(std::move(table)) {}
  std::string TypeName() const override { return "MappedSequence"; }
  std::optional<std::vector<Value>> Items() const override {
    std::vector<Value> columns;
    for (size_t i = 0; i < table_->names.size(); ++i) columns.push_back(Column(i));
    return columns;
  }
  std::optional<size_t> Length() const override { return table_->names.size(); }
  Value GetItem(const Value& key) const override {
    if (key.is_int()) return Column(Position(key, table_->names.size()));
    if (auto i = ColumnIndex(*table_, key.ToString())) return Column(*i);
    return Value::MakeUndefined("no column named '" + key.ToString() + "'");
  }
  Value GetAttribute(const std::string& name) const override {
    if (name == "keys") {
      std::vector<Value> keys(table_->names.begin(), table_->names.end());
      Value list(std::move(keys));
      return Value::Function("keys", [list](const CallArgs&) { return list; });
    }
    if (name == "values") {
      Value list(*Items());
      return Value::Function("values", [list](const CallArgs&) { return list; });
    }
    if (name == "items") {
      std::vector<Value> pairs;
      for (size_t i = 0; i < table_->names.size(); ++i)
        pairs.emplace_back(std::vector<Value>{Value(table_->names[i]), Column(i)}, true);
      Value list(std::move(pairs));
      return Value::Function("items", [list](const CallArgs&) { return list; });
    }
    return GetItem(Value(name));
  }

 private:
  Value Column(size_t i) const { return Value(jinja::ObjectPtr(std::make_shared<ColumnObject>(table_, i))); }
  std::shared_ptr<const TableData> table_;
};

class TableObject : public jinja::Object {
 public:
  explicit TableObject(std::shared_ptr<const TableData> table) : table_(std::move(table)) {}
  std::string TypeName() const override { return "Table"; }
  std::optional<std::vector<Value>> Items() const override { return Rows(); }
  std::optional<size_t> Length() const override { return table_->rows.size(); }
  Value GetItem(const Value& key) const override {
    if (key.is_int()) return Row(Position(key, table_->rows.size()));
    return GetAttribute(key.ToString());
  }
  Value GetAttribute(const std::string& name) const override {
    if (name == "rows") return Value(Rows());
    if (name == "columns") return Value(jinja::ObjectPtr(std::make_shared<ColumnsObject>(table_)));
    if (name == "column_names") return Value(std::vector<Value>(table_->names.begin(), table_->names.end()), true);
    if (name == "column_types") return Value(std::vector<Value>(table_->types.begin(), table_->types.end()), true);
    if (name == "print_table" || name == "print_json")
      return Value::Function(name, [](const CallArgs&) { return Value::None(); });
    return Object::GetAttribute(name);
  }

 private:
  Value Row(size_t i) const { return Value(jinja::ObjectPtr(std::make_shared<RowObject>(table_, i))); }
  std::vector<Value> Rows() const {
    std::vector<Value> rows;
    for (size_t i = 0; i < table_->rows.size(); ++i) rows.push_back(Row(i));
    return rows;
  }
  std::shared_ptr<const TableData> table_;
};

std::shared_ptr<const TableData> TableDataOf(const QueryResult& result) {
  auto table = std::make_shared<TableData>();
  table->names = result.columns;
  table->types = result.types;
  for (const auto& row : result.rows) {
    std::vector<Value> cells;
    for (size_t i = 0; i < row.size(); ++i) cells.push_back(CellValue(row[i], result.types.at(i)));
    table->rows.push_back(std::move(cells));
  }
  return table;
}

}  // namespace

Value CellValue(const std::optional<std::string>& cell, const std::string& type) {
  if (!cell) return Value::None();
  try {
    if (type == "BOOLEAN") return Value(*cell == "true");
    if (type.find("INT") != std::string::npos && type.find("INTERVAL") == std::string::npos)
      return Value(static_cast<int64_t>(std::stoll(*cell)));
    if (type == "DOUBLE" || type == "FLOAT" || type.rfind("DECIMAL", 0) == 0) return Value(std::stod(*cell));
  } catch (const std::exception&) {
  }
  return Value(*cell);
}

Value TableValue(const QueryResult& result) {
  return Value(jinja::ObjectPtr(std::make_shared<TableObject>(TableDataOf(result))));
}

Value StatementResult(const QueryResult& result) {
  auto table = TableDataOf(result);
  std::vector<Value> data;
  for (const auto& row : table->rows) data.emplace_back(row, true);
  Value response = jinja::MakeObject(
      "AdapterResponse", {{"_message", Value("OK")}, {"code", Value("OK")}, {"rows_affected", Value(static_cast<int64_t>(table->rows.size()))}},
      "OK");
  return jinja::MakeDict({{"response", response},
                          {"data", Value(std::move(data))},
                          {"table", Value(jinja::ObjectPtr(std::make_shared<TableObject>(table)))}});
}

}  // namespace dlctl::transform
