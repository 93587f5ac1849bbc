#include "lake/metadata/metadata_store.h"

#include <fmt/format.h>

#include "util/error.h"

namespace dlctl::lake {

int64_t Row::Int(size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    try {
      size_t used = 0;
      int64_t n = std::stoll(*p, &used);
      if (used == p->size()) return n;
    } catch (const std::exception&) {
    }
    throw Error(fmt::format("catalog value '{}' in column {} is not an integer", *p, i));
  }
  throw Error(fmt::format("catalog value in column {} is NULL where an integer is required", i));
}

std::optional<int64_t> Row::OptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::string Row::Text(size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return fmt::format("{}", *p);
  throw Error(fmt::format("catalog value in column {} is NULL where text is required", i));
}

std::optional<std::string> Row::OptionalText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

bool Row::Bool(size_t i) const {
  const Value& v = values.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p == "true" || *p == "1";
  return Int(i) != 0;
}

}  // namespace dlctl::lake
