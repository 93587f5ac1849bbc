#pragma once
// JSON to and from Jinja values: |tojson, and what the host turns into values (dbt's fromjson,
// vars, query results).
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "transform/jinja/value.h"

namespace dlctl::jinja {

// Python's json.dumps(value, sort_keys=True) with Jinja's HTML-safe escapes, as |tojson prints.
// indent < 0: one line. Throws dlctl::Error for values JSON cannot hold (undefined, functions).
std::string ToJson(const Value& value, int indent = -1);

// Objects become dicts in their key order, arrays lists, integers int, other numbers float.
Value FromJson(const nlohmann::json& json);
Value FromJson(const nlohmann::ordered_json& json);
// Parses text (keys keep their order); throws dlctl::Error when it is not JSON.
Value ParseJson(std::string_view text);

}  // namespace dlctl::jinja
