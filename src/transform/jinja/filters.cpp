#include "transform/jinja/filters.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "transform/jinja/interpreter.h"
#include "transform/jinja/json.h"
#include "transform/jinja/methods.h"
#include "transform/jinja/operators.h"
#include "util/error.h"

namespace dlctl::jinja {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Jinja's title: a word starts after whitespace, '-', or an opening bracket.
std::string Title(const std::string& text) {
  std::string out = text;
  bool word_start = true;
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    bool boundary = std::isspace(u) || c == '-' || c == '(' || c == '{' || c == '[' || c == '<';
    if (!boundary) c = static_cast<char>(word_start ? std::toupper(u) : std::tolower(u));
    word_start = boundary;
  }
  return out;
}

size_t CodePoints(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xc0) != 0x80; }));
}

// The item's attribute for attribute= arguments; "a.b" and "0" reach into nested values.
Value AttributeOf(const Value& item, const std::string& path) {
  Value current = item;
  size_t at = 0;
  while (at <= path.size()) {
    size_t dot = path.find('.', at);
    std::string part = path.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
    bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
    if (current.is_dict()) {
      const Value* found = current.dict().Find(Value(part));
      if (!found && numeric) found = current.dict().Find(Value(static_cast<int64_t>(std::stoll(part))));
      current = found ? *found : Value::MakeUndefined(fmt::format("'dict object' has no attribute '{}'", part));
    } else if (current.is_list() && numeric) {
      size_t index = std::stoul(part);
      current = index < current.list().items.size() ? current.list().items[index] : Value();
    } else if (current.is_object()) {
      current = numeric ? current.object()->GetItem(Value(static_cast<int64_t>(std::stoll(part))))
                        : current.object()->GetAttribute(part);
    } else {
      current = Value::MakeUndefined(fmt::format("'{}' has no attribute '{}'", current.TypeName(), part));
    }
    if (dot == std::string::npos) break;
    at = dot + 1;
  }
  return current;
}

// Keys for sort/unique/min/max: strings fold case unless case_sensitive.
Value SortKey(const Value& item, const Value& attribute, bool case_sensitive) {
  Value key = attribute.is_none() || attribute.is_undefined() ? item : AttributeOf(item, attribute.ToString());
  if (!case_sensitive && key.is_string()) return Value(Lower(key.as_string()));
  return key;
}

Value First(const Value& input) {
  std::vector<Value> items = input.Iterate();
  if (items.empty()) return Value::MakeUndefined("No first item, sequence was empty.");
  return items.front();
}

Value Last(const Value& input) {
  std::vector<Value> items = input.Iterate();
  if (items.empty()) return Value::MakeUndefined("No last item, sequence was empty.");
  return items.back();
}

Value ToInt(const Value& input, const CallArgs& args) {
  auto bound = args.Bind("int", {"default", "base"}, {Value(0), Value(10)});
  if (input.is_int()) return input;
  if (input.is_bool() || input.is_double()) return Value(input.ToInt());
  if (input.is_string()) {
    std::string text = input.as_string();
    text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
    size_t begin = text.find_first_not_of(" \t\n\r");
    size_t end = text.find_last_not_of(" \t\n\r");
    if (begin != std::string::npos) {
      text = text.substr(begin, end - begin + 1);
      try {
        size_t used = 0;
        int64_t parsed = std::stoll(text, &used, static_cast<int>(bound[1].ToInt()));
        if (used == text.size()) return Value(parsed);
        double as_double = std::stod(text, &used);
        if (used == text.size()) return Value(static_cast<int64_t>(as_double));
      } catch (const std::exception&) {
      }
    }
  }
  return bound[0];
}

Value ToFloat(const Value& input, const CallArgs& args) {
  auto bound = args.Bind("float", {"default"}, {Value(0.0)});
  if (input.is_number()) return Value(input.ToDouble());
  if (input.is_string()) {
    try {
      size_t used = 0;
      double parsed = std::stod(input.as_string(), &used);
      if (used == input.as_string().size()) return Value(parsed);
    } catch (const std::exception&) {
    }
  }
  return bound[0];
}

// Jinja's indent: every line but the first (unless first=true); blank lines only with blank=true.
std::string Indent(const std::string& text, const Value& width, bool first, bool blank) {
  std::string indentation = width.is_string() ? width.as_string() : std::string(static_cast<size_t>(width.ToInt()), ' ');
  std::vector<Value> lines = SplitString(text + "\n", "\n", -1);
  lines.pop_back();  // the "\n" added above ends the last line, as Python's splitlines reads it
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i].as_string();
    if (i > 0) out += '\n';
    if ((i > 0 || first) && (blank || !line.empty() || (i == 0 && first))) out += indentation;
    out += line;
  }
  return out;
}

