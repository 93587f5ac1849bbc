#include "transform/compile/python_modules.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <regex>

#include "util/error.h"

namespace dlctl::transform {

using jinja::CallArgs;
using jinja::MakeDict;
using jinja::MakeObject;
using jinja::Value;

namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
}

const char* const kWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};

// A point in civil time, with the UTC offset of its zone when it has one.
struct CivilTime {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, microsecond = 0;
  std::optional<int64_t> offset_minutes;
  std::string zone;  // "UTC", "America/Los_Angeles", or "" for a fixed offset
  bool is_date = false;

  int64_t Days() const { return DaysFromCivil(year, month, day); }
  int Weekday() const { return static_cast<int>(((Days() % 7) + 7 + 3) % 7); }  // Monday = 0
  int DayOfYear() const { return static_cast<int>(Days() - DaysFromCivil(year, 1, 1) + 1); }

  std::string Offset(bool colon) const {
    if (!offset_minutes) return "";
    int64_t m = *offset_minutes;
    char sign = m < 0 ? '-' : '+';
    m = std::abs(m);
    return fmt::format("{}{:02d}{}{:02d}", sign, m / 60, colon ? ":" : "", m % 60);
  }

  std::string Iso(char separator) const {
    std::string out = fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
    if (is_date) return out;
    out += fmt::format("{}{:02d}:{:02d}:{:02d}", separator, hour, minute, second);
    if (microsecond) out += fmt::format(".{:06d}", microsecond);
    return out + Offset(true);
  }

  std::string Strftime(const std::string& format) const {
    std::string out;
    for (size_t i = 0; i < format.size(); ++i) {
      if (format[i] != '%' || i + 1 == format.size()) {
        out += format[i];
        continue;
      }
      char c = format[++i];
      switch (c) {
        case 'Y': out += fmt::format("{:04d}", year); break;
        case 'y': out += fmt::format("{:02d}", year % 100); break;
        case 'm': out += fmt::format("{:02d}", month); break;
        case 'd': out += fmt::format("{:02d}", day); break;
        case 'H': out += fmt::format("{:02d}", hour); break;
        case 'I': out += fmt::format("{:02d}", hour % 12 == 0 ? 12 : hour % 12); break;
        case 'p': out += hour < 12 ? "AM" : "PM"; break;
        case 'M': out += fmt::format("{:02d}", minute); break;
        case 'S': out += fmt::format("{:02d}", second); break;
        case 'f': out += fmt::format("{:06d}", microsecond); break;
        case 'j': out += fmt::format("{:03d}", DayOfYear()); break;
        case 'A': out += kWeekdays[Weekday()]; break;
        case 'a': out += std::string(kWeekdays[Weekday()]).substr(0, 3); break;
        case 'B': out += kMonths[month - 1]; break;
        case 'b': out += std::string(kMonths[month - 1]).substr(0, 3); break;
        case 'w': out += std::to_string((Weekday() + 1) % 7); break;
        case 'u': out += std::to_string(Weekday() + 1); break;
        case 'z': out += Offset(false); break;
        case 'Z': out += zone; break;
        case '%': out += '%'; break;
        default: out += '%'; out += c;
      }
    }
    return out;
  }
};

CivilTime FromEpochMicros(int64_t micros, std::optional<int64_t> offset, std::string zone) {
  CivilTime t;
  int64_t local = micros + offset.value_or(0) * 60 * 1000000;
  int64_t days = local >= 0 ? local / 86400000000LL : -((-local + 86400000000LL - 1) / 86400000000LL);
  int64_t rest = local - days * 86400000000LL;
  CivilFromDays(days, t.year, t.month, t.day);
  t.hour = rest / 3600000000LL;
  t.minute = rest / 60000000 % 60;
  t.second = rest / 1000000 % 60;
  t.microsecond = rest % 1000000;
  t.offset_minutes = offset;
  t.zone = std::move(zone);
  return t;
}

