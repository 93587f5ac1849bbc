#include "transform/jinja/value.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "util/error.h"

namespace dlctl::jinja {
namespace {

// The dict index key: Python hashes 1, 1.0 and True alike, so they share one.
std::string KeyOf(const Value& key) {
  switch (key.kind()) {
    case Value::Kind::kString:
      return fmt::format("s{}", key.as_string());
    case Value::Kind::kInt:
    case Value::Kind::kBool:
      return fmt::format("n{}", key.ToInt());
    case Value::Kind::kDouble: {
      double d = key.as_double();
      if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return fmt::format("n{}", static_cast<int64_t>(d));
      return fmt::format("d{}", FormatDouble(d));
    }
    case Value::Kind::kNone:
      return "N";
    case Value::Kind::kObject:
      return "o" + key.object()->HashKey();
    default:
      throw Error(fmt::format("unhashable type: '{}'", key.TypeName()));
  }
}

class NativeFunctionObject : public Object {
 public:
  NativeFunctionObject(std::string name, NativeFunction function)
      : name_(std::move(name)), function_(std::move(function)) {}
  std::string ToString() const override { return fmt::format("<function {}>", name_); }
  std::string TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  Value Call(const CallArgs& args, Renderer&) const override { return function_(args); }

 private:
  std::string name_;
  NativeFunction function_;
};

class RendererFunctionObject : public Object {
 public:
  RendererFunctionObject(std::string name, RendererFunction function)
      : name_(std::move(name)), function_(std::move(function)) {}
  std::string ToString() const override { return fmt::format("<function {}>", name_); }
  std::string TypeName() const override { return "function"; }
  bool IsCallable() const override { return true; }
  Value Call(const CallArgs& args, Renderer& renderer) const override { return function_(args, renderer); }