double Round(double value, int64_t precision, const std::string& method) {
  double scale = std::pow(10.0, static_cast<double>(precision));
  if (method == "ceil") return std::ceil(value * scale) / scale;
  if (method == "floor") return std::floor(value * scale) / scale;
  if (method != "common") throw Error("method must be common, ceil or floor");
  return std::nearbyint(value * scale) / scale;  // the default rounding mode: half to even, like Python's round()
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// select/reject and selectattr/rejectattr: the test named by the first argument, or truthiness.
// Like Jinja2's, map/select & co give nothing for a false input (none, an empty string).
Value Select(Renderer& renderer, const Value& input, const CallArgs& args, bool by_attribute, bool keep) {
  if (!input.Truthy()) return Value(std::vector<Value>{});
  size_t first_test_arg = by_attribute ? 1 : 0;
  if (by_attribute && args.positional.empty()) throw Error("selectattr needs an attribute name");
  std::string test = args.positional.size() > first_test_arg ? args.positional[first_test_arg].ToString() : "";
  CallArgs test_args;
  for (size_t i = first_test_arg + 1; i < args.positional.size(); ++i) test_args.positional.push_back(args.positional[i]);
  std::vector<Value> kept;
  for (Value& item : input.Iterate()) {
    Value subject = by_attribute ? AttributeOf(item, args.positional[0].ToString()) : item;
    bool passes = test.empty() ? subject.Truthy() : renderer.ApplyTest(test, subject, test_args);
    if (passes == keep) kept.push_back(std::move(item));
  }
  return Value(std::move(kept));
}

Value Map(Renderer& renderer, const Value& input, const CallArgs& args) {
  std::vector<Value> mapped;
  if (!input.Truthy()) return Value(std::move(mapped));
  if (const Value* attribute = args.Keyword("attribute")) {
    const Value* fallback = args.Keyword("default");
    for (const Value& item : input.Iterate()) {
      Value value = AttributeOf(item, attribute->ToString());
      mapped.push_back(value.is_undefined() && fallback ? *fallback : value);
    }
    return Value(std::move(mapped));
  }
  if (args.positional.empty()) throw Error("map needs a filter name or attribute=");
  CallArgs filter_args;
  filter_args.positional.assign(args.positional.begin() + 1, args.positional.end());
  filter_args.keyword = args.keyword;
  std::string filter = args.positional[0].ToString();
  for (const Value& item : input.Iterate()) mapped.push_back(renderer.ApplyFilter(filter, item, filter_args));
  return Value(std::move(mapped));
}

Value Sort(const Value& input, const CallArgs& args) {
  auto bound = args.Bind("sort", {"reverse", "case_sensitive", "attribute"}, {Value(false), Value(false), Value::None()});
  std::vector<Value> items = input.Iterate();
  std::vector<std::pair<Value, Value>> keyed;
  for (Value& item : items) keyed.emplace_back(SortKey(item, bound[2], bound[1].Truthy()), std::move(item));
  bool reverse = bound[0].Truthy();
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    return reverse ? LessThan(b.first, a.first) : LessThan(a.first, b.first);
  });
  std::vector<Value> sorted;
  for (auto& [key, item] : keyed) sorted.push_back(std::move(item));
  return Value(std::move(sorted));
}

Value Unique(const Value& input, const CallArgs& args) {
  auto bound = args.Bind("unique", {"case_sensitive", "attribute"}, {Value(false), Value::None()});
  std::vector<Value> seen, unique;
  for (Value& item : input.Iterate()) {
    Value key = SortKey(item, bound[1], bound[0].Truthy());
    if (std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return s.Equals(key); })) continue;
    seen.push_back(std::move(key));
    unique.push_back(std::move(item));
  }
  return Value(std::move(unique));
}

Value Extreme(const Value& input, const CallArgs& args, bool want_max) {
  auto bound = args.Bind(want_max ? "max" : "min", {"case_sensitive", "attribute"}, {Value(false), Value::None()});
  std::vector<Value> items = input.Iterate();
  if (items.empty()) return Value::MakeUndefined(fmt::format("No aggregated item, sequence was empty."));
  size_t best = 0;
  Value best_key = SortKey(items[0], bound[1], bound[0].Truthy());
  for (size_t i = 1; i < items.size(); ++i) {
    Value key = SortKey(items[i], bound[1], bound[0].Truthy());
    if (want_max ? LessThan(best_key, key) : LessThan(key, best_key)) {
      best = i;
      best_key = std::move(key);
    }
  }
  return items[best];
}

