#include "config/env_file.h"

#include <fstream>
#include <sstream>

#include "util/error.h"

namespace dlctl {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool ValidName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

}  // namespace

EnvEntries ParseEnvFile(const std::string& text, const std::string& origin) {
  EnvEntries entries;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    if (trimmed.rfind("export ", 0) == 0) trimmed = Trim(trimmed.substr(7));
    size_t eq = trimmed.find('=');
    auto fail = [&](const std::string& why) {
      throw UsageError(origin + ":" + std::to_string(line_no) + ": " + why);
    };
    if (eq == std::string::npos) fail("expected KEY=VALUE");
    std::string name = Trim(trimmed.substr(0, eq));
    if (!ValidName(name)) fail("invalid variable name '" + name + "'");
    std::string raw = Trim(trimmed.substr(eq + 1));
    std::string value;
    if (!raw.empty() && (raw[0] == '"' || raw[0] == '\'')) {
      char quote = raw[0];
      size_t i = 1;
      bool closed = false;
      for (; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == quote) { closed = true; break; }
        if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
          char n = raw[++i];
          value += n == 'n' ? '\n' : n == 't' ? '\t' : n;
        } else {
          value += c;
        }
      }
      if (!closed) fail("unterminated quote in the value of " + name);
      std::string rest = Trim(raw.substr(i + 1));
      if (!rest.empty() && rest[0] != '#') fail("unexpected text after the quoted value of " + name);
    } else {
      size_t hash = raw.find(" #");
      value = Trim(hash == std::string::npos ? raw : raw.substr(0, hash));
    }
    entries.emplace_back(name, value);
  }
  return entries;
}

EnvEntries ReadEnvFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read env file " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseEnvFile(buffer.str(), path.string());
}

}  // namespace dlctl
