#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "cli/output_options.h"

namespace dlctl {

void AddQueryCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<QueryArgs>();
  auto* query = app.add_subcommand(
      "query",
      "Run SQL on the engine (DuckDB, with s3:// on the bucket and every lake catalog attached) and print the result");
  query->add_option("SQL", args->sql, "one or more statements; the last one's result is printed")->required();
  AddOutputOptions(query, args->output);
  query->add_option("--snapshot", args->snapshots,
                    "read the catalogs at snapshot ID instead of the latest; CATALOG=ID for one catalog (repeatable)");
  query->callback([&ctx, args] { EngineModule().query(ctx, *args); });
}

}  // namespace dlctl