Value DictSort(const Value& input, const CallArgs& args) {
  auto bound = args.Bind("dictsort", {"case_sensitive", "by", "reverse"}, {Value(false), Value("key"), Value(false)});
  if (!input.is_dict()) throw Error(fmt::format("dictsort needs a dict, not {}", PythonType(input)));
  std::string by = bound[1].ToString();
  if (by != "key" && by != "value") throw Error("You can only sort by either 'key' or 'value'");
  std::vector<std::pair<Value, Value>> entries = input.dict().entries();
  bool case_sensitive = bound[0].Truthy(), reverse = bound[2].Truthy();
  std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
    Value ka = SortKey(by == "key" ? a.first : a.second, Value::None(), case_sensitive);
    Value kb = SortKey(by == "key" ? b.first : b.second, Value::None(), case_sensitive);
    return reverse ? LessThan(kb, ka) : LessThan(ka, kb);
  });
  std::vector<Value> pairs;
  for (auto& [key, value] : entries) pairs.push_back(Value(std::vector<Value>{key, value}, true));
  return Value(std::move(pairs));
}

Value Join(const Value& input, const CallArgs& args) {
  auto bound = args.Bind("join", {"d", "attribute"}, {Value(""), Value::None()});
  std::string separator = bound[0].ToString(), out;
  bool first = true;
  for (const Value& item : input.Iterate()) {
    if (!first) out += separator;
    first = false;
    out += (bound[1].is_none() ? item : AttributeOf(item, bound[1].ToString())).ToString();
  }
  return Value(std::move(out));
}

Value Sum(const Value& input, const CallArgs& args) {
  auto bound = args.Bind("sum", {"attribute", "start"}, {Value::None(), Value(0)});
  Value total = bound[1];
  for (const Value& item : input.Iterate()) {
    total = ApplyBinary(BinaryOp::kAdd, total, bound[0].is_none() ? item : AttributeOf(item, bound[0].ToString()));
  }
  return total;
}

Value Length(const Value& input) {
  switch (input.kind()) {
    case Value::Kind::kUndefined:
      return Value(0);
    case Value::Kind::kString:
      return Value(static_cast<int64_t>(CodePoints(input.as_string())));
    case Value::Kind::kList:
      return Value(static_cast<int64_t>(input.list().items.size()));
    case Value::Kind::kDict:
      return Value(static_cast<int64_t>(input.dict().size()));
    case Value::Kind::kObject:
      if (std::optional<size_t> length = input.object()->Length()) return Value(static_cast<int64_t>(*length));
      [[fallthrough]];
    default:
      throw Error(fmt::format("object of type '{}' has no len()", PythonType(input)));
  }
}

Value WordCount(const Value& input) {
  int64_t words = 0;
  bool in_word = false;
  for (char c : input.ToString()) {
    bool word_char = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80);
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return Value(words);
}

// A filter that needs only its input.
FilterFunction Simple(Value (*function)(const Value&)) {
  return [function](Renderer&, const Value& input, const CallArgs&) { return function(input); };
}

// A filter of its input and arguments, not of other filters or tests.
FilterFunction WithArgs(Value (*function)(const Value&, const CallArgs&)) {
  return [function](Renderer&, const Value& input, const CallArgs& args) { return function(input, args); };
}

}  // namespace

