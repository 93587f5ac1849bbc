#pragma once
// Python's methods on str, list and dict as templates call them: "a,b".split(","),
// {% do cols.append(c) %}, d.items(). Lists and dicts are changed in place, as in Python.
#include <string>

#include "transform/jinja/value.h"

namespace dlctl::jinja {

bool HasMethod(const Value& self, const std::string& name);
// Throws dlctl::Error on bad arguments.
Value CallMethod(const Value& self, const std::string& name, const CallArgs& args);
// The method as a callable value (for `f = s.upper` and printing it).
Value BindMethod(const Value& self, const std::string& name);

// Python's str.format: "{} {0} {name} {:>8} {{".
std::string PythonFormat(const std::string& format, const CallArgs& args);
// Python's str.split(sep, maxsplit); an empty sep splits on runs of whitespace.
std::vector<Value> SplitString(const std::string& text, const std::string& separator, int64_t max_splits);

}  // namespace dlctl::jinja