int64_t EpochMicros(const CivilTime& t) {
  int64_t micros = ((t.Days() * 24 + t.hour) * 60 + t.minute) * 60000000LL + t.second * 1000000LL + t.microsecond;
  return micros - t.offset_minutes.value_or(0) * 60000000LL;
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A time zone: its name and its UTC offset (UTC and fixed offsets are exact; named zones of
// the tz database print without an offset, as naive local times).
struct Zone {
  std::string name;
  std::optional<int64_t> offset_minutes;
};

Value ZoneValue(const Zone& zone) {
  std::string printed = zone.name;
  return MakeObject("tzinfo", {{"zone", Value(zone.name)}, {"name", Value(zone.name)}}, printed);
}

std::optional<Zone> ZoneOf(const Value& value) {
  if (value.is_none() || value.is_undefined()) return std::nullopt;
  Value name = value.is_object() ? value.object()->GetAttribute("zone") : value;
  Zone zone{name.ToString(), std::nullopt};
  if (zone.name == "UTC" || zone.name == "utc" || zone.name == "Etc/UTC") zone.offset_minutes = 0;
  return zone;
}

Value TimeValue(const CivilTime& t);

Value Timedelta(int64_t micros) {
  int64_t days = micros >= 0 ? micros / 86400000000LL : -((-micros + 86400000000LL - 1) / 86400000000LL);
  int64_t rest = micros - days * 86400000000LL;
  std::string printed = days ? fmt::format("{} day{}, ", days, std::abs(days) == 1 ? "" : "s") : "";
  printed += fmt::format("{}:{:02d}:{:02d}", rest / 3600000000LL, rest / 60000000 % 60, rest / 1000000 % 60);
  if (rest % 1000000) printed += fmt::format(".{:06d}", rest % 1000000);
  return MakeObject("timedelta",
                    {{"days", Value(days)},
                     {"seconds", Value(rest / 1000000)},
                     {"microseconds", Value(rest % 1000000)},
                     {"total_seconds", Value::Function("total_seconds", [micros](const CallArgs&) {
                        return Value(static_cast<double>(micros) / 1e6);
                      })},
                     {"__micros__", Value(micros)}},
                    printed);
}

Value TimeValue(const CivilTime& t) {
  std::vector<std::pair<std::string, Value>> attributes = {
      {"year", Value(t.year)},
      {"month", Value(t.month)},
      {"day", Value(t.day)},
      {"strftime", Value::Function("strftime", [t](const CallArgs& args) {
         return Value(t.Strftime(args.Bind("strftime", {"format"}, {})[0].ToString()));
       })},
      {"isoformat", Value::Function("isoformat", [t](const CallArgs& args) {
         auto bound = args.Bind("isoformat", {"sep", "timespec"}, {Value("T"), Value("auto")});
         std::string sep = bound[0].ToString();
         return Value(t.Iso(sep.empty() ? 'T' : sep[0]));
       })},
      {"weekday", Value::Function("weekday", [t](const CallArgs&) { return Value(t.Weekday()); })},
      {"isoweekday", Value::Function("isoweekday", [t](const CallArgs&) { return Value(t.Weekday() + 1); })},
      {"toordinal", Value::Function("toordinal", [t](const CallArgs&) { return Value(t.Days() + 719163); })},
  };
  if (!t.is_date) {
    attributes.emplace_back("hour", Value(t.hour));
    attributes.emplace_back("minute", Value(t.minute));
    attributes.emplace_back("second", Value(t.second));
    attributes.emplace_back("microsecond", Value(t.microsecond));
    attributes.emplace_back("tzinfo", t.zone.empty() && !t.offset_minutes ? Value::None()
                                                                          : ZoneValue({t.zone, t.offset_minutes}));
    attributes.emplace_back("date", Value::Function("date", [t](const CallArgs&) {
                              CivilTime d = t;
                              d.is_date = true;
                              return TimeValue(d);
                            }));
    attributes.emplace_back("timestamp", Value::Function("timestamp", [t](const CallArgs&) {
                              return Value(static_cast<double>(EpochMicros(t)) / 1e6);
                            }));
    attributes.emplace_back("astimezone", Value::Function("astimezone", [t](const CallArgs& args) {
                              std::optional<Zone> zone = ZoneOf(args.Bind("astimezone", {"tz"}, {Value::None()})[0]);
                              if (!zone) return TimeValue(t);
                              return TimeValue(FromEpochMicros(EpochMicros(t), zone->offset_minutes, zone->name));
                            }));
    attributes.emplace_back("replace", Value::Function("replace", [t](const CallArgs& args) {
                              CivilTime out = t;
                              for (const auto& [key, value] : args.keyword) {
                                if (key == "year") out.year = value.ToInt();
                                else if (key == "month") out.month = value.ToInt();
                                else if (key == "day") out.day = value.ToInt();
                                else if (key == "hour") out.hour = value.ToInt();
                                else if (key == "minute") out.minute = value.ToInt();
                                else if (key == "second") out.second = value.ToInt();
                                else if (key == "microsecond") out.microsecond = value.ToInt();
                                else if (key == "tzinfo") {
                                  std::optional<Zone> zone = ZoneOf(value);
                                  out.zone = zone ? zone->name : "";
                                  out.offset_minutes = zone ? zone->offset_minutes : std::nullopt;
                                }
                              }
                              return TimeValue(out);
                            }));
  }
  attributes.emplace_back("__micros__", Value(EpochMicros(t)));
  return MakeObject(t.is_date ? "date" : "datetime", std::move(attributes), t.Iso(' '));
}

CivilTime Construct(const CallArgs& args, bool is_date) {
  CivilTime t;
  t.is_date = is_date;
  std::vector<Value> bound =
      is_date ? args.Bind("date", {"year", "month", "day"}, {})
              : args.Bind("datetime", {"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"},
                          {Value(0), Value(0), Value(0), Value(0), Value::None()});
  t.year = bound[0].ToInt();
  t.month = bound[1].ToInt();
  t.day = bound[2].ToInt();
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31) throw Error("day is out of range for month");
  if (!is_date) {
    t.hour = bound[3].ToInt();
    t.minute = bound[4].ToInt();
    t.second = bound[5].ToInt();
    t.microsecond = bound[6].ToInt();
    if (std::optional<Zone> zone = ZoneOf(bound[7])) {
      t.zone = zone->name;
      t.offset_minutes = zone->offset_minutes;
    }
  }
  return t;
}

CivilTime Now(const Value& tz) {
  std::optional<Zone> zone = ZoneOf(tz);
  CivilTime t = FromEpochMicros(NowMicros(), zone ? zone->offset_minutes : std::optional<int64_t>(0),
                                zone ? zone->name : "");
  if (!zone) t.offset_minutes.reset();  // naive
  return t;
}

// strptime for the common directives (%Y %m %d %H %M %S %f and literal text).
CivilTime Strptime(const std::string& text, const std::string& format) {
  CivilTime t;
  size_t at = 0;
  auto number = [&](size_t max_digits) {
    size_t start = at;
    while (at < text.size() && at - start < max_digits && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
    if (start == at) throw Error("time data '" + text + "' does not match format '" + format + "'");
    return std::stoll(text.substr(start, at - start));
  };
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size()) {
      switch (format[++i]) {
        case 'Y': t.year = number(4); break;
        case 'm': t.month = number(2); break;
        case 'd': t.day = number(2); break;
        case 'H': t.hour = number(2); break;
        case 'M': t.minute = number(2); break;
        case 'S': t.second = number(2); break;
        case 'f': t.microsecond = number(6); break;
        default: throw Error(std::string("strptime: unsupported directive %") + format[i]);
      }
    } else if (at < text.size() && text[at] == format[i]) {
      ++at;
    } else {
      throw Error("time data '" + text + "' does not match format '" + format + "'");
    }
  }
  if (at != text.size()) throw Error("unconverted data remains: " + text.substr(at));
  return t;
}

