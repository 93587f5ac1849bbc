#include "ingest/credentials.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "ingest/digest.h"
#include "util/error.h"

namespace dlctl {
namespace fs = std::filesystem;

namespace {

// The first line of a small file, trimmed; empty when it does not exist.
std::string ReadToken(const fs::path& path) {
  if (path.empty()) return "";
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  size_t start = line.find_first_not_of(" \t");
  return start == std::string::npos ? "" : line.substr(start);
}

std::string Basic(const std::string& username, const std::string& key) {
  return "Basic " + Base64Encode(username + ":" + key);
}

}  // namespace

std::string KaggleAuthorization(const SourceSettings& s) {
  if (!s.kaggle_api_token.empty()) return "Bearer " + s.kaggle_api_token;
  if (!s.kaggle_username.empty() && !s.kaggle_key.empty()) return Basic(s.kaggle_username, s.kaggle_key);
  if (!s.kaggle_username.empty() || !s.kaggle_key.empty())
    throw UsageError("KAGGLE_USERNAME and KAGGLE_KEY go together: set both, or KAGGLE_API_TOKEN");
  if (s.kaggle_config_dir.empty()) return "";
  if (std::string token = ReadToken(s.kaggle_config_dir / "access_token"); !token.empty()) return "Bearer " + token;
  fs::path json_path = s.kaggle_config_dir / "kaggle.json";
  std::ifstream in(json_path);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, false);
  bool ok = json.is_object() && json.contains("username") && json["username"].is_string() && json.contains("key") &&
            json["key"].is_string();
  if (!ok) throw UsageError(json_path.string() + " must hold {\"username\": ..., \"key\": ...}");
  return Basic(json["username"].get<std::string>(), json["key"].get<std::string>());
}

std::string KaggleCredentialHint(const SourceSettings& s) {
  std::string where = s.kaggle_config_dir.empty() ? "~/.kaggle/kaggle.json" : (s.kaggle_config_dir / "kaggle.json").string();
  return "create an API token at kaggle.com/settings and set KAGGLE_API_TOKEN, or KAGGLE_USERNAME and KAGGLE_KEY, "
         "or save it as " + where;
}

std::string HuggingFaceAuthorization(const SourceSettings& s) {
  std::string token = s.hf_token.empty() ? ReadToken(s.hf_token_file) : s.hf_token;
  return token.empty() ? "" : "Bearer " + token;
}

}  // namespace dlctl