 private:
  std::string name_;
  RendererFunction function_;
};

std::string ReprString(const std::string& s) {
  char quote = (s.find('\'') != std::string::npos && s.find('"') == std::string::npos) ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == static_cast<unsigned char>(quote)) {
      out += '\\';
      out += quote;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += quote;
  return out;
}

}  // namespace

const Value* DictData::Find(const Value& key) const {
  auto it = index_.find(KeyOf(key));
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

Value* DictData::Find(const Value& key) {
  auto it = index_.find(KeyOf(key));
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

void DictData::Set(const Value& key, Value value) {
  auto [it, inserted] = index_.emplace(KeyOf(key), entries_.size());
  if (inserted) {
    entries_.emplace_back(key, std::move(value));
  } else {
    entries_[it->second].second = std::move(value);
  }
}

bool DictData::Erase(const Value& key) {
  auto it = index_.find(KeyOf(key));
  if (it == index_.end()) return false;
  size_t position = it->second;
  index_.erase(it);
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(position));
  for (auto& [_, p] : index_) {
    if (p > position) --p;
  }
  return true;
}

const Value* CallArgs::Keyword(std::string_view name) const {
  for (const auto& [key, value] : keyword) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::vector<Value> CallArgs::Bind(std::string_view function, const std::vector<std::string_view>& names,
                                  const std::vector<Value>& defaults) const {
  if (positional.size() > names.size()) {
    throw Error(fmt::format("{}() takes at most {} argument(s) ({} given)", function, names.size(), positional.size()));
  }
  std::vector<Value> bound(names.size());
  std::vector<bool> given(names.size(), false);
  for (size_t i = 0; i < positional.size(); ++i) {
    bound[i] = positional[i];
    given[i] = true;
  }
  for (const auto& [key, value] : keyword) {
    size_t i = 0;
    while (i < names.size() && names[i] != key) ++i;
    if (i == names.size()) throw Error(fmt::format("{}() got an unexpected keyword argument '{}'", function, key));
    if (given[i]) throw Error(fmt::format("{}() got multiple values for argument '{}'", function, key));
    bound[i] = value;
    given[i] = true;
  }
  size_t first_default = names.size() - defaults.size();
  for (size_t i = 0; i < names.size(); ++i) {
    if (given[i]) continue;
    if (i < first_default) throw Error(fmt::format("{}() missing required argument '{}'", function, names[i]));
    bound[i] = defaults[i - first_default];
  }
  return bound;
}

std::string Object::ToString() const { return fmt::format("<{}>", TypeName()); }

Value Object::GetAttribute(const std::string& name) const {
  return Value::MakeUndefined(fmt::format("'{} object' has no attribute '{}'", TypeName(), name));
}

std::string Object::HashKey() const { return fmt::format("{}", static_cast<const void*>(this)); }

Value Object::GetItem(const Value& key) const {
  if (key.is_string()) return GetAttribute(key.as_string());
  return Value::MakeUndefined(fmt::format("{} object has no element {}", TypeName(), key.Repr()));
}

Value Object::Call(const CallArgs&, Renderer&) const {
  throw Error(fmt::format("'{} object' is not callable", TypeName()));
}

Value::Value(std::vector<Value> items, bool tuple) {
  auto list = std::make_shared<ListData>();
  list->items = std::move(items);
  list->tuple = tuple;
  data_ = std::move(list);
}

Value Value::Function(std::string name, NativeFunction function) {
  return Value(ObjectPtr(std::make_shared<NativeFunctionObject>(std::move(name), std::move(function))));
}

Value Value::RendererCallable(std::string name, RendererFunction function) {
  return Value(ObjectPtr(std::make_shared<RendererFunctionObject>(std::move(name), std::move(function))));
}

double Value::ToDouble() const {
  switch (kind()) {
    case Kind::kDouble:
      return as_double();
    case Kind::kInt:
      return static_cast<double>(as_int());
    case Kind::kBool:
      return as_bool() ? 1 : 0;
    default:
      throw Error(fmt::format("expected a number, got {}", TypeName()));
  }
}

int64_t Value::ToInt() const {
  switch (kind()) {
    case Kind::kInt:
      return as_int();
    case Kind::kBool:
      return as_bool() ? 1 : 0;
    case Kind::kDouble:
      return static_cast<int64_t>(as_double());
    default:
      throw Error(fmt::format("expected a number, got {}", TypeName()));
  }
}

bool Value::Truthy() const {
  switch (kind()) {
    case Kind::kUndefined:
    case Kind::kNone:
      return false;
    case Kind::kBool:
      return as_bool();
    case Kind::kInt:
      return as_int() != 0;
    case Kind::kDouble:
      return as_double() != 0;
    case Kind::kString:
      return !as_string().empty();
    case Kind::kList:
      return !list().items.empty();
    case Kind::kDict:
      return dict().size() != 0;
    case Kind::kObject: {
      std::optional<size_t> length = object()->Length();
      return !length || *length != 0;
    }
  }
  return false;
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, laid out by Python's repr rule: scientific below 1e-4 and
  // from 1e16 on, fixed with at least one decimal otherwise.
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string sci(buffer, result.ptr);
  size_t e = sci.find('e');
  int exponent = std::stoi(sci.substr(e + 1));
  std::string mantissa = sci.substr(0, e);
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += fmt::format(".{}", digits.substr(1));
    out += fmt::format("e{}{:02d}", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out;
  }
  if (exponent < 0) {
    out += fmt::format("0.{}{}", std::string(static_cast<size_t>(-exponent - 1), '0'), digits);
    return out;
  }
  size_t integer_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    out += digits + std::string(integer_digits - digits.size(), '0') + ".0";
  } else {
    out += fmt::format("{}.{}", digits.substr(0, integer_digits), digits.substr(integer_digits));
  }
  return out;
}

std::string Value::ToString() const {
  switch (kind()) {
    case Kind::kUndefined:
      return "";
    case Kind::kString:
      return as_string();
    case Kind::kObject:
      return object()->ToString();
    default:
      return Repr();
  }
}

std::string Value::Repr() const {
  switch (kind()) {
    case Kind::kUndefined:
      return "";
    case Kind::kNone:
      return "None";
    case Kind::kBool:
      return as_bool() ? "True" : "False";
    case Kind::kInt:
      return std::to_string(as_int());
    case Kind::kDouble:
      return FormatDouble(as_double());
    case Kind::kString:
      return ReprString(as_string());
    case Kind::kList: {
      const ListData& data = list();
      std::string out = data.tuple ? "(" : "[";
      for (size_t i = 0; i < data.items.size(); ++i) {
        if (i) out += ", ";
        out += data.items[i].Repr();
      }
      if (data.tuple && data.items.size() == 1) out += ",";
      out += data.tuple ? ")" : "]";
      return out;
    }
    case Kind::kDict: {
      std::string out = dict().is_namespace ? "<Namespace {" : "{";
      bool first = true;
      for (const auto& [key, value] : dict().entries()) {
        if (!first) out += ", ";
        first = false;
        out += fmt::format("{}: {}", key.Repr(), value.Repr());
      }
      out += dict().is_namespace ? "}>" : "}";
      return out;
    }
    case Kind::kObject:
      return object()->ToString();
  }
  return "";
}

std::string Value::TypeName() const {
  switch (kind()) {
    case Kind::kUndefined:
      return "Undefined";
    case Kind::kNone:
      return "NoneType";
    case Kind::kBool:
      return "bool object";
    case Kind::kInt:
      return "int object";
    case Kind::kDouble:
      return "float object";
    case Kind::kString:
      return "str object";
    case Kind::kList:
      return list().tuple ? "tuple object" : "list object";
    case Kind::kDict:
      return dict().is_namespace ? "Namespace object" : "dict object";
    case Kind::kObject:
      return object()->TypeName() + " object";
  }
  return "";
}

bool Value::Equals(const Value& other) const {
  if (is_number() && other.is_number()) {
    if (is_double() || other.is_double()) return ToDouble() == other.ToDouble();
    return ToInt() == other.ToInt();
  }
  if (kind() != other.kind()) return false;
  switch (kind()) {
    case Kind::kUndefined:
    case Kind::kNone:
      return true;
    case Kind::kString:
      return as_string() == other.as_string();
    case Kind::kList: {
      const auto& a = list().items;
      const auto& b = other.list().items;
      if (a.size() != b.size() || list().tuple != other.list().tuple) return false;  // [1] != (1,)
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].Equals(b[i])) return false;
      }
      return true;
    }
    case Kind::kDict: {
      if (dict().size() != other.dict().size()) return false;
      for (const auto& [key, value] : dict().entries()) {
        const Value* found = other.dict().Find(key);
        if (!found || !found->Equals(value)) return false;
      }
      return true;
    }
    case Kind::kObject:
      return object() == other.object() || object()->Equals(*other.object());
    default:
      return false;
  }
}

