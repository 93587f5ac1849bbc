#include "transform/jinja/methods.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "transform/jinja/operators.h"
#include "util/error.h"

namespace dlctl::jinja {
namespace {

const std::unordered_set<std::string> kStringMethods = {
    "lower",   "upper",   "strip", "lstrip", "rstrip",  "split",   "replace", "startswith", "endswith",
    "format",  "join",    "title", "capitalize", "find", "count", "isdigit", "isalpha",    "isalnum",
    "isupper", "islower", "splitlines"};
const std::unordered_set<std::string> kListMethods = {"append", "extend", "insert", "pop",
                                                      "remove", "index",  "count",  "reverse"};
const std::unordered_set<std::string> kDictMethods = {"items", "keys", "values", "get",
                                                      "update", "pop", "setdefault", "copy"};

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string Strip(const std::string& text, const Value& chars, bool left, bool right) {
  auto strip_char = [&](char c) {
    return chars.is_string() ? chars.as_string().find(c) != std::string::npos : IsSpace(c);
  };
  size_t begin = 0, end = text.size();
  if (left) {
    while (begin < end && strip_char(text[begin])) ++begin;
  }
  if (right) {
    while (end > begin && strip_char(text[end - 1])) --end;
  }
  return text.substr(begin, end - begin);
}

std::string MapCase(std::string text, int (*convert)(int)) {
  for (char& c : text) c = static_cast<char>(convert(static_cast<unsigned char>(c)));
  return text;
}

std::string TitleCase(const std::string& text) {
  std::string out = text;
  bool word_start = true;
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    bool letter = std::isalpha(u) != 0;
    c = static_cast<char>(letter ? (word_start ? std::toupper(u) : std::tolower(u)) : u);
    word_start = !letter;
  }
  return out;
}

bool AffixMatches(const std::string& text, const Value& affix, bool prefix) {
  if (affix.is_list()) {
    return std::any_of(affix.list().items.begin(), affix.list().items.end(),
                       [&](const Value& one) { return AffixMatches(text, one, prefix); });
  }
  if (!affix.is_string()) throw Error(fmt::format("{}with first arg must be str or a tuple of str", prefix ? "starts" : "ends"));
  return prefix ? text.starts_with(affix.as_string()) : text.ends_with(affix.as_string());
}

std::string ReplaceAll(const std::string& text, const std::string& old, const std::string& replacement, int64_t count) {
  std::string out;
  size_t at = 0;
  int64_t done = 0;
  if (old.empty()) {
    // Python inserts the replacement between every character and at both ends.
    for (char c : text) {
      if (count >= 0 && done >= count) {
        out += c;
        continue;
      }
      out += replacement;
      out += c;
      ++done;
    }
    if (count < 0 || done < count) out += replacement;
    return out;
  }
  for (size_t found; (count < 0 || done < count) && (found = text.find(old, at)) != std::string::npos; ++done) {
    out.append(text, at, found - at);
    out += replacement;
    at = found + old.size();
  }
  out.append(text, at, std::string::npos);
  return out;
}

bool AllChars(const std::string& text, int (*predicate)(int)) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [&](char c) { return predicate(static_cast<unsigned char>(c)) != 0; });
}

// isupper/islower: at least one cased character, and none of the other case.
bool CasedAs(const std::string& text, bool upper) {
  bool cased = false;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (upper ? std::islower(u) : std::isupper(u)) return false;
    if (std::isalpha(u)) cased = true;
  }
  return cased;
}

