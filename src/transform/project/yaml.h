#pragma once
// YAML as dbt reads it (PyYAML, YAML 1.1 scalars), with errors that name the file and line.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace dlctl::transform {

// A parsed YAML file and the name it has in messages.
struct YamlFile {
  std::string display_path;  // "transform/models/schema.yml"
  YAML::Node root;
};

// Reads and parses a file. A syntax error is an Error "path:line:column: message".
YamlFile LoadYamlFile(const std::filesystem::path& path, const std::string& display_path);

// "path:line" for a node with a position, else "path".
std::string Where(const YamlFile& file, const YAML::Node& node);

// Throws Error "path:line: message".
[[noreturn]] void FailAt(const YamlFile& file, const YAML::Node& node, const std::string& message);

// The value as PyYAML would load it: plain scalars typed as YAML 1.1 (null, yes/no/on/off/true/false,
// integers, floats with a dot), quoted scalars as strings, sequences and mappings recursively.
nlohmann::json ToJson(const YAML::Node& node);

// A scalar that must be a string (a plain number or bool is taken as its text, like dbt's
// names); anything else is an error naming `what`.
std::string ScalarText(const YamlFile& file, const YAML::Node& node, const std::string& what);

// A list of strings: one string, or a sequence of them.
std::vector<std::string> StringList(const YamlFile& file, const YAML::Node& node, const std::string& what);

// --vars: a YAML (or JSON) mapping, "{key: value}". UsageError for anything else.
nlohmann::json ParseVarsOption(const std::string& text, const std::string& option = "--vars");

// A JSON array of strings.
nlohmann::json JsonStrings(const std::vector<std::string>& items);

}  // namespace dlctl::transform