std::vector<Value> Value::Iterate() const {
  switch (kind()) {
    case Kind::kUndefined:
      return {};
    case Kind::kList:
      return list().items;
    case Kind::kDict: {
      std::vector<Value> keys;
      keys.reserve(dict().size());
      for (const auto& entry : dict().entries()) keys.push_back(entry.first);
      return keys;
    }
    case Kind::kString: {
      std::vector<Value> characters;
      const std::string& s = as_string();
      for (size_t i = 0; i < s.size();) {
        size_t length = 1;
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0xf0) {
          length = 4;
        } else if (c >= 0xe0) {
          length = 3;
        } else if (c >= 0xc0) {
          length = 2;
        }
        characters.emplace_back(s.substr(i, length));
        i += length;
      }
      return characters;
    }
    case Kind::kObject:
      if (std::optional<std::vector<Value>> items = object()->Items()) return std::move(*items);
      [[fallthrough]];
    default:
      throw Error(fmt::format("'{}' is not iterable", TypeName()));
  }
}

Value MakeDict(std::vector<std::pair<std::string, Value>> entries) {
  Value dict = Value::EmptyDict();
  for (auto& [key, value] : entries) dict.dict().Set(Value(key), std::move(value));
  return dict;
}

AttributeObject::AttributeObject(std::string type_name, std::vector<std::pair<std::string, Value>> attributes,
                                 std::string printed, NativeFunction call)
    : type_name_(std::move(type_name)),
      attributes_(attributes.begin(), attributes.end()),
      printed_(std::move(printed)),
      call_(std::move(call)) {}

std::string AttributeObject::ToString() const { return printed_.empty() ? Object::ToString() : printed_; }

Value AttributeObject::GetAttribute(const std::string& name) const {
  auto it = attributes_.find(name);
  return it == attributes_.end() ? Object::GetAttribute(name) : it->second;
}

Value AttributeObject::Call(const CallArgs& args, Renderer& renderer) const {
  if (!call_) return Object::Call(args, renderer);
  return call_(args);
}

Value MakeObject(std::string type_name, std::vector<std::pair<std::string, Value>> attributes, std::string printed,
                 NativeFunction call) {
  return Value(ObjectPtr(std::make_shared<AttributeObject>(std::move(type_name), std::move(attributes),
                                                           std::move(printed), std::move(call))));
}

}  // namespace dlctl::jinja
