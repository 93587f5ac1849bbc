#include "transform/compile/adapter.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "transform/jinja/interpreter.h"
#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::transform {

using jinja::CallArgs;
using jinja::MakeDict;
using jinja::MakeObject;
using jinja::Value;

namespace {

std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), ::toupper);
  return text;
}

std::string BaseType(const std::string& type) { return Upper(type.substr(0, type.find('('))); }

bool IsStringType(const std::string& type) {
  std::string base = BaseType(type);
  return base == "VARCHAR" || base == "TEXT" || base == "STRING" || base == "CHAR" || base == "BPCHAR" ||
         base.find("CHARACTER") != std::string::npos;
}
bool IsIntegerType(const std::string& type) {
  std::string base = BaseType(type);
  return base == "TINYINT" || base == "SMALLINT" || base == "INTEGER" || base == "INT" || base == "BIGINT" ||
         base == "HUGEINT" || base == "UTINYINT" || base == "USMALLINT" || base == "UINTEGER" || base == "UBIGINT" ||
         base == "UHUGEINT" || base == "INT4" || base == "INT8" || base == "INT2";
}
bool IsFloatType(const std::string& type) {
  std::string base = BaseType(type);
  return base == "FLOAT" || base == "DOUBLE" || base == "REAL" || base == "FLOAT4" || base == "FLOAT8";
}
bool IsNumericType(const std::string& type) {
  std::string base = BaseType(type);
  return base == "DECIMAL" || base == "NUMERIC";
}

// dispatch as an object, so it can look names up in the render that calls it.
class DispatchFunction : public jinja::Object {
 public:
  DispatchFunction(const MacroRegistry& macros, const jinja::Namespace& visible) : macros_(macros), visible_(visible) {}
  std::string TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  Value Call(const CallArgs& args, jinja::Renderer&) const override {
    auto bound = args.Bind("dispatch", {"macro_name", "macro_namespace", "packages"}, {Value::None(), Value::None()});
    std::string name = bound[0].ToString();
    if (name.find('.') != std::string::npos)
      throw Error("adapter.dispatch: '" + name + "' is not a macro name ('.' is not allowed; pass macro_namespace=)");
    std::string macro_namespace = bound[1].is_none() ? "" : bound[1].ToString();
    std::vector<std::string> attempts;
    for (const std::string& package : macros_.SearchOrder(macro_namespace)) {
      for (const char* prefix : {"duckdb__", "default__"}) {
        std::string candidate = prefix + name;
        if (const Value* macro = macros_.Find(package, candidate, visible_)) return *macro;
        attempts.push_back(package.empty() ? candidate : package + "." + candidate);
      }
    }
    std::string searched;
    for (const auto& attempt : attempts) searched += (searched.empty() ? "'" : ", '") + attempt + "'";
    throw Error(fmt::format("In dispatch: No macro named '{}' found within namespace: '{}' (searched for: {})", name,
                            macro_namespace.empty() ? "None" : macro_namespace, searched));
  }

 private:
  const MacroRegistry& macros_;
  const jinja::Namespace& visible_;
};

Relation RequireRelation(const Value& value, const char* method) {
  std::optional<Relation> relation = RelationFromValue(value);
  if (!relation) throw Error(fmt::format("adapter.{}: expected a relation, got {}", method, value.Repr()));
  return *relation;
}

Value ColumnList(const std::vector<ColumnInfo>& columns) {
  std::vector<Value> values;
  for (const auto& column : columns) values.push_back(ColumnValue(column));
  return Value(std::move(values));
}

}  // namespace

std::string TranslateType(const std::string& type) {
  std::string upper = Upper(type);
  if (upper == "STRING") return "TEXT";
  if (upper == "INTEGER") return "INT";
  if (upper == "TIMESTAMP" || upper == "FLOAT" || upper == "BOOLEAN" || upper == "BIGINT") return upper;
  return type;
}

