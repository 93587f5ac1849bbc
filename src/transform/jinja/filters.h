#pragma once
// Filters (value|name(args)) and tests (value is name(args)): Jinja2's built-in ones that dbt
// projects use, in tables the environment owns and the host may extend.
#include <functional>
#include <string>
#include <unordered_map>

#include "transform/jinja/value.h"

namespace dlctl::jinja {

using FilterFunction = std::function<Value(Renderer& renderer, const Value& input, const CallArgs& args)>;
using TestFunction = std::function<bool(Renderer& renderer, const Value& input, const CallArgs& args)>;
using FilterTable = std::unordered_map<std::string, FilterFunction>;
using TestTable = std::unordered_map<std::string, TestFunction>;

void AddBuiltinFilters(FilterTable& filters);
void AddBuiltinTests(TestTable& tests);

}  // namespace dlctl::jinja
