#pragma once
// The statements DuckDB's extension ran to build a fixture lake (fixtures/ducklake/<name>/
// build.sql), to replay them on a catalog of ours, and the catalog's rows side by side.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "lake/metadata/metadata_store.h"
#include "support/test_env.h"

namespace dlctl::lake {

inline std::filesystem::path FixtureLake(const std::string& name) {
  return std::filesystem::path(testing::RequiredEnv("DLCTL_SHARED_DIR")) / "fixtures" / "ducklake" / name;
}

struct FixtureBuild {
  std::vector<std::string> statements;  // after the ATTACH; the first is "USE stage"
  std::optional<uint64_t> inlining_row_limit;  // the ATTACH's DATA_INLINING_ROW_LIMIT
};

// build.sql one statement per entry, the catalog called "stage" instead of "lake".
inline FixtureBuild ReadFixtureBuild(const std::string& name) {
  std::ifstream in(FixtureLake(name) / "build.sql");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  FixtureBuild build;
  std::string current;
  bool quoted = false;
  for (char c : text) {
    if (c == '\'') quoted = !quoted;
    if (c == ';' && !quoted) {
      size_t start = current.find_first_not_of(" \n");
      if (start != std::string::npos) build.statements.push_back(current.substr(start));
      current.clear();
    } else {
      current += c;
    }
  }
  std::smatch limit;
  if (std::regex_search(build.statements.at(0), limit, std::regex(R"(DATA_INLINING_ROW_LIMIT (\d+))")))
    build.inlining_row_limit = std::stoull(limit[1]);
  build.statements.erase(build.statements.begin());  // ATTACH
  build.statements.at(0) = "USE stage";              // the catalog is "stage" here, not "lake"
  return build;
}

// A catalog query's rows, NULL as "NULL", columns joined by '|'.
inline std::vector<std::string> StoreRows(MetadataStore& store, const std::string& sql) {
  std::vector<std::string> rows;
  for (const Row& row : store.Query(sql)) {
    std::string line;
    for (size_t i = 0; i < row.values.size(); ++i) line += (i ? "|" : "") + (row.IsNull(i) ? "NULL" : row.Text(i));
    rows.push_back(line);
  }
  return rows;
}

}  // namespace dlctl::lake