Value StringMethod(const std::string& text, const std::string& name, const CallArgs& args) {
  auto arg = [&](size_t i) { return i < args.positional.size() ? args.positional[i] : Value::None(); };
  if (name == "lower") return Value(MapCase(text, ::tolower));
  if (name == "upper") return Value(MapCase(text, ::toupper));
  if (name == "strip") return Value(Strip(text, arg(0), true, true));
  if (name == "lstrip") return Value(Strip(text, arg(0), true, false));
  if (name == "rstrip") return Value(Strip(text, arg(0), false, true));
  if (name == "split") {
    auto bound = args.Bind("split", {"sep", "maxsplit"}, {Value::None(), Value(-1)});
    std::string separator = bound[0].is_none() ? "" : bound[0].ToString();
    if (bound[0].is_string() && separator.empty()) throw Error("empty separator");
    return Value(SplitString(text, separator, bound[1].ToInt()));
  }
  if (name == "splitlines") return Value(SplitString(text, "\n", -1));
  if (name == "replace") {
    auto bound = args.Bind("replace", {"old", "new", "count"}, {Value(-1)});
    return Value(ReplaceAll(text, bound[0].ToString(), bound[1].ToString(), bound[2].ToInt()));
  }
  if (name == "startswith") return Value(AffixMatches(text, args.Bind("startswith", {"prefix"}, {})[0], true));
  if (name == "endswith") return Value(AffixMatches(text, args.Bind("endswith", {"suffix"}, {})[0], false));
  if (name == "format") return Value(PythonFormat(text, args));
  if (name == "join") {
    std::string out;
    bool first = true;
    for (const Value& item : args.Bind("join", {"iterable"}, {})[0].Iterate()) {
      if (!first) out += text;
      first = false;
      out += item.ToString();
    }
    return Value(std::move(out));
  }
  if (name == "title") return Value(TitleCase(text));
  if (name == "capitalize") {
    std::string out = MapCase(text, ::tolower);
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return Value(std::move(out));
  }
  if (name == "find") {
    size_t found = text.find(args.Bind("find", {"sub"}, {})[0].ToString());
    return Value(found == std::string::npos ? int64_t{-1} : static_cast<int64_t>(found));
  }
  if (name == "count") {
    std::string sub = args.Bind("count", {"sub"}, {})[0].ToString();
    if (sub.empty()) return Value(static_cast<int64_t>(text.size() + 1));
    int64_t count = 0;
    for (size_t at = text.find(sub); at != std::string::npos; at = text.find(sub, at + sub.size())) ++count;
    return Value(count);
  }
  if (name == "isdigit") return Value(AllChars(text, ::isdigit));
  if (name == "isalpha") return Value(AllChars(text, ::isalpha));
  if (name == "isalnum") return Value(AllChars(text, ::isalnum));
  if (name == "isupper") return Value(CasedAs(text, true));
  return Value(CasedAs(text, false));  // islower
}

int64_t ListPosition(const std::vector<Value>& items, const Value& index, bool inserting) {
  int64_t size = static_cast<int64_t>(items.size());
  int64_t at = index.ToInt();
  if (at < 0) at += size;
  if (inserting) return std::clamp<int64_t>(at, 0, size);
  if (at < 0 || at >= size) throw Error("list index out of range");
  return at;
}

Value ListMethod(ListData& list, const std::string& name, const CallArgs& args) {
  std::vector<Value>& items = list.items;
  if (name == "append") {
    items.push_back(args.Bind("append", {"object"}, {})[0]);
    return Value::None();
  }
  if (name == "extend") {
    for (Value& item : args.Bind("extend", {"iterable"}, {})[0].Iterate()) items.push_back(std::move(item));
    return Value::None();
  }
  if (name == "insert") {
    auto bound = args.Bind("insert", {"index", "object"}, {});
    items.insert(items.begin() + ListPosition(items, bound[0], true), bound[1]);
    return Value::None();
  }
  if (name == "pop") {
    auto bound = args.Bind("pop", {"index"}, {Value(-1)});
    if (items.empty()) throw Error("pop from empty list");
    int64_t at = ListPosition(items, bound[0], false);
    Value popped = items[static_cast<size_t>(at)];
    items.erase(items.begin() + at);
    return popped;
  }
  if (name == "reverse") {
    std::reverse(items.begin(), items.end());
    return Value::None();
  }
  Value needle = args.Bind(name, {"value"}, {})[0];
  if (name == "count") {
    return Value(static_cast<int64_t>(
        std::count_if(items.begin(), items.end(), [&](const Value& item) { return item.Equals(needle); })));
  }
  auto found = std::find_if(items.begin(), items.end(), [&](const Value& item) { return item.Equals(needle); });
  if (found == items.end()) throw Error(fmt::format("{} is not in list", needle.Repr()));
  if (name == "index") return Value(static_cast<int64_t>(found - items.begin()));
  items.erase(found);  // remove
  return Value::None();
}

Value DictMethod(const Value& self, const std::string& name, const CallArgs& args) {
  DictData& dict = self.dict();
  if (name == "items") {
    std::vector<Value> pairs;
    pairs.reserve(dict.size());
    for (const auto& [key, value] : dict.entries()) pairs.push_back(Value(std::vector<Value>{key, value}, true));
    return Value(std::move(pairs));
  }
  if (name == "keys" || name == "values") {
    std::vector<Value> out;
    out.reserve(dict.size());
    for (const auto& [key, value] : dict.entries()) out.push_back(name == "keys" ? key : value);
    return Value(std::move(out));
  }
  if (name == "get") {
    auto bound = args.Bind("get", {"key", "default"}, {Value::None()});
    const Value* found = dict.Find(bound[0]);
    return found ? *found : bound[1];
  }
  if (name == "update") {
    if (args.positional.size() > 1) throw Error("update expected at most 1 argument");
    if (!args.positional.empty()) {
      const Value& other = args.positional[0];
      if (!other.is_dict()) throw Error(fmt::format("update() needs a dict, not {}", PythonType(other)));
      std::vector<std::pair<Value, Value>> entries = other.dict().entries();  // other may be self
      for (auto& [key, value] : entries) dict.Set(key, std::move(value));
    }
    for (const auto& [key, value] : args.keyword) dict.Set(Value(key), value);
    return Value::None();
  }
  if (name == "pop") {
    auto bound = args.Bind("pop", {"key", "default"}, {Value::MakeUndefined("")});
    const Value* found = dict.Find(bound[0]);
    if (!found) {
      if (bound[1].is_undefined()) throw Error(fmt::format("KeyError: {}", bound[0].Repr()));
      return bound[1];
    }
    Value popped = *found;
    dict.Erase(bound[0]);
    return popped;
  }
  if (name == "setdefault") {
    auto bound = args.Bind("setdefault", {"key", "default"}, {Value::None()});
    if (const Value* found = dict.Find(bound[0])) return *found;
    dict.Set(bound[0], bound[1]);
    return bound[1];
  }
  auto copy = std::make_shared<DictData>(dict);  // copy
  return Value(copy);
}

}  // namespace

