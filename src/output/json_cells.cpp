#include "output/json_cells.h"

#include <cctype>
#include <unordered_map>

#include "output/box_table.h"
#include "output/json_text.h"

namespace dlctl {
namespace {

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string JsonOfCell(const QueryResult& result, size_t r, size_t c) {
  if (r < result.json.size()) return result.json[r][c];
  const std::optional<std::string>& value = result.rows[r][c];
  if (!value) return "null";
  const std::string& type = result.types[c];
  if (type == "BOOLEAN") return *value == "true" ? "true" : "false";
  if (IsNumericType(type)) {
    // Text passed through, so HUGEINT and DECIMAL keep every digit; nan and inf are not JSON.
    if (nlohmann::json::accept(*value)) return *value;
    if (*value == "nan" || *value == "-nan" || *value == "inf" || *value == "-inf") return "null";
  }
  if (type == "JSON" && nlohmann::json::accept(*value)) return nlohmann::json::parse(*value).dump();
  return JsonString(*value);
}

std::vector<std::string> UniqueColumnNames(const std::vector<std::string>& names) {
  std::unordered_map<std::string, size_t> seen;  // lowercase name -> times used
  std::vector<std::string> unique;
  for (const std::string& name : names) {
    std::string lower = Lowercase(name);
    if (seen.find(lower) == seen.end()) {
      seen[lower] = 1;
      unique.push_back(name);
      continue;
    }
    std::string renamed;
    do {
      renamed = name + "_" + std::to_string(seen[lower]++);
    } while (seen.count(Lowercase(renamed)));
    seen[Lowercase(renamed)] = 1;
    unique.push_back(renamed);
  }
  return unique;
}

}  // namespace dlctl
