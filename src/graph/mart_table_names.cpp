#include "graph/mart_table_names.h"

#include <cctype>
#include <vector>

namespace dlctl::graph {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Only the plural forms whose singular is unambiguous; anything else is kept as written.
std::string Singular(const std::string& word) {
  if (EndsWith(word, "ies")) return word.substr(0, word.size() - 3) + "y";
  for (const char* suffix : {"sses", "xes", "ches", "shes", "zzes"}) {
    if (EndsWith(word, suffix)) return word.substr(0, word.size() - 2);
  }
  if (EndsWith(word, "s") && !EndsWith(word, "ss") && !EndsWith(word, "us") && !EndsWith(word, "is")) {
    return word.substr(0, word.size() - 1);
  }
  return word;
}

std::vector<std::string> Words(const std::string& stem) {
  std::vector<std::string> words;
  std::string word;
  for (char c : stem) {
    if (c == '_') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

}  // namespace

std::optional<MartTableName> ParseMartTableName(const std::string& table) {
  for (auto [marker, kind] : {std::pair{"nodes_", MartTableKind::kNodes}, std::pair{"edges_", MartTableKind::kEdges}}) {
    const std::string marker_text = marker;
    size_t at = table.rfind(marker_text);
    while (at != std::string::npos) {
      bool starts_word = at == 0 || table[at - 1] == '_';
      std::string stem = table.substr(at + marker_text.size());
      if (starts_word && !stem.empty()) {
        return MartTableName{kind, at == 0 ? "" : table.substr(0, at - 1), stem};
      }
      at = at == 0 ? std::string::npos : table.rfind(marker_text, at - 1);
    }
  }
  return std::nullopt;
}

std::string KuzuNameFromStem(const std::string& stem) {
  std::vector<std::string> words = Words(stem);
  std::string name;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string word = i + 1 == words.size() ? Singular(words[i]) : words[i];
    word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    name += word;
  }
  return name;
}

}  // namespace dlctl::graph
