#include "transform/jinja/json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "transform/jinja/operators.h"
#include "util/error.h"

namespace dlctl::jinja {
namespace {

void AppendJsonString(const std::string& text, std::string& out) {
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '<': out += "\\u003c"; continue;  // HTML-safe, as Jinja's tojson
      case '>': out += "\\u003e"; continue;
      case '&': out += "\\u0026"; continue;
      case '\'': out += "\\u0027"; continue;
      default: break;
    }
    if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    // Non-ASCII: \uXXXX (surrogate pairs above U+FFFF), as json.dumps with ensure_ascii.
    size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    uint32_t code_point = c & (length == 4 ? 0x07 : length == 3 ? 0x0f : 0x1f);
    for (size_t k = 1; k < length && i + k < text.size(); ++k) code_point = (code_point << 6) | (text[i + k] & 0x3f);
    i += length - 1;
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      out += fmt::format("\\u{:04x}\\u{:04x}", 0xd800 + (code_point >> 10), 0xdc00 + (code_point & 0x3ff));
    } else {
      out += fmt::format("\\u{:04x}", code_point);
    }
  }
  out += '"';
}

void AppendJson(const Value& value, int indent, int depth, std::string& out) {
  auto newline = [&](int level) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * level), ' ');
  };
  const char* item_separator = indent < 0 ? ", " : ",";
  switch (value.kind()) {
    case Value::Kind::kNone:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += value.as_bool() ? "true" : "false";
      return;
    case Value::Kind::kInt:
      out += std::to_string(value.as_int());
      return;
    case Value::Kind::kDouble: {
      double d = value.as_double();
      out += std::isnan(d) ? "NaN" : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity") : FormatDouble(d);
      return;
    }
    case Value::Kind::kString:
      AppendJsonString(value.as_string(), out);
      return;
    case Value::Kind::kList: {
      const auto& items = value.list().items;
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += item_separator;
        newline(depth + 1);
        AppendJson(items[i], indent, depth + 1, out);
      }
      newline(depth);
      out += ']';
      return;
    }
    case Value::Kind::kDict: {
      std::vector<std::pair<std::string, const Value*>> entries;
      for (const auto& [key, item] : value.dict().entries()) {
        std::string name = key.is_string()  ? key.as_string()
                           : key.is_bool()  ? (key.as_bool() ? "true" : "false")
                           : key.is_none()  ? "null"
                                            : key.Repr();
        entries.emplace_back(std::move(name), &item);
      }
      std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      if (entries.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i) out += item_separator;
        newline(depth + 1);
        AppendJsonString(entries[i].first, out);
        out += ": ";
        AppendJson(*entries[i].second, indent, depth + 1, out);
      }
      newline(depth);
      out += '}';
      return;
    }
    default:
      throw Error(fmt::format("Object of type {} is not JSON serializable", PythonType(value)));
  }
}

template <typename Json>
Value Convert(const Json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::null:
      return Value::None();
    case nlohmann::json::value_t::boolean:
      return Value(json.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value(json.template get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return Value(static_cast<int64_t>(json.template get<uint64_t>()));
    case nlohmann::json::value_t::number_float:
      return Value(json.template get<double>());
    case nlohmann::json::value_t::string:
      return Value(json.template get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<Value> items;
      items.reserve(json.size());
      for (const auto& item : json) items.push_back(Convert(item));
      return Value(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      Value dict = Value::EmptyDict();
      for (const auto& [key, item] : json.items()) dict.dict().Set(Value(key), Convert(item));
      return dict;
    }
    default:
      throw Error("JSON value of an unsupported type");
  }
}

}  // namespace

std::string ToJson(const Value& value, int indent) {
  std::string out;
  AppendJson(value, indent, 0, out);
  return out;
}

Value FromJson(const nlohmann::json& json) { return Convert(json); }

Value FromJson(const nlohmann::ordered_json& json) { return Convert(json); }

Value ParseJson(std::string_view text) {
  // ordered_json keeps the keys in the order written, as Python's json.loads does.
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text, nullptr, false);
  if (parsed.is_discarded()) throw Error(fmt::format("not valid JSON: {}", text.substr(0, 80)));
  return Convert(parsed);
}

}  // namespace dlctl::jinja