void AddBuiltinFilters(FilterTable& filters) {
  filters["lower"] = Simple([](const Value& v) { return Value(Lower(v.ToString())); });
  filters["upper"] = Simple([](const Value& v) { return CallMethod(Value(v.ToString()), "upper", {}); });
  filters["title"] = Simple([](const Value& v) { return Value(Title(v.ToString())); });
  filters["capitalize"] = Simple([](const Value& v) { return CallMethod(Value(v.ToString()), "capitalize", {}); });
  filters["replace"] = WithArgs([](const Value& v, const CallArgs& args) {
    auto bound = args.Bind("replace", {"old", "new", "count"}, {Value::None()});
    CallArgs method_args{{bound[0], bound[1], bound[2].is_none() ? Value(-1) : bound[2]}, {}};
    return CallMethod(Value(v.ToString()), "replace", method_args);
  });
  filters["trim"] = WithArgs([](const Value& v, const CallArgs& args) {
    auto bound = args.Bind("trim", {"chars"}, {Value::None()});
    return CallMethod(Value(v.ToString()), "strip", CallArgs{{bound[0]}, {}});
  });
  filters["join"] = WithArgs(Join);
  filters["default"] = WithArgs([](const Value& v, const CallArgs& args) {
    auto bound = args.Bind("default", {"default_value", "boolean"}, {Value(""), Value(false)});
    if (v.is_undefined() || (bound[1].Truthy() && !v.Truthy())) return bound[0];
    return v;
  });
  filters["d"] = filters["default"];
  filters["length"] = Simple(Length);
  filters["count"] = filters["length"];
  filters["list"] = Simple([](const Value& v) { return Value(v.Iterate()); });
  filters["int"] = WithArgs(ToInt);
  filters["float"] = WithArgs(ToFloat);
  filters["string"] = Simple([](const Value& v) { return Value(v.ToString()); });
  filters["tojson"] = WithArgs([](const Value& v, const CallArgs& args) {
    auto bound = args.Bind("tojson", {"indent"}, {Value::None()});
    return Value(ToJson(v, bound[0].is_none() ? -1 : static_cast<int>(bound[0].ToInt())));
  });
  filters["first"] = Simple(First);
  filters["last"] = Simple(Last);
  filters["sort"] = WithArgs(Sort);
  filters["unique"] = WithArgs(Unique);
  filters["min"] = WithArgs([](const Value& v, const CallArgs& args) { return Extreme(v, args, false); });
  filters["max"] = WithArgs([](const Value& v, const CallArgs& args) { return Extreme(v, args, true); });
  filters["map"] = Map;
  filters["select"] = [](Renderer& r, const Value& v, const CallArgs& a) { return Select(r, v, a, false, true); };
  filters["reject"] = [](Renderer& r, const Value& v, const CallArgs& a) { return Select(r, v, a, false, false); };
  filters["selectattr"] = [](Renderer& r, const Value& v, const CallArgs& a) { return Select(r, v, a, true, true); };
  filters["rejectattr"] = [](Renderer& r, const Value& v, const CallArgs& a) { return Select(r, v, a, true, false); };
  filters["abs"] = Simple([](const Value& v) {
    if (v.is_double()) return Value(std::fabs(v.as_double()));
    return Value(std::abs(v.ToInt()));
  });
  filters["round"] = WithArgs([](const Value& v, const CallArgs& args) {
    auto bound = args.Bind("round", {"precision", "method"}, {Value(0), Value("common")});
    return Value(Round(v.ToDouble(), bound[0].ToInt(), bound[1].ToString()));
  });
  filters["indent"] = WithArgs([](const Value& v, const CallArgs& args) {
    auto bound = args.Bind("indent", {"width", "first", "blank"}, {Value(4), Value(false), Value(false)});
    return Value(Indent(v.ToString(), bound[0], bound[1].Truthy(), bound[2].Truthy()));
  });
  filters["wordcount"] = Simple(WordCount);
  filters["items"] = Simple([](const Value& v) {
    if (v.is_undefined()) return Value(std::vector<Value>{});
    if (!v.is_dict()) throw Error(fmt::format("items needs a dict, not {}", PythonType(v)));
    return CallMethod(v, "items", {});
  });
  filters["dictsort"] = WithArgs(DictSort);
  filters["reverse"] = Simple([](const Value& v) {
    if (v.is_string()) {
      std::vector<Value> characters = v.Iterate();
      std::string out;
      for (auto it = characters.rbegin(); it != characters.rend(); ++it) out += it->as_string();
      return Value(std::move(out));
    }
    std::vector<Value> items = v.Iterate();
    std::reverse(items.begin(), items.end());
    return Value(std::move(items));
  });
  filters["sum"] = WithArgs(Sum);
  filters["format"] = WithArgs([](const Value& v, const CallArgs& args) {
    if (!args.keyword.empty()) {
      Value mapping = Value::EmptyDict();
      for (const auto& [key, value] : args.keyword) mapping.dict().Set(Value(key), value);
      return Value(PercentFormat(v.ToString(), mapping));
    }
    return Value(PercentFormat(v.ToString(), Value(args.positional, true)));
  });
  filters["safe"] = Simple([](const Value& v) { return v; });
  filters["escape"] = Simple([](const Value& v) { return Value(HtmlEscape(v.ToString())); });
  filters["e"] = filters["escape"];
  filters["attr"] = WithArgs([](const Value& v, const CallArgs& args) {
    std::string name = args.Bind("attr", {"name"}, {})[0].ToString();
    if (v.is_object()) return v.object()->GetAttribute(name);
    return Value::MakeUndefined(fmt::format("'{}' has no attribute '{}'", v.TypeName(), name));
  });
  filters["center"] = WithArgs([](const Value& v, const CallArgs& args) {
    int64_t width = args.Bind("center", {"width"}, {Value(80)})[0].ToInt();
    std::string text = v.ToString();
    int64_t padding = width - static_cast<int64_t>(CodePoints(text));
    if (padding <= 0) return Value(text);
    // CPython's str.center split of an odd padding.
    int64_t left = padding / 2 + (padding & width & 1);
    return Value(std::string(static_cast<size_t>(left), ' ') + text +
                 std::string(static_cast<size_t>(padding - left), ' '));
  });
}

