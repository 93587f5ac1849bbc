#include "transform/run/model_error.h"

#include <sstream>
#include <vector>

namespace dlctl::transform {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// "LINE 3: " -> 3; 0 when `line` is no LINE context.
size_t ContextLineNumber(const std::string& line, size_t& text_start) {
  if (line.rfind("LINE ", 0) != 0) return 0;
  size_t colon = line.find(": ");
  if (colon == std::string::npos) return 0;
  try {
    text_start = colon + 2;
    return std::stoul(line.substr(5, colon - 5));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

std::string ModelErrorMessage(const std::string& name, const std::string& path, const std::string& compiled_sql,
                              const std::string& message) {
  std::vector<std::string> sql = Lines(compiled_sql);
  std::vector<std::string> lines = Lines(message);
  std::string out = "model " + name + " (" + path + "): ";
  for (size_t i = 0; i < lines.size(); ++i) {
    size_t text_start = 0;
    size_t number = ContextLineNumber(lines[i], text_start);
    bool has_caret = i + 1 < lines.size() && lines[i + 1].find_first_not_of(' ') != std::string::npos &&
                     lines[i + 1][lines[i + 1].find_first_not_of(' ')] == '^';
    if (number == 0 || !has_caret) {
      out += (i ? "\n" : "") + lines[i];
      continue;
    }
    std::string text = lines[i].substr(text_start);
    size_t caret_at = lines[i + 1].find('^');
    ++i;
    const std::string own = number <= sql.size() ? sql[number - 1] : std::string();
    size_t at = own.empty() ? std::string::npos : text.find(own);
    // Not the model's SQL, or an error inside the wrapper: say nothing rather than mislead.
    if (at == std::string::npos || caret_at < text_start + at) continue;
    text = own;  // what the wrapper added before or after the model's line goes
    std::string caret = std::string(caret_at - at, ' ') + "^";
    out.append("\n").append(lines[i - 1], 0, text_start).append(text).append("\n").append(caret);
  }
  return out;
}

}  // namespace dlctl::transform
