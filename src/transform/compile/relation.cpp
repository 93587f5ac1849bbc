#include "transform/compile/relation.h"

#include <fmt/format.h>

#include "util/error.h"
#include "util/sql_quote.h"

namespace dlctl::transform {

using jinja::CallArgs;
using jinja::MakeDict;
using jinja::Value;

namespace {

class RelationObject : public jinja::Object {
 public:
  explicit RelationObject(Relation relation) : relation_(std::move(relation)) {}

  std::string ToString() const override { return relation_.Render(); }
  std::string TypeName() const override { return "DuckDBRelation"; }
  bool IsMapping() const override { return true; }
  std::optional<size_t> Length() const override { return std::nullopt; }
  bool Equals(const Object& other) const override {
    auto* relation = dynamic_cast<const RelationObject*>(&other);
    return relation && relation->relation_.Render() == relation_.Render();
  }
  std::optional<std::vector<Value>> Items() const override {
    return std::vector<Value>{Value("path"), Value("type"), Value("metadata")};
  }
  std::string HashKey() const override { return "relation:" + relation_.Render(); }

  Value GetAttribute(const std::string& name) const override {
    const Relation& r = relation_;
    if (name == "database") return r.database.empty() ? Value::None() : Value(r.database);
    if (name == "schema") return r.schema.empty() ? Value::None() : Value(r.schema);
    if (name == "identifier" || name == "name" || name == "table") return Value(r.identifier);
    if (name == "type") return r.type.empty() ? Value::None() : Value(r.type);
    if (name == "is_table") return Value(r.type == "table");
    if (name == "is_view") return Value(r.type == "view");
    if (name == "is_cte") return Value(r.type == "cte");
    if (name == "is_materialized_view") return Value(false);
    if (name == "path") return Path();
    if (name == "metadata") return MakeDict({{"type", Value("DuckDBRelation")}});
    if (name == "quote_policy" || name == "include_policy")
      return MakeDict({{"database", Value(r.include_database)},
                       {"schema", Value(r.include_schema)},
                       {"identifier", Value(r.include_identifier)}});
    if (name == "render") return Value::Function("render", [r](const CallArgs&) { return Value(r.Render()); });
    if (name == "get") return Value::Function("get", [this](const CallArgs& args) { return Get(args); });
    if (name == "include") return Value::Function("include", [r](const CallArgs& args) { return Include(r, args); });
    if (name == "incorporate")
      return Value::Function("incorporate", [r](const CallArgs& args) { return Incorporate(r, args); });
    if (name == "quote") return Value::Function("quote", [r](const CallArgs&) { return RelationValue(r); });
    if (name == "without_identifier")
      return Value::Function("without_identifier", [r](const CallArgs&) {
        Relation out = r;
        out.include_identifier = false;
        return RelationValue(out);
      });
    if (name == "replace_path")
      return Value::Function("replace_path", [r](const CallArgs& args) { return ReplacePath(r, args); });
    return Object::GetAttribute(name);
  }

 private:
  Value Path() const {
    return MakeDict({{"database", GetAttribute("database")},
                     {"schema", GetAttribute("schema")},
                     {"identifier", Value(relation_.identifier)}});
  }

  Value Get(const CallArgs& args) const {
    auto bound = args.Bind("get", {"key", "default"}, {Value::None()});
    Value found = GetAttribute(bound[0].ToString());
    return found.is_undefined() ? bound[1] : found;
  }

  static Value Include(Relation r, const CallArgs& args) {
    auto bound = args.Bind("include", {"database", "schema", "identifier"}, {Value::None(), Value::None(), Value::None()});
    if (!bound[0].is_none()) r.include_database = bound[0].Truthy();
    if (!bound[1].is_none()) r.include_schema = bound[1].Truthy();
    if (!bound[2].is_none()) r.include_identifier = bound[2].Truthy();
    return RelationValue(r);
  }