// --- re ---

std::regex::flag_type RegexFlags(int64_t flags) {
  std::regex::flag_type out = std::regex::ECMAScript;
  if (flags & 2) out |= std::regex::icase;
  if (flags & 8) out |= std::regex::multiline;
  return out;
}

std::regex Compile(const std::string& pattern, int64_t flags) {
  std::string translated = pattern;
  // Python's (?P<name>...) groups are plain groups here.
  for (size_t at = translated.find("(?P<"); at != std::string::npos; at = translated.find("(?P<", at)) {
    size_t close = translated.find('>', at);
    if (close == std::string::npos) break;
    translated.erase(at + 1, close - at);
  }
  try {
    return std::regex(translated, RegexFlags(flags));
  } catch (const std::regex_error& e) {
    throw Error("re: bad pattern '" + pattern + "': " + e.what());
  }
}

// Python's replacement syntax (\1, \g<1>) in ECMAScript's ($1).
std::string Replacement(const std::string& repl) {
  std::string out;
  for (size_t i = 0; i < repl.size(); ++i) {
    char c = repl[i];
    if (c == '$') {
      out += "$$";
    } else if (c == '\\' && i + 1 < repl.size() && std::isdigit(static_cast<unsigned char>(repl[i + 1]))) {
      out += '$';
      out += repl[++i];
    } else if (c == '\\' && repl.compare(i, 3, "\\g<") == 0) {
      size_t close = repl.find('>', i);
      out += "$" + repl.substr(i + 3, close - i - 3);
      i = close;
    } else if (c == '\\' && i + 1 < repl.size()) {
      char next = repl[++i];
      out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
    } else {
      out += c;
    }
  }
  return out;
}

