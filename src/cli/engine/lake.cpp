// The lake command that needs DuckDB: `lake flush`, the extension's ducklake_flush_inlined_data
// on the catalog attached as dlctl query attaches it. The other lake commands run in the
// executable (cli/lake_commands.cpp).
#include <fmt/format.h>

#include <cstdio>

#include "cli/engine/runs.h"
#include "engine/engine.h"
#include "lake/catalog/attach.h"
#include "lake/lakehouse.h"
#include "util/sql_quote.h"

namespace dlctl {

namespace {

void PrintLine(const std::string& line) { std::fwrite((line + "\n").data(), 1, line.size() + 1, stdout); }

}  // namespace

// One snapshot, or none when nothing is inlined.
void RunLakeFlush(CliContext& ctx, const LakeFlushArgs& args) {
  const Settings& settings = ctx.settings();
  Engine engine(ctx.store(), settings);
  lake::WriteOptions write;
  write.store = ctx.store();  // files of a failed flush are removed
  lake::Lakehouse(settings).Attach(engine, {}, {}, write);
  std::string call = "CALL ducklake_flush_inlined_data(" + SqlLiteral(args.catalog);
  if (!args.schema.empty()) call += ", schema_name => " + SqlLiteral(args.schema);
  if (!args.table.empty()) call += ", table_name => " + SqlLiteral(args.table);
  QueryResult flushed = engine.Query(call + ")");
  int64_t rows = 0;
  for (const auto& row : flushed.rows) {
    int64_t count = std::stoll(row.at(2).value_or("0"));
    rows += count;
    PrintLine(fmt::format("flushed {} rows of {}.{}", count, row.at(0).value_or(""), row.at(1).value_or("")));
  }
  std::optional<lake::SnapshotId> snapshot = lake::LastCommittedSnapshot(engine, args.catalog);
  if (!snapshot) {
    PrintLine(args.catalog + ": nothing inlined to flush");
    return;
  }
  PrintLine(fmt::format("{}: flushed {} inlined rows of {} tables to Parquet in snapshot {}", args.catalog, rows,
                        flushed.rows.size(), *snapshot));
}

}  // namespace dlctl
