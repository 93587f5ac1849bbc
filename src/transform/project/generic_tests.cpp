#include "transform/project/generic_tests.h"

#include <openssl/evp.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "util/error.h"
#include "util/hex.h"

namespace dlctl::transform {
namespace {

// The keys of a test entry that configure it rather than pass an argument (dbt's CONFIG_ARGS).
const std::set<std::string> kConfigArgs = {"severity", "tags",        "enabled",     "where",
                                           "limit",    "warn_if",     "error_if",    "fail_calc",
                                           "store_failures", "store_failures_as", "meta", "database",
                                           "schema",   "alias"};

std::string Md5Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!EVP_Digest(text.data(), text.size(), digest, &size, EVP_md5(), nullptr))
    throw Error("cannot compute MD5 (OpenSSL)");
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), size));
}

std::string PythonRepr(const nlohmann::json& value) {
  if (!value.is_string()) return PythonStr(value);
  std::string out = "'";
  for (char c : value.get<std::string>()) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// Every run of characters outside [0-9a-zA-Z_] becomes one '_'.
std::string CleanName(const std::string& text) {
  std::string out;
  bool in_run = false;
  for (char c : text) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    if (keep) out += c;
    else if (!in_run) out += '_';
    in_run = !keep;
  }
  return out;
}

}  // namespace

std::string PythonStr(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "None";
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "True" : "False";
    case nlohmann::json::value_t::string:
      return value.get<std::string>();
    case nlohmann::json::value_t::number_float: {
      double d = value.get<double>();
      if (std::isnan(d)) return "nan";
      if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
      char buffer[64];
      auto end = std::to_chars(buffer, buffer + sizeof buffer, d).ptr;
      std::string text(buffer, end);
      if (text.find_first_of(".e") == std::string::npos) text += ".0";
      return text;
    }
    case nlohmann::json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + PythonRepr(value[i]);
      return out + "]";
    }
    case nlohmann::json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : value.items()) {
        out += (first ? "'" : ", '") + k + "': " + PythonRepr(v);
        first = false;
      }
      return out + "}";
    }
    default:
      return value.dump();  // integers
  }
}

std::pair<std::string, std::string> SynthesizeTestName(const std::string& test_type, const std::string& target_name,
                                                        const nlohmann::json& args) {
  std::vector<std::string> flat;
  for (const auto& [name, value] : args.items()) {  // nlohmann::json keeps keys sorted, like dbt's sorted(args)
    if (name == "model") continue;
    if (value.is_object()) {
      for (const auto& [k, part] : value.items()) flat.push_back(PythonStr(part));
    } else if (value.is_array()) {
      for (const auto& part : value) flat.push_back(PythonStr(part));
    } else {
      flat.push_back(PythonStr(value));
    }
  }
  std::string unique;
  for (size_t i = 0; i < flat.size(); ++i) unique += (i ? "__" : "") + CleanName(flat[i]);
  std::string identifier = test_type + "_" + target_name;
  std::string full = identifier + "_" + unique;
  if (full.size() < 64) return {full, full};
  return {identifier.substr(0, 30) + "_" + Md5Hex(full), full};
}

DataTest BuildGenericTest(const TestEntry& entry, const TestTarget& target, const std::vector<std::string>& fqn_prefix,
                          ProjectConfigTree& project_tests, ProjectConfigTree* root_tests) {
  const YamlFile& file = entry.file;
  const YAML::Node& node = entry.node;
  std::string written_name;
  std::optional<YAML::Node> args_node;  // emplaced: yaml-cpp's Node::operator= writes into the node
  std::optional<std::string> custom_name;
  bool test_name_form = false;
  if (node.IsScalar()) {
    written_name = node.Scalar();
  } else if (node.IsMap() && node["test_name"].IsDefined()) {
    written_name = ScalarText(file, node["test_name"], "test_name");
    args_node.emplace(node);
    test_name_form = true;
  } else if (node.IsMap() && node.size() == 1) {
    auto only = node.begin();
    written_name = ScalarText(file, only->first, "test name");
    args_node.emplace(only->second);
  } else {
    FailAt(file, node, "a test is a name or a mapping with one key, the test's name (e.g. accepted_values: {values: [a, b]})");
  }
  if (written_name.empty()) FailAt(file, node, "a test needs a name");

  DataTest test;
  test.kind = DataTest::Kind::kGeneric;
  auto dot = written_name.find('.');
  test.test_name = dot == std::string::npos ? written_name : written_name.substr(dot + 1);
  test.test_namespace = dot == std::string::npos ? "" : written_name.substr(0, dot);
  if (test.test_name.empty() || test.test_name.find('.') != std::string::npos)
    FailAt(file, node, "test name '" + written_name + "' must be 'name' or 'package.name'");

  nlohmann::json args = nlohmann::json::object();
  ConfigLayer own = nlohmann::json::object(), config_block = nlohmann::json::object();
  if (args_node && !args_node->IsNull()) {
    if (!args_node->IsMap()) FailAt(file, *args_node, "the arguments of test '" + written_name + "' must be a mapping");
    for (const auto& kv : *args_node) {
      std::string key = ScalarText(file, kv.first, "test argument name");
      if (key == "test_name") continue;
      if (key == "name") {
        custom_name = ScalarText(file, kv.second, "test name");
      } else if (key == "description") {
        test.description = ScalarText(file, kv.second, "description");
      } else if (key == "config") {
        if (!kv.second.IsMap()) FailAt(file, kv.second, "config must be a mapping");
        config_block = ToJson(kv.second);
      } else if (key == "arguments") {
        if (!kv.second.IsMap()) FailAt(file, kv.second, "arguments must be a mapping");
        nlohmann::json arguments = ToJson(kv.second);
        for (const auto& [k, v] : arguments.items()) args[k] = v;
      } else if (kConfigArgs.count(key)) {
        own[key] = ToJson(kv.second);
      } else {
        args[key] = ToJson(kv.second);
      }
    }
  }
  if (test_name_form && !custom_name) FailAt(file, node, "a test written with test_name also needs a name");
  if (entry.column_name) args["column_name"] = *entry.column_name;

  std::string test_type = test.test_namespace.empty() ? test.test_name : test.test_namespace + "_" + test.test_name;
  if (target.is_source) test_type = "source_" + test_type;
  test.name = custom_name ? *custom_name : SynthesizeTestName(test_type, target.name, args).first;
  test.fqn = fqn_prefix;
  test.fqn.push_back(test.name);
  test.package = fqn_prefix.front();
  test.unique_id = "test." + test.package + "." + test.name;
  test.attached_to = target.unique_id;
  if (args.contains("column_name")) {
    if (!args["column_name"].is_string()) FailAt(file, node, "column_name must be a string");
    test.column_name = args["column_name"].get<std::string>();
    args.erase("column_name");
  }
  test.arguments = std::move(args);
  test.path = entry.yml_path;
  test.line = node.Mark().is_null() ? 0 : node.Mark().line + 1;

  std::string where = Where(file, node);
  MergeConfig(test.config, {{"materialized", "test"}}, where);
  project_tests.Apply(test.config, test.fqn);
  if (root_tests) root_tests->Apply(test.config, test.fqn);
  if (!entry.column_tags.empty()) MergeConfig(test.config, {{"tags", JsonStrings(entry.column_tags)}}, where);
  MergeConfig(test.config, own, where);
  MergeConfig(test.config, config_block, where);
  if (!target.enabled) MergeConfig(test.config, {{"enabled", false}}, where);  // a test of a disabled node
  return test;
}

}  // namespace dlctl::transform