Value MatchValue(const std::smatch& match) {
  std::vector<Value> groups;
  for (size_t i = 1; i < match.size(); ++i) groups.push_back(match[i].matched ? Value(match[i].str()) : Value::None());
  Value all(groups, true);
  std::vector<Value> whole{Value(match[0].str())};
  whole.insert(whole.end(), groups.begin(), groups.end());
  int64_t start = match.position(0), end = start + match.length(0);
  return MakeObject("Match",
                    {{"group", Value::Function("group", [whole](const CallArgs& args) {
                        if (args.positional.size() > 1) {
                          std::vector<Value> out;
                          for (const Value& i : args.positional) out.push_back(whole.at(static_cast<size_t>(i.ToInt())));
                          return Value(std::move(out), true);
                        }
                        size_t i = args.positional.empty() ? 0 : static_cast<size_t>(args.positional[0].ToInt());
                        if (i >= whole.size()) throw Error("no such group");
                        return whole[i];
                      })},
                     {"groups", Value::Function("groups", [all](const CallArgs&) { return all; })},
                     {"start", Value::Function("start", [start](const CallArgs&) { return Value(start); })},
                     {"end", Value::Function("end", [end](const CallArgs&) { return Value(end); })}},
                    "<re.Match object>");
}

enum class MatchMode { kMatch, kSearch, kFullMatch };

Value Find(const std::regex& regex, const std::string& text, MatchMode mode) {
  std::smatch match;
  bool found = mode == MatchMode::kFullMatch ? std::regex_match(text, match, regex)
               : mode == MatchMode::kMatch   ? std::regex_search(text, match, regex, std::regex_constants::match_continuous)
                                             : std::regex_search(text, match, regex);
  return found ? MatchValue(match) : Value::None();
}

Value Sub(const std::regex& regex, const std::string& repl, const std::string& text, int64_t count) {
  if (count <= 0) return Value(std::regex_replace(text, regex, Replacement(repl)));
  std::string out = text;
  for (int64_t i = 0; i < count; ++i) {
    std::string next = std::regex_replace(out, regex, Replacement(repl), std::regex_constants::format_first_only);
    if (next == out) break;
    out = std::move(next);
  }
  return Value(out);
}

Value FindAll(const std::regex& regex, const std::string& text) {
  std::vector<Value> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), regex); it != std::sregex_iterator(); ++it) {
    const std::smatch& match = *it;
    if (match.size() == 1) {
      out.emplace_back(match[0].str());
    } else if (match.size() == 2) {
      out.emplace_back(match[1].str());
    } else {
      std::vector<Value> groups;
      for (size_t i = 1; i < match.size(); ++i) groups.emplace_back(match[i].str());
      out.emplace_back(std::move(groups), true);
    }
  }
  return Value(std::move(out));
}

Value Split(const std::regex& regex, const std::string& text) {
  std::vector<Value> out;
  for (auto it = std::sregex_token_iterator(text.begin(), text.end(), regex, -1); it != std::sregex_token_iterator(); ++it)
    out.emplace_back(it->str());
  return Value(std::move(out));
}

