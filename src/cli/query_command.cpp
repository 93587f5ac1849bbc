#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "engine/engine.h"
#include "engine/result_format.h"

namespace dlctl {

namespace {

struct QueryArgs {
  std::string sql;
  std::string format = "table";
};

void RunQuery(CliContext& ctx, const QueryArgs& args) {
  ResultFormat format = ParseResultFormat(args.format);
  const Settings& settings = ctx.settings();
  std::filesystem::create_directories(settings.engine_db.parent_path());
  EngineOptions options;
  options.database_path = settings.engine_db.string();
  Engine engine(ctx.store(), settings, options);
  std::string out = FormatResult(engine.Query(args.sql), format);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

}  // namespace

void AddQueryCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<QueryArgs>();
  auto* query = app.add_subcommand("query", "Run SQL on the engine (DuckDB, with s3:// on the bucket) and print the result");
  query->add_option("SQL", args->sql, "one or more statements; the last one's result is printed")->required();
  query->add_option("-f,--format", args->format, "table, csv or json")->capture_default_str();
  query->callback([&ctx, args] { RunQuery(ctx, *args); });
}

}  // namespace dlctl