Value ColumnValue(const ColumnInfo& column) {
  const std::string type = column.data_type;
  auto predicate = [type](const char* name, bool (*test)(const std::string&)) {
    return std::pair<std::string, Value>(name, Value::Function(name, [type, test](const CallArgs&) { return Value(test(type)); }));
  };
  std::optional<int64_t> precision, scale, size;
  size_t open = type.find('(');
  if (open != std::string::npos) {
    std::string inside = type.substr(open + 1, type.find(')') - open - 1);
    size_t comma = inside.find(',');
    try {
      if (IsNumericType(type)) {
        precision = std::stoll(inside.substr(0, comma));
        if (comma != std::string::npos) scale = std::stoll(inside.substr(comma + 1));
      } else if (IsStringType(type)) {
        size = std::stoll(inside);
      }
    } catch (const std::exception&) {
    }
  }
  auto optional = [](const std::optional<int64_t>& v) { return v ? Value(*v) : Value::None(); };
  std::string quoted = SqlIdentifier(column.name);
  std::string name = column.name;
  return MakeObject("Column",
                    {{"name", Value(name)},
                     {"column", Value(name)},
                     {"data_type", Value(type)},
                     {"dtype", Value(type)},
                     {"quoted", Value(quoted)},
                     {"char_size", optional(size)},
                     {"numeric_precision", optional(precision)},
                     {"numeric_scale", optional(scale)},
                     predicate("is_string", IsStringType),
                     predicate("is_integer", IsIntegerType),
                     predicate("is_float", IsFloatType),
                     predicate("is_numeric", IsNumericType),
                     predicate("is_number", [](const std::string& t) { return IsIntegerType(t) || IsFloatType(t) || IsNumericType(t); }),
                     {"string_size", Value::Function("string_size", [size](const CallArgs&) {
                        return size ? Value(*size) : Value(static_cast<int64_t>(256));
                      })},
                     {"can_expand_to", Value::Function("can_expand_to", [](const CallArgs&) { return Value(false); })},
                     {"literal", Value::Function("literal", [type](const CallArgs& args) {
                        return Value(args.Bind("literal", {"value"}, {})[0].ToString() + "::" + type);
                      })}},
                    name);
}

Value ColumnApi() {
  return MakeObject(
      "Column",
      {{"translate_type", Value::Function("translate_type", [](const CallArgs& args) {
          return Value(TranslateType(args.Bind("translate_type", {"dtype"}, {})[0].ToString()));
        })},
       {"numeric_type", Value::Function("numeric_type", [](const CallArgs& args) {
          auto bound = args.Bind("numeric_type", {"dtype", "precision", "scale"}, {Value::None(), Value::None()});
          if (bound[1].is_none() || bound[2].is_none()) return Value(bound[0].ToString());
          return Value(fmt::format("{}({},{})", bound[0].ToString(), bound[1].ToString(), bound[2].ToString()));
        })},
       {"string_type", Value::Function("string_type", [](const CallArgs& args) {
          return Value(fmt::format("character varying({})", args.Bind("string_type", {"size"}, {})[0].ToString()));
        })},
       {"create", Value::Function("create", [](const CallArgs& args) {
          auto bound = args.Bind("create", {"name", "label_or_dtype"}, {});
          return ColumnValue({bound[0].ToString(), bound[1].ToString()});
        })}});
}

Value MakeApi() { return MakeDict({{"Relation", RelationApi()}, {"Column", ColumnApi()}}); }

