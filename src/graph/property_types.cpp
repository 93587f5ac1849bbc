#include "graph/property_types.h"

#include <map>

namespace dlctl::graph {
namespace {

const std::map<std::string, std::string>& ScalarTypes() {
  static const std::map<std::string, std::string> types = {
      {"TINYINT", "INT8"},     {"SMALLINT", "INT16"},     {"INTEGER", "INT32"},          {"BIGINT", "INT64"},
      {"HUGEINT", "INT128"},   {"UTINYINT", "UINT8"},     {"USMALLINT", "UINT16"},       {"UINTEGER", "UINT32"},
      {"UBIGINT", "UINT64"},   {"FLOAT", "FLOAT"},        {"DOUBLE", "DOUBLE"},          {"BOOLEAN", "BOOLEAN"},
      {"VARCHAR", "STRING"},   {"BLOB", "BLOB"},          {"DATE", "DATE"},              {"TIMESTAMP", "TIMESTAMP"},
      {"UUID", "UUID"},        {"INTERVAL", "INTERVAL"},  {"TIMESTAMP_NS", "TIMESTAMP_NS"},
      {"TIMESTAMP_MS", "TIMESTAMP_MS"}, {"TIMESTAMP_S", "TIMESTAMP_SEC"},
      {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP_TZ"}};
  return types;
}

// Integer types by width, narrowest first.
const std::map<std::string, int>& IntegerRanks() {
  static const std::map<std::string, int> ranks = {{"TINYINT", 1}, {"SMALLINT", 2}, {"INTEGER", 3},
                                                   {"BIGINT", 4},  {"HUGEINT", 5}};
  return ranks;
}

bool IsNumber(const std::string& type) {
  return IntegerRanks().count(type) || type == "FLOAT" || type == "DOUBLE" || type.starts_with("DECIMAL(");
}

}  // namespace

std::optional<std::string> KuzuTypeFor(const std::string& lake_type) {
  if (lake_type.ends_with("[]")) {
    auto element = KuzuTypeFor(lake_type.substr(0, lake_type.size() - 2));
    if (!element) return std::nullopt;
    return *element + "[]";
  }
  if (lake_type.ends_with("]")) {  // a fixed-size array: FLOAT[3]
    size_t open = lake_type.rfind('[');
    auto element = KuzuTypeFor(lake_type.substr(0, open));
    if (!element) return std::nullopt;
    return *element + lake_type.substr(open);
  }
  if (lake_type.starts_with("DECIMAL(")) return "DOUBLE";  // Kùzu's Parquet reader has no DECIMAL
  auto found = ScalarTypes().find(lake_type);
  if (found == ScalarTypes().end()) return std::nullopt;
  return found->second;
}

std::string LoadableLakeType(const std::string& lake_type) {
  return lake_type.starts_with("DECIMAL(") ? "DOUBLE" : lake_type;
}

std::string CommonLakeType(const std::string& a, const std::string& b) {
  if (a == b) return a;
  auto rank_a = IntegerRanks().find(a), rank_b = IntegerRanks().find(b);
  if (rank_a != IntegerRanks().end() && rank_b != IntegerRanks().end())
    return rank_a->second > rank_b->second ? a : b;
  if (IsNumber(a) && IsNumber(b)) return "DOUBLE";
  return "VARCHAR";
}

}  // namespace dlctl::graph
