#include "lake/write/target_file_size.h"

#include <cctype>
#include <cstdlib>

#include "util/error.h"

namespace dlctl::lake {

uint64_t ParseByteSize(const std::string& text) {
  const char* begin = text.c_str();
  char* end = nullptr;
  double number = std::strtod(begin, &end);
  if (end == begin || number < 0) throw Error("'" + text + "' is not a size in bytes");
  std::string unit;
  for (const char* c = end; *c; ++c)
    if (!std::isspace(static_cast<unsigned char>(*c)))
      unit += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
  static const struct {
    const char* name;
    double bytes;
  } kUnits[] = {{"", 1},
                {"B", 1},
                {"BYTES", 1},
                {"KB", 1e3},
                {"MB", 1e6},
                {"GB", 1e9},
                {"TB", 1e12},
                {"KIB", 1024.0},
                {"MIB", 1048576.0},
                {"GIB", 1073741824.0},
                {"TIB", 1099511627776.0}};
  for (const auto& known : kUnits)
    if (unit == known.name) return static_cast<uint64_t>(number * known.bytes);
  throw Error("'" + text + "' is not a size in bytes (units: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
}

std::optional<uint64_t> TargetFileSizeOption(MetadataStore& store, int64_t table_id) {
  auto rows = store.Query(
      "SELECT \"value\" FROM ducklake_metadata WHERE \"key\" = 'target_file_size' AND "
      "(\"scope\" IS NULL OR (\"scope\" = 'table' AND scope_id = ?)) ORDER BY \"scope\" IS NULL LIMIT 1",
      {table_id});
  if (rows.empty()) return std::nullopt;
  return ParseByteSize(rows[0].Text(0));
}

}  // namespace dlctl::lake
