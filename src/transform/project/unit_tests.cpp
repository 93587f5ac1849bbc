#include "transform/project/unit_tests.h"

#include "util/error.h"

namespace dlctl::transform {
namespace {

// One CSV record: fields split at commas outside double quotes ("" is a quote inside one).
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  for (auto& field : fields) {
    size_t begin = field.find_first_not_of(" \t\r");
    field = begin == std::string::npos ? "" : field.substr(begin, field.find_last_not_of(" \t\r") - begin + 1);
  }
  return fields;
}

}  // namespace

nlohmann::json CsvRows(const std::string& text, const std::string& where) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<std::string> header;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::vector<std::string> fields = CsvFields(line);
    if (header.empty()) {
      header = fields;
      continue;
    }
    if (fields.size() != header.size())
      throw Error(where + ": a CSV row has " + std::to_string(fields.size()) + " values for " +
                  std::to_string(header.size()) + " columns: " + line);
    nlohmann::json row = nlohmann::json::object();
    for (size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i].empty() ? nlohmann::json(nullptr) : nlohmann::json(fields[i]);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace dlctl::transform