  static Value ReplacePath(Relation r, const CallArgs& args) {
    auto bound = args.Bind("replace_path", {"database", "schema", "identifier"}, {Value::None(), Value::None(), Value::None()});
    if (!bound[0].is_none()) r.database = bound[0].ToString();
    if (!bound[1].is_none()) r.schema = bound[1].ToString();
    if (!bound[2].is_none()) r.identifier = bound[2].ToString();
    return RelationValue(r);
  }

  static Value Incorporate(Relation r, const CallArgs& args) {
    auto bound = args.Bind("incorporate", {"path", "type"}, {Value::None(), Value::None()});
    if (bound[0].is_dict()) {
      for (const auto& [key, value] : bound[0].dict().entries()) {
        std::string part = key.ToString();
        if (part == "database") r.database = value.ToString();
        else if (part == "schema") r.schema = value.ToString();
        else if (part == "identifier") r.identifier = value.ToString();
      }
    }
    if (!bound[1].is_none()) r.type = bound[1].ToString();
    return RelationValue(r);
  }

  Relation relation_;
};

Value Create(const CallArgs& args) {
  auto bound = args.Bind("create", {"database", "schema", "identifier", "type"},
                         {Value::None(), Value::None(), Value::None(), Value::None()});
  Relation relation;
  relation.database = bound[0].is_none() ? "" : bound[0].ToString();
  relation.schema = bound[1].is_none() ? "" : bound[1].ToString();
  relation.identifier = bound[2].is_none() ? "" : bound[2].ToString();
  relation.type = bound[3].is_none() ? "" : bound[3].ToString();
  relation.include_database = !relation.database.empty();
  relation.include_schema = !relation.schema.empty();
  relation.include_identifier = !relation.identifier.empty();
  return RelationValue(relation);
}

}  // namespace

std::string Relation::Render() const {
  if (type == "cte") return identifier;
  std::string out;
  auto add = [&out](bool include, const std::string& part) {
    if (!include || part.empty()) return;
    out += (out.empty() ? "" : ".") + SqlIdentifier(part);
  };
  add(include_database, database);
  add(include_schema, schema);
  add(include_identifier, identifier);
  return out;
}

Value RelationValue(const Relation& relation) {
  return Value(jinja::ObjectPtr(std::make_shared<RelationObject>(relation)));
}

std::optional<Relation> RelationFromValue(const Value& value, const Relation& fallback) {
  if (value.is_object()) {
    auto* object = dynamic_cast<const RelationObject*>(value.object().get());
    if (!object) return std::nullopt;
    Relation r;
    Value database = object->GetAttribute("database"), schema = object->GetAttribute("schema");
    r.database = database.is_none() ? "" : database.ToString();
    r.schema = schema.is_none() ? "" : schema.ToString();
    r.identifier = object->GetAttribute("identifier").ToString();
    Value type = object->GetAttribute("type");
    r.type = type.is_none() ? "" : type.ToString();
    return r;
  }
  if (!value.is_string()) return std::nullopt;
  // "a"."b"."c", a.b.c, b.c or c
  std::vector<std::string> parts;
  std::string part;
  bool quoted = false;
  const std::string& text = value.as_string();
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        part += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == '.' && !quoted) {
      parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(part);
  if (parts.size() > 3) return std::nullopt;
  Relation r = fallback;
  r.identifier = parts.back();
  if (parts.size() >= 2) r.schema = parts[parts.size() - 2];
  if (parts.size() == 3) r.database = parts[0];
  return r;
}

Value RelationApi() {
  return jinja::MakeObject("Relation", {{"create", Value::Function("create", Create)},
                                        {"add_ephemeral_prefix", Value::Function("add_ephemeral_prefix", [](const CallArgs& args) {
                                           return Value("__dbt__cte__" + args.Bind("add_ephemeral_prefix", {"name"}, {})[0].ToString());
                                         })},
                                        {"Table", Value("table")},
                                        {"View", Value("view")},
                                        {"CTE", Value("cte")},
                                        {"External", Value("external")}});
}

}  // namespace dlctl::transform

