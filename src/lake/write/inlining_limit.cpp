#include "lake/write/inlining_limit.h"

#include <string>

#include "util/error.h"

namespace dlctl::lake {
namespace {

uint64_t ParseLimit(const std::string& text) {
  try {
    size_t used = 0;
    long long value = std::stoll(text, &used);
    if (used == text.size() && value >= 0) return static_cast<uint64_t>(value);
  } catch (const std::exception&) {
  }
  throw Error("the catalog's data_inlining_row_limit '" + text + "' is not a row count");
}

// 2: table scope, 1: schema scope, 0: global; -1: another table's or schema's.
int Rank(const std::optional<std::string>& scope, std::optional<int64_t> scope_id, int64_t schema_id,
         int64_t table_id) {
  if (!scope) return 0;
  if (*scope == "table" && scope_id == table_id) return 2;
  if (*scope == "schema" && scope_id == schema_id) return 1;
  return -1;
}

}  // namespace

std::optional<uint64_t> InliningRowLimitOption(MetadataStore& store, int64_t schema_id, int64_t table_id,
                                               const std::vector<OptionChange>& pending) {
  std::optional<std::string> best;
  int best_rank = -1;
  auto consider = [&](int rank, const std::string& value) {
    if (rank >= 0 && rank >= best_rank) {
      best = value;
      best_rank = rank;
    }
  };
  for (const Row& row : store.Query("SELECT \"value\", \"scope\", scope_id FROM ducklake_metadata WHERE \"key\" = ?",
                                    {std::string(kInliningRowLimitKey)}))
    consider(Rank(row.OptionalText(1), row.OptionalInt(2), schema_id, table_id), row.Text(0));
  for (const OptionChange& option : pending)
    if (option.key == kInliningRowLimitKey) consider(Rank(option.scope, option.scope_id, schema_id, table_id), option.value);
  if (!best) return std::nullopt;
  return ParseLimit(*best);
}

}  // namespace dlctl::lake
