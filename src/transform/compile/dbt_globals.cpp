#include "transform/compile/dbt_globals.h"

#include <openssl/evp.h>

#include <algorithm>
#include <yaml-cpp/yaml.h>

#include "transform/compile/python_modules.h"
#include "transform/jinja/json.h"
#include "transform/project/yaml.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/hex.h"
#include "util/uuid.h"

namespace dlctl::transform {

using jinja::CallArgs;
using jinja::MakeObject;
using jinja::Value;

namespace {

Value FromYaml(const std::string& text) {
  try {
    return jinja::FromJson(ToJson(YAML::Load(text)));
  } catch (const YAML::Exception& e) {
    throw Error(std::string("fromyaml: ") + e.what());
  }
}

void EmitYaml(YAML::Emitter& out, const nlohmann::json& value) {
  if (value.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.items()) {
      out << YAML::Key << key << YAML::Value;
      EmitYaml(out, item);
    }
    out << YAML::EndMap;
  } else if (value.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& item : value) EmitYaml(out, item);
    out << YAML::EndSeq;
  } else if (value.is_string()) {
    out << value.get<std::string>();
  } else if (value.is_null()) {
    out << YAML::Null;
  } else {
    out << value.dump();
  }
}

std::vector<std::pair<std::string, Value>> Globals(const Settings& settings, const nlohmann::json& cli_vars) {
  std::vector<std::pair<std::string, Value>> globals;
  globals.emplace_back(
      "exceptions",
      MakeObject("exceptions",
                 {{"raise_compiler_error", Value::Function("raise_compiler_error", [](const CallArgs& args) -> Value {
                     throw Error(args.Bind("raise_compiler_error", {"msg", "node"}, {Value::None()})[0].ToString());
                   })},
                  {"raise_not_implemented", Value::Function("raise_not_implemented", [](const CallArgs& args) -> Value {
                     throw Error("not implemented: " + args.Bind("raise_not_implemented", {"msg"}, {})[0].ToString());
                   })},
                  {"raise_fail_fast_error", Value::Function("raise_fail_fast_error", [](const CallArgs& args) -> Value {
                     throw Error(args.Bind("raise_fail_fast_error", {"msg", "node"}, {Value::None()})[0].ToString());
                   })},
                  {"warn", Value::Function("warn", [](const CallArgs& args) {
                     std::fprintf(stderr, "dlctl: warning: %s\n",
                                  args.Bind("warn", {"msg", "node"}, {Value::None()})[0].ToString().c_str());
                     return Value("");
                   })}}));
  globals.emplace_back("modules", PythonModules());
  globals.emplace_back("zip", Value::Function("zip", [](const CallArgs& args) {
                         std::vector<std::vector<Value>> lists;
                         size_t shortest = SIZE_MAX;
                         for (const Value& arg : args.positional) {
                           lists.push_back(arg.Iterate());
                           shortest = std::min(shortest, lists.back().size());
                         }
                         std::vector<Value> out;
                         for (size_t i = 0; !lists.empty() && i < shortest; ++i) {
                           std::vector<Value> tuple;
                           for (const auto& list : lists) tuple.push_back(list[i]);
                           out.emplace_back(std::move(tuple), true);
                         }
                         return Value(std::move(out));
                       }));
  // Python's sets have no order, so two sets of the same items must compare equal: kept sorted.
  globals.emplace_back("set", Value::Function("set", [](const CallArgs& args) {
                         std::vector<Value> unique;
                         if (!args.positional.empty())
                           for (Value& item : args.positional[0].Iterate()) {
                             bool seen = false;
                             for (const Value& kept : unique) seen = seen || kept.Equals(item);
                             if (!seen) unique.push_back(std::move(item));
                           }
                         std::sort(unique.begin(), unique.end(),
                                   [](const Value& a, const Value& b) { return a.Repr() < b.Repr(); });
                         return Value(std::move(unique));
                       }));
  globals.emplace_back("tojson", Value::Function("tojson", [](const CallArgs& args) {
                         auto bound = args.Bind("tojson", {"value", "default", "sort_keys"}, {Value::None(), Value(false)});
                         return Value(jinja::ToJson(bound[0]));
                       }));
  globals.emplace_back("fromjson", Value::Function("fromjson", [](const CallArgs& args) {
                         auto bound = args.Bind("fromjson", {"string", "default"}, {Value::None()});
                         try {
                           return jinja::ParseJson(bound[0].ToString());
                         } catch (const Error&) {
                           if (!bound[1].is_none()) return bound[1];
                           throw;
                         }
                       }));
  globals.emplace_back("fromyaml", Value::Function("fromyaml", [](const CallArgs& args) {
                         return FromYaml(args.Bind("fromyaml", {"value", "default"}, {Value::None()})[0].ToString());
                       }));
  globals.emplace_back("toyaml", Value::Function("toyaml", [](const CallArgs& args) {
                         YAML::Emitter out;
                         EmitYaml(out, nlohmann::json::parse(jinja::ToJson(args.Bind("toyaml", {"value"}, {})[0])));
                         return Value(std::string(out.c_str()) + "\n");
                       }));
  globals.emplace_back("local_md5", Value::Function("local_md5", [](const CallArgs& args) {
                         std::string text = args.Bind("local_md5", {"value"}, {})[0].ToString();
                         unsigned char digest[EVP_MAX_MD_SIZE];
                         unsigned int size = 0;
                         EVP_Digest(text.data(), text.size(), digest, &size, EVP_md5(), nullptr);
                         return Value(Hex(std::string_view(reinterpret_cast<const char*>(digest), size)));
                       }));
  const auto* variables = &settings.variables;
  globals.emplace_back("env_var", Value::Function("env_var", [variables](const CallArgs& args) {
                         auto bound = args.Bind("env_var", {"var", "default"}, {Value()});
                         auto found = variables->find(bound[0].ToString());
                         if (found != variables->end()) return Value(found->second);
                         if (!bound[1].is_undefined()) return bound[1];
                         throw Error("env_var('" + bound[0].ToString() + "') is not set and has no default");
                       }));
  Value vars = jinja::FromJson(cli_vars);
  globals.emplace_back("var", Value::Function("var", [vars](const CallArgs& args) {
                         auto bound = args.Bind("var", {"name", "default"}, {Value()});
                         if (vars.is_dict())
                           if (const Value* found = vars.dict().Find(bound[0])) return *found;
                         if (!bound[1].is_undefined()) return bound[1];
                         throw Error("required var '" + bound[0].ToString() + "' is not set (--vars)");
                       }));
  globals.emplace_back("invocation_id", Value(InvocationId()));
  globals.emplace_back("run_started_at", RunStartedAt());
  globals.emplace_back("dbt_version", Value("1.10.0"));
  return globals;
}

}  // namespace

const std::string& InvocationId() {
  static const std::string id = UuidV4();
  return id;
}

void AddDbtGlobals(jinja::Environment& environment, const Settings& settings, const nlohmann::json& cli_vars) {
  for (auto& [name, value] : Globals(settings, cli_vars)) environment.AddGlobal(name, std::move(value));
}

void AddDbtGlobals(jinja::Context& context, const Settings& settings, const nlohmann::json& cli_vars) {
  for (auto& [name, value] : Globals(settings, cli_vars)) context[name] = std::move(value);
}

}  // namespace dlctl::transform