Value MakeAdapter(const MacroRegistry& macros, const jinja::Namespace& visible, AdapterHooks hooks) {
  auto h = std::make_shared<AdapterHooks>(std::move(hooks));
  auto find = [h](const Relation& relation) -> Value {
    if (!h->find_relation) return Value::None();
    std::optional<Relation> found = h->find_relation(relation);
    return found ? RelationValue(*found) : Value::None();
  };
  auto run = [h](const std::string& sql) {
    if (h->run_sql) h->run_sql(sql);
    return Value::None();
  };
  return MakeObject(
      "adapter",
      {{"dispatch", Value(jinja::ObjectPtr(std::make_shared<DispatchFunction>(macros, visible)))},
       {"quote", Value::Function("quote", [](const CallArgs& args) {
          return Value(SqlIdentifier(args.Bind("quote", {"identifier"}, {})[0].ToString()));
        })},
       {"quote_as_configured", Value::Function("quote_as_configured", [](const CallArgs& args) {
          return Value(SqlIdentifier(args.Bind("quote_as_configured", {"identifier", "quote_key"}, {})[0].ToString()));
        })},
       {"quote_seed_column", Value::Function("quote_seed_column", [](const CallArgs& args) {
          auto bound = args.Bind("quote_seed_column", {"column", "quote_config"}, {Value::None()});
          std::string column = bound[0].ToString();
          return Value(bound[1].is_none() || bound[1].Truthy() ? SqlIdentifier(column) : column);
        })},
       {"type", Value::Function("type", [](const CallArgs&) { return Value("duckdb"); })},
       {"get_relation", Value::Function("get_relation", [find](const CallArgs& args) {
          auto bound = args.Bind("get_relation", {"database", "schema", "identifier"}, {});
          return find(Relation{bound[0].ToString(), bound[1].ToString(), bound[2].ToString()});
        })},
       {"load_relation", Value::Function("load_relation", [find](const CallArgs& args) {
          return find(RequireRelation(args.Bind("load_relation", {"relation"}, {})[0], "load_relation"));
        })},
       {"get_columns_in_relation", Value::Function("get_columns_in_relation", [h](const CallArgs& args) {
          Relation relation = RequireRelation(args.Bind("get_columns_in_relation", {"relation"}, {})[0],
                                              "get_columns_in_relation");
          if (!h->columns) return Value(std::vector<Value>{});
          return ColumnList(h->columns(relation));
        })},
       {"get_missing_columns", Value::Function("get_missing_columns", [h](const CallArgs& args) {
          auto bound = args.Bind("get_missing_columns", {"from_relation", "to_relation"}, {});
          if (!h->columns) return Value(std::vector<Value>{});
          std::vector<ColumnInfo> from = h->columns(RequireRelation(bound[0], "get_missing_columns"));
          std::vector<ColumnInfo> to = h->columns(RequireRelation(bound[1], "get_missing_columns"));
          std::vector<ColumnInfo> missing;
          for (const auto& column : from)
            if (std::none_of(to.begin(), to.end(), [&](const ColumnInfo& c) { return c.name == column.name; }))
              missing.push_back(column);
          return ColumnList(missing);
        })},
       {"list_relations_without_caching", Value::Function("list_relations_without_caching", [h](const CallArgs& args) {
          Relation schema = RequireRelation(args.Bind("list_relations_without_caching", {"schema_relation"}, {})[0],
                                            "list_relations_without_caching");
          std::vector<Value> out;
          if (h->list_relations)
            for (const Relation& relation : h->list_relations(schema.database, schema.schema))
              out.push_back(RelationValue(relation));
          return Value(std::move(out));
        })},
       {"drop_relation", Value::Function("drop_relation", [h, run](const CallArgs& args) {
          Relation relation = RequireRelation(args.Bind("drop_relation", {"relation"}, {})[0], "drop_relation");
          std::string kind = relation.type == "view" ? "VIEW" : "TABLE";
          if (relation.type.empty() && h->find_relation)
            if (auto found = h->find_relation(relation)) kind = found->type == "view" ? "VIEW" : "TABLE";
          return run("DROP " + kind + " IF EXISTS " + relation.Render());
        })},
       {"truncate_relation", Value::Function("truncate_relation", [run](const CallArgs& args) {
          return run("DELETE FROM " + RequireRelation(args.Bind("truncate_relation", {"relation"}, {})[0], "truncate_relation").Render());
        })},
       {"rename_relation", Value::Function("rename_relation", [run](const CallArgs& args) {
          auto bound = args.Bind("rename_relation", {"from_relation", "to_relation"}, {});
          Relation from = RequireRelation(bound[0], "rename_relation"), to = RequireRelation(bound[1], "rename_relation");
          return run("ALTER " + std::string(from.type == "view" ? "VIEW " : "TABLE ") + from.Render() + " RENAME TO " +
                     SqlIdentifier(to.identifier));
        })},
       {"create_schema", Value::Function("create_schema", [run](const CallArgs& args) {
          Relation relation = RequireRelation(args.Bind("create_schema", {"relation"}, {})[0], "create_schema");
          return run("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifier(relation.database) + "." +
                     SqlIdentifier(relation.schema));
        })},
       {"drop_schema", Value::Function("drop_schema", [run](const CallArgs& args) {
          Relation relation = RequireRelation(args.Bind("drop_schema", {"relation"}, {})[0], "drop_schema");
          return run("DROP SCHEMA IF EXISTS " + SqlIdentifier(relation.database) + "." +
                     SqlIdentifier(relation.schema) + " CASCADE");
        })},
       {"already_exists", Value::Function("already_exists", [find](const CallArgs& args) {
          auto bound = args.Bind("already_exists", {"schema", "name"}, {});
          return Value(!find(Relation{"", bound[0].ToString(), bound[1].ToString()}).is_none());
        })},
       {"expand_target_column_types", Value::Function("expand_target_column_types", [](const CallArgs&) { return Value::None(); })},
       {"commit", Value::Function("commit", [](const CallArgs&) { return Value::None(); })},
       {"behavior", MakeObject("behavior", {})},
       {"Relation", RelationApi()},
       {"Column", ColumnApi()}});
}

}  // namespace dlctl::transform