bool HasMethod(const Value& self, const std::string& name) {
  switch (self.kind()) {
    case Value::Kind::kString:
      return kStringMethods.count(name) != 0;
    case Value::Kind::kList:
      return kListMethods.count(name) != 0;
    case Value::Kind::kDict:
      return kDictMethods.count(name) != 0;
    default:
      return false;
  }
}

Value CallMethod(const Value& self, const std::string& name, const CallArgs& args) {
  if (self.is_string()) return StringMethod(self.as_string(), name, args);
  if (self.is_list()) return ListMethod(self.list(), name, args);
  return DictMethod(self, name, args);
}

Value BindMethod(const Value& self, const std::string& name) {
  return Value::Function(name, [self, name](const CallArgs& args) { return CallMethod(self, name, args); });
}

std::vector<Value> SplitString(const std::string& text, const std::string& separator, int64_t max_splits) {
  std::vector<Value> parts;
  if (separator.empty()) {
    size_t at = 0;
    while (at < text.size()) {
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size()) break;
      if (max_splits >= 0 && static_cast<int64_t>(parts.size()) >= max_splits) {
        size_t end = text.size();
        while (end > at && IsSpace(text[end - 1])) --end;
        parts.emplace_back(text.substr(at, end - at));
        break;
      }
      size_t end = at;
      while (end < text.size() && !IsSpace(text[end])) ++end;
      parts.emplace_back(text.substr(at, end - at));
      at = end;
    }
    return parts;
  }
  size_t at = 0;
  for (size_t found; (max_splits < 0 || static_cast<int64_t>(parts.size()) < max_splits) &&
                     (found = text.find(separator, at)) != std::string::npos;) {
    parts.emplace_back(text.substr(at, found - at));
    at = found + separator.size();
  }
  parts.emplace_back(text.substr(at));
  return parts;
}

std::string PythonFormat(const std::string& format, const CallArgs& args) {
  std::string out;
  size_t next_index = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '}') {
      if (i + 1 < format.size() && format[i + 1] == '}') ++i;
      out += '}';
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    size_t close = format.find('}', i);
    if (close == std::string::npos) throw Error("single '{' encountered in format string");
    std::string field = format.substr(i + 1, close - i - 1);
    i = close;
    std::string spec;
    if (size_t colon = field.find(':'); colon != std::string::npos) {
      spec = field.substr(colon + 1);
      field.resize(colon);
    }
    bool repr = field.ends_with("!r");
    if (repr || field.ends_with("!s")) field.resize(field.size() - 2);
    Value value;
    if (field.empty() || std::all_of(field.begin(), field.end(), ::isdigit)) {
      size_t index = field.empty() ? next_index++ : std::stoul(field);
      if (index >= args.positional.size()) throw Error(fmt::format("replacement index {} out of range", index));
      value = args.positional[index];
    } else {
      const Value* found = args.Keyword(field);
      if (!found) throw Error(fmt::format("KeyError: '{}'", field));
      value = *found;
    }
    if (repr) {
      out += value.Repr();
    } else if (spec.empty()) {
      out += value.ToString();
    } else {
      try {
        if (value.is_int() || value.is_bool()) {
          out += fmt::format(fmt::runtime("{:" + spec + "}"), value.ToInt());
        } else if (value.is_double()) {
          out += fmt::format(fmt::runtime("{:" + spec + "}"), value.as_double());
        } else {
          out += fmt::format(fmt::runtime("{:" + spec + "}"), value.ToString());
        }
      } catch (const fmt::format_error&) {
        throw Error(fmt::format("invalid format specifier '{}' for {}", spec, value.TypeName()));
      }
    }
  }
  return out;
}

}  // namespace dlctl::jinja