Value PatternValue(const std::string& pattern, int64_t flags) {
  auto regex = std::make_shared<std::regex>(Compile(pattern, flags));
  auto text_of = [](const char* name, const CallArgs& args) { return args.Bind(name, {"string"}, {})[0].ToString(); };
  return MakeObject("Pattern",
                    {{"pattern", Value(pattern)},
                     {"match", Value::Function("match", [regex, text_of](const CallArgs& a) { return Find(*regex, text_of("match", a), MatchMode::kMatch); })},
                     {"search", Value::Function("search", [regex, text_of](const CallArgs& a) { return Find(*regex, text_of("search", a), MatchMode::kSearch); })},
                     {"fullmatch", Value::Function("fullmatch", [regex, text_of](const CallArgs& a) { return Find(*regex, text_of("fullmatch", a), MatchMode::kFullMatch); })},
                     {"findall", Value::Function("findall", [regex, text_of](const CallArgs& a) { return FindAll(*regex, text_of("findall", a)); })},
                     {"split", Value::Function("split", [regex, text_of](const CallArgs& a) { return Split(*regex, text_of("split", a)); })},
                     {"sub", Value::Function("sub", [regex](const CallArgs& args) {
                        auto bound = args.Bind("sub", {"repl", "string", "count"}, {Value(0)});
                        return Sub(*regex, bound[0].ToString(), bound[1].ToString(), bound[2].ToInt());
                      })}},
                    "re.compile('" + pattern + "')");
}

Value ReModule() {
  auto search = [](const char* name, MatchMode mode) {
    return Value::Function(name, [name, mode](const CallArgs& args) {
      auto bound = args.Bind(name, {"pattern", "string", "flags"}, {Value(0)});
      return Find(Compile(bound[0].ToString(), bound[2].ToInt()), bound[1].ToString(), mode);
    });
  };
  return MakeObject(
      "module",
      {{"match", search("match", MatchMode::kMatch)},
       {"search", search("search", MatchMode::kSearch)},
       {"fullmatch", search("fullmatch", MatchMode::kFullMatch)},
       {"sub", Value::Function("sub", [](const CallArgs& args) {
          auto bound = args.Bind("sub", {"pattern", "repl", "string", "count", "flags"}, {Value(0), Value(0)});
          return Sub(Compile(bound[0].ToString(), bound[4].ToInt()), bound[1].ToString(), bound[2].ToString(),
                     bound[3].ToInt());
        })},
       {"findall", Value::Function("findall", [](const CallArgs& args) {
          auto bound = args.Bind("findall", {"pattern", "string", "flags"}, {Value(0)});
          return FindAll(Compile(bound[0].ToString(), bound[2].ToInt()), bound[1].ToString());
        })},
       {"split", Value::Function("split", [](const CallArgs& args) {
          auto bound = args.Bind("split", {"pattern", "string", "maxsplit", "flags"}, {Value(0), Value(0)});
          return Split(Compile(bound[0].ToString(), bound[3].ToInt()), bound[1].ToString());
        })},
       {"compile", Value::Function("compile", [](const CallArgs& args) {
          auto bound = args.Bind("compile", {"pattern", "flags"}, {Value(0)});
          return PatternValue(bound[0].ToString(), bound[1].ToInt());
        })},
       {"escape", Value::Function("escape", [](const CallArgs& args) {
          std::string out;
          for (char c : args.Bind("escape", {"pattern"}, {})[0].ToString()) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') out += '\\';
            out += c;
          }
          return Value(out);
        })},
       {"IGNORECASE", Value(2)}, {"I", Value(2)}, {"MULTILINE", Value(8)}, {"M", Value(8)},
       {"DOTALL", Value(16)}, {"S", Value(16)}, {"VERBOSE", Value(64)}, {"X", Value(64)}});
}

