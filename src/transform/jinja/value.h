#pragma once
// The dynamic value of the Jinja interpreter: Python's types as Jinja templates see them.
// Lists and dicts are shared by reference like Python's (append in a macro is seen by its caller).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace dlctl::jinja {

class Value;
class Renderer;

// A variable that does not exist. Prints as "", is false, iterates as empty; anything more
// (attribute, call) is an error naming it.
struct Undefined {
  std::string hint;  // "'foo' is undefined" or "'dict object' has no attribute 'bar'"
};

struct ListData {
  std::vector<Value> items;
  bool tuple = false;  // only changes how it prints: (1, 2) instead of [1, 2]
};

// Insertion-ordered like Python's dict. Keys are scalars (string, number, bool, none).
class DictData {
 public:
  const Value* Find(const Value& key) const;
  Value* Find(const Value& key);
  void Set(const Value& key, Value value);
  bool Erase(const Value& key);
  size_t size() const { return entries_.size(); }
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }
  bool is_namespace = false;  // namespace(): attributes may be assigned with {% set ns.x = ... %}

 private:
  std::vector<std::pair<Value, Value>> entries_;
  std::unordered_map<std::string, size_t> index_;  // KeyOf(key) -> position in entries_
};

// The arguments of a call: positional, then keyword in the order written.
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keyword;

  // The keyword argument `name`, or nullptr.
  const Value* Keyword(std::string_view name) const;
  // Python-style binding for native functions: parameter i is positional[i] or the keyword of
  // that name, else `fallback`. Throws on too many positionals or an unknown keyword.
  std::vector<Value> Bind(std::string_view function, const std::vector<std::string_view>& names,
                          const std::vector<Value>& defaults) const;
};

// Anything the host exposes with attributes and/or a call: native functions, macros, dbt's
// `this`, `adapter`, `exceptions`, the loop variable.
class Object {
 public:
  virtual ~Object() = default;
  // How it prints with {{ }}.
  virtual std::string ToString() const;
  // The type name in messages ("function", "macro", "Relation").
  virtual std::string TypeName() const { return "object"; }
  // The attribute, or an Undefined naming it.
  virtual Value GetAttribute(const std::string& name) const;
  virtual bool IsCallable() const { return false; }
  virtual Value Call(const CallArgs& args, Renderer& renderer) const;
  // Python's protocols, for objects that act like containers (dbt's relations, agate tables):
  // `is mapping`, obj[key] (default: a string key is an attribute), iteration, len() and
  // truthiness (an object with a length is false when empty), ==.
  virtual bool IsMapping() const { return false; }
  virtual Value GetItem(const Value& key) const;
  virtual std::optional<std::vector<Value>> Items() const { return std::nullopt; }
  virtual std::optional<size_t> Length() const { return std::nullopt; }
  virtual bool Equals(const Object& other) const { return this == &other; }
  // The key it has in a dict: objects that compare equal by value must share it (default: its
  // identity, as Python hashes plain objects).
  virtual std::string HashKey() const;
};

using ObjectPtr = std::shared_ptr<const Object>;
using NativeFunction = std::function<Value(const CallArgs& args)>;
// A native function that needs the render calling it (to call a macro it was given).
using RendererFunction = std::function<Value(const CallArgs& args, Renderer& renderer)>;

class Value {
 public:
  enum class Kind { kUndefined, kNone, kBool, kInt, kDouble, kString, kList, kDict, kObject };

  Value() : data_(Undefined{}) {}
  static Value None() { return Value(std::monostate{}); }
  static Value MakeUndefined(std::string hint) { return Value(Undefined{std::move(hint)}); }
  Value(bool b) : data_(b) {}
  Value(int i) : data_(int64_t{i}) {}
  Value(int64_t i) : data_(i) {}
  Value(double d) : data_(d) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(std::string_view s) : data_(std::string(s)) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(std::vector<Value> items, bool tuple = false);
  Value(std::shared_ptr<ListData> list) : data_(std::move(list)) {}
  Value(std::shared_ptr<DictData> dict) : data_(std::move(dict)) {}
  Value(ObjectPtr object) : data_(std::move(object)) {}

  static Value EmptyDict() { return Value(std::make_shared<DictData>()); }
  static Value Function(std::string name, NativeFunction function);
  static Value RendererCallable(std::string name, RendererFunction function);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_undefined() const { return kind() == Kind::kUndefined; }
  bool is_none() const { return kind() == Kind::kNone; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_double() const { return kind() == Kind::kDouble; }
  bool is_number() const { return is_int() || is_double() || is_bool(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_dict() const { return kind() == Kind::kDict; }
  bool is_object() const { return kind() == Kind::kObject; }
  bool is_callable() const { return is_object() && object()->IsCallable(); }

  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_double() const { return std::get<double>(data_); }
  // A number (int, float or bool) as a double / int.
  double ToDouble() const;
  int64_t ToInt() const;
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const Undefined& undefined() const { return std::get<Undefined>(data_); }
  ListData& list() const { return *std::get<std::shared_ptr<ListData>>(data_); }
  DictData& dict() const { return *std::get<std::shared_ptr<DictData>>(data_); }
  const ObjectPtr& object() const { return std::get<ObjectPtr>(data_); }

  // Python's truthiness: "", 0, [], {}, none and undefined are false.
  bool Truthy() const;
  // What {{ value }} prints (Python's str(); undefined prints "").
  std::string ToString() const;
  // Python's repr(): strings quoted, used inside printed lists and dicts.
  std::string Repr() const;
  // The type as Jinja's messages name it: "str object", "dict object".
  std::string TypeName() const;
  // Python's ==, with 1 == 1.0 == true.
  bool Equals(const Value& other) const;
  // Items when iterated: a list's items, a dict's keys, a string's characters.
  std::vector<Value> Iterate() const;

 private:
  explicit Value(std::monostate none) : data_(none) {}
  explicit Value(Undefined undefined) : data_(std::move(undefined)) {}
  std::variant<Undefined, std::monostate, bool, int64_t, double, std::string, std::shared_ptr<ListData>,
               std::shared_ptr<DictData>, ObjectPtr>
      data_;
};

using ValueList = std::vector<Value>;

// Builds a dict from pairs in order: MakeDict({{"a", 1}, {"b", "x"}}).
Value MakeDict(std::vector<std::pair<std::string, Value>> entries);

// Python's repr() of a float: "1.0", "0.1", "1e+16".
std::string FormatDouble(double value);

// An object with fixed attributes, optionally callable and with its own printed form: how the
// host exposes things like dbt's `this` (prints as a relation name, has .schema) or `adapter`.
class AttributeObject : public Object {
 public:
  AttributeObject(std::string type_name, std::vector<std::pair<std::string, Value>> attributes,
                  std::string printed = "", NativeFunction call = nullptr);
  std::string ToString() const override;
  std::string TypeName() const override { return type_name_; }
  Value GetAttribute(const std::string& name) const override;
  bool IsCallable() const override { return static_cast<bool>(call_); }
  Value Call(const CallArgs& args, Renderer& renderer) const override;

 private:
  std::string type_name_;
  std::unordered_map<std::string, Value> attributes_;
  std::string printed_;
  NativeFunction call_;
};

Value MakeObject(std::string type_name, std::vector<std::pair<std::string, Value>> attributes,
                 std::string printed = "", NativeFunction call = nullptr);

}  // namespace dlctl::jinja