void AddBuiltinTests(TestTable& tests) {
  auto simple = [](bool (*predicate)(const Value&)) -> TestFunction {
    return [predicate](Renderer&, const Value& v, const CallArgs&) { return predicate(v); };
  };
  auto compare = [](CompareOp op) -> TestFunction {
    return [op](Renderer&, const Value& v, const CallArgs& args) {
      return ApplyCompare(op, v, args.Bind("test", {"other"}, {})[0]);
    };
  };
  tests["defined"] = simple([](const Value& v) { return !v.is_undefined(); });
  tests["undefined"] = simple([](const Value& v) { return v.is_undefined(); });
  tests["none"] = simple([](const Value& v) { return v.is_none(); });
  tests["string"] = simple([](const Value& v) { return v.is_string(); });
  tests["number"] = simple([](const Value& v) { return v.is_number(); });
  tests["integer"] = simple([](const Value& v) { return v.is_int(); });
  tests["float"] = simple([](const Value& v) { return v.is_double(); });
  tests["boolean"] = simple([](const Value& v) { return v.is_bool(); });
  tests["mapping"] = simple([](const Value& v) {
    return (v.is_dict() && !v.dict().is_namespace) || (v.is_object() && v.object()->IsMapping());
  });
  tests["iterable"] = simple([](const Value& v) {
    return v.is_list() || v.is_dict() || v.is_string() || v.is_undefined() || (v.is_object() && v.object()->Items());
  });
  tests["sequence"] = simple([](const Value& v) {
    return v.is_list() || v.is_dict() || v.is_string() || (v.is_object() && v.object()->Length());
  });
  tests["callable"] = simple([](const Value& v) { return v.is_callable(); });
  tests["true"] = simple([](const Value& v) { return v.is_bool() && v.as_bool(); });
  tests["false"] = simple([](const Value& v) { return v.is_bool() && !v.as_bool(); });
  tests["even"] = simple([](const Value& v) { return v.ToInt() % 2 == 0; });
  tests["odd"] = simple([](const Value& v) { return v.ToInt() % 2 != 0; });
  tests["lower"] = simple([](const Value& v) { return v.is_string() && CallMethod(v, "islower", {}).as_bool(); });
  tests["upper"] = simple([](const Value& v) { return v.is_string() && CallMethod(v, "isupper", {}).as_bool(); });
  tests["divisibleby"] = [](Renderer&, const Value& v, const CallArgs& args) {
    int64_t divisor = args.Bind("divisibleby", {"num"}, {})[0].ToInt();
    if (divisor == 0) throw Error("integer division or modulo by zero");
    return v.ToInt() % divisor == 0;
  };
  tests["sameas"] = [](Renderer&, const Value& v, const CallArgs& args) {
    Value other = args.Bind("sameas", {"other"}, {})[0];
    if (v.kind() != other.kind()) return false;
    if (v.is_list()) return &v.list() == &other.list();
    if (v.is_dict()) return &v.dict() == &other.dict();
    return v.Equals(other);
  };
  tests["in"] = [](Renderer&, const Value& v, const CallArgs& args) {
    return Contains(args.Bind("in", {"seq"}, {})[0], v);
  };
  for (const char* name : {"eq", "equalto", "=="}) tests[name] = compare(CompareOp::kEqual);
  for (const char* name : {"ne", "!="}) tests[name] = compare(CompareOp::kNotEqual);
  for (const char* name : {"lt", "lessthan", "<"}) tests[name] = compare(CompareOp::kLess);
  for (const char* name : {"le", "<="}) tests[name] = compare(CompareOp::kLessEqual);
  for (const char* name : {"gt", "greaterthan", ">"}) tests[name] = compare(CompareOp::kGreater);
  for (const char* name : {"ge", ">="}) tests[name] = compare(CompareOp::kGreaterEqual);
}

}  // namespace dlctl::jinja