Value DatetimeModule() {
  Value datetime_class = MakeObject(
      "type",
      {{"now", Value::Function("now", [](const CallArgs& args) {
          return TimeValue(Now(args.Bind("now", {"tz"}, {Value::None()})[0]));
        })},
       {"utcnow", Value::Function("utcnow", [](const CallArgs&) {
          CivilTime t = FromEpochMicros(NowMicros(), 0, "");
          t.offset_minutes.reset();
          return TimeValue(t);
        })},
       {"today", Value::Function("today", [](const CallArgs&) { return TimeValue(Now(Value::None())); })},
       {"strptime", Value::Function("strptime", [](const CallArgs& args) {
          auto bound = args.Bind("strptime", {"date_string", "format"}, {});
          return TimeValue(Strptime(bound[0].ToString(), bound[1].ToString()));
        })},
       {"fromtimestamp", Value::Function("fromtimestamp", [](const CallArgs& args) {
          auto bound = args.Bind("fromtimestamp", {"timestamp", "tz"}, {Value::None()});
          std::optional<Zone> zone = ZoneOf(bound[1]);
          CivilTime t = FromEpochMicros(static_cast<int64_t>(bound[0].ToDouble() * 1e6),
                                        zone ? zone->offset_minutes : std::optional<int64_t>(0), zone ? zone->name : "");
          if (!zone) t.offset_minutes.reset();
          return TimeValue(t);
        })}},
      "<class 'datetime.datetime'>", [](const CallArgs& args) { return TimeValue(Construct(args, false)); });
  Value date_class = MakeObject(
      "type",
      {{"today", Value::Function("today", [](const CallArgs&) {
          CivilTime t = Now(Value::None());
          t.is_date = true;
          return TimeValue(t);
        })}},
      "<class 'datetime.date'>", [](const CallArgs& args) { return TimeValue(Construct(args, true)); });
  Value timedelta_class = MakeObject("type", {}, "<class 'datetime.timedelta'>", [](const CallArgs& args) {
    auto bound = args.Bind("timedelta", {"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"},
                           {Value(0), Value(0), Value(0), Value(0), Value(0), Value(0), Value(0)});
    double micros = bound[0].ToDouble() * 86400e6 + bound[1].ToDouble() * 1e6 + bound[2].ToDouble() +
                    bound[3].ToDouble() * 1e3 + bound[4].ToDouble() * 60e6 + bound[5].ToDouble() * 3600e6 +
                    bound[6].ToDouble() * 7 * 86400e6;
    return Timedelta(static_cast<int64_t>(micros));
  });
  Value timezone = MakeObject("type", {{"utc", ZoneValue({"UTC", 0})}});
  return MakeObject("module", {{"datetime", datetime_class},
                               {"date", date_class},
                               {"timedelta", timedelta_class},
                               {"timezone", timezone}});
}

Value PytzModule() {
  return MakeObject("module", {{"utc", ZoneValue({"UTC", 0})},
                               {"UTC", ZoneValue({"UTC", 0})},
                               {"timezone", Value::Function("timezone", [](const CallArgs& args) {
                                  std::string name = args.Bind("timezone", {"zone"}, {})[0].ToString();
                                  return ZoneValue(*ZoneOf(Value(name)));
                                })}});
}

Value ItertoolsModule() {
  return MakeObject("module", {{"chain", Value::Function("chain", [](const CallArgs& args) {
                                  std::vector<Value> out;
                                  for (const Value& list : args.positional)
                                    for (Value& item : list.Iterate()) out.push_back(std::move(item));
                                  return Value(std::move(out));
                                })},
                               {"product", Value::Function("product", [](const CallArgs& args) {
                                  std::vector<std::vector<Value>> out{{}};
                                  for (const Value& list : args.positional) {
                                    std::vector<std::vector<Value>> next;
                                    for (const auto& prefix : out)
                                      for (const Value& item : list.Iterate()) {
                                        next.push_back(prefix);
                                        next.back().push_back(item);
                                      }
                                    out = std::move(next);
                                  }
                                  std::vector<Value> tuples;
                                  for (auto& tuple : out) tuples.emplace_back(std::move(tuple), true);
                                  return Value(std::move(tuples));
                                })}});
}

}  // namespace

Value PythonModules() {
  static const Value modules = MakeObject("modules", {{"datetime", DatetimeModule()},
                                                      {"pytz", PytzModule()},
                                                      {"re", ReModule()},
                                                      {"itertools", ItertoolsModule()}});
  return modules;
}

Value RunStartedAt() {
  static const int64_t started = NowMicros();
  return TimeValue(FromEpochMicros(started, 0, "UTC"));
}

}  // namespace dlctl::transform
