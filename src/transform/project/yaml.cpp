#include "transform/project/yaml.h"

#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>

#include "util/error.h"

namespace dlctl::transform {
namespace {

bool IsOneOf(const std::string& s, std::initializer_list<const char*> options) {
  for (const char* option : options)
    if (s == option) return true;
  return false;
}

// YAML 1.1 plain scalars as PyYAML's SafeLoader resolves them.
nlohmann::json PlainScalar(const std::string& s) {
  if (IsOneOf(s, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (IsOneOf(s, {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) return true;
  if (IsOneOf(s, {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) return false;
  char first = s[0];
  if (!std::isdigit(static_cast<unsigned char>(first)) && first != '-' && first != '+' && first != '.') return s;
  static const std::regex decimal(R"([-+]?(0|[1-9][0-9_]*))");
  static const std::regex hex(R"([-+]?0x[0-9a-fA-F_]+)");
  static const std::regex real(R"([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?)");
  std::string digits;
  for (char c : s)
    if (c != '_') digits += c;
  try {
    if (std::regex_match(s, decimal)) return std::stoll(digits);
    if (std::regex_match(s, hex)) return std::stoll(digits, nullptr, 16);
    if (std::regex_match(s, real) && s.find_first_of("0123456789") != std::string::npos) return std::stod(digits);
  } catch (const std::out_of_range&) {
    return s;  // beyond 64 bits: keep the text rather than lose digits
  }
  if (IsOneOf(s, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) return std::numeric_limits<double>::infinity();
  if (IsOneOf(s, {"-.inf", "-.Inf", "-.INF"})) return -std::numeric_limits<double>::infinity();
  if (IsOneOf(s, {".nan", ".NaN", ".NAN"})) return std::numeric_limits<double>::quiet_NaN();
  return s;
}

}  // namespace

YamlFile LoadYamlFile(const std::filesystem::path& path, const std::string& display_path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(display_path + ": cannot read the file");
  std::stringstream text;
  text << in.rdbuf();
  YamlFile file{display_path, {}};
  try {
    file.root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) throw Error(display_path + ": " + e.msg);
    throw Error(display_path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
                e.msg);
  }
  return file;
}

std::string Where(const YamlFile& file, const YAML::Node& node) {
  if (!node.IsDefined() || node.Mark().is_null()) return file.display_path;
  return file.display_path + ":" + std::to_string(node.Mark().line + 1);
}

void FailAt(const YamlFile& file, const YAML::Node& node, const std::string& message) {
  throw Error(Where(file, node) + ": " + message);
}

nlohmann::json ToJson(const YAML::Node& node) {
  if (!node.IsDefined()) return nullptr;
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      // "!" marks a quoted scalar; an explicit !!str tag also keeps the text.
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return node.Scalar();
      return PlainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(ToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& entry : node) out[entry.first.Scalar()] = ToJson(entry.second);
      return out;
    }
  }
  return nullptr;
}

std::string ScalarText(const YamlFile& file, const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) FailAt(file, node, what + " must be a string");
  return node.Scalar();
}

std::vector<std::string> StringList(const YamlFile& file, const YAML::Node& node, const std::string& what) {
  std::vector<std::string> out;
  if (!node.IsDefined() || node.IsNull()) return out;
  if (node.IsScalar()) return {node.Scalar()};
  if (!node.IsSequence()) FailAt(file, node, what + " must be a string or a list of strings");
  for (const auto& item : node) out.push_back(ScalarText(file, item, what + " entries"));
  return out;
}

nlohmann::json JsonStrings(const std::vector<std::string>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

nlohmann::json ParseVarsOption(const std::string& text, const std::string& option) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw UsageError(option + " is not YAML or JSON: " + std::string(e.what()));
  }
  if (!node.IsMap()) throw UsageError(option + " must be a mapping, like '{key: value}' (got '" + text + "')");
  return ToJson(node);
}

}  // namespace dlctl::transform
