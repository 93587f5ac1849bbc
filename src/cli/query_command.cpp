#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/commands.h"
#include "cli/output_options.h"
#include "cli/snapshot_option.h"
#include "engine/engine.h"
#include "lake/lakehouse.h"
#include "util/error.h"

namespace dlctl {

namespace {

struct QueryArgs {
  std::string sql;
  OutputOptions output;
  std::vector<std::string> snapshots;  // "N" or "CATALOG=N"
};

lake::SnapshotId SnapshotIdOf(const std::string& text) {
  if (std::optional<int64_t> id = ParseSnapshotId(text)) return *id;
  throw UsageError("--snapshot (or CATALOG=ID) " + SnapshotIdProblem(text));
}

// Only blanks, ';' and comments: DuckDB would run nothing and print nothing. (A comment marker
// inside a string literal leaves the literal's opening quote, so real statements never look empty.)
bool HoldsNoStatement(const std::string& sql) {
  std::string rest;
  for (size_t at = 0; at < sql.size();) {
    if (sql.compare(at, 2, "--") == 0) {
      at = sql.find('\n', at);
    } else if (sql.compare(at, 2, "/*") == 0) {
      at = sql.find("*/", at + 2);
      if (at != std::string::npos) at += 2;
    } else {
      rest += sql[at++];
    }
  }
  return rest.find_first_not_of(" \t\r\n;") == std::string::npos;
}

void RunQuery(CliContext& ctx, const QueryArgs& args) {
  if (HoldsNoStatement(args.sql))
    throw UsageError("query needs a SQL statement to run (got '" + OneLine(args.sql) + "')");
  lake::SnapshotSelector every_catalog;
  std::map<std::string, lake::SnapshotSelector> per_catalog;
  for (const std::string& choice : args.snapshots) {
    size_t equals = choice.find('=');
    if (equals == std::string::npos)
      every_catalog.id = SnapshotIdOf(choice);
    else
      per_catalog[choice.substr(0, equals)].id = SnapshotIdOf(choice.substr(equals + 1));
  }

  const Settings& settings = ctx.settings();
  std::filesystem::create_directories(settings.engine_db.parent_path());
  EngineOptions options;
  options.database_path = settings.engine_db.string();
  options.show_progress = true;
  Engine engine(ctx.store(), settings, options);
  // Every configured catalog is a DuckDB catalog: stage.<schema>.<table>, <mart>.<schema>.<table>,
  // read and written by DuckDB itself; a catalog read at --snapshot is read-only.
  lake::WriteOptions write_options;
  write_options.store = ctx.store();  // files of a failed write are removed
  lake::Lakehouse(settings).Attach(engine, every_catalog, per_catalog, write_options);
  PrintRows(engine.Query(args.sql), args.output);
}

}  // namespace

void AddQueryCommand(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<QueryArgs>();
  auto* query = app.add_subcommand(
      "query",
      "Run SQL on the engine (DuckDB, with s3:// on the bucket and every lake catalog attached) and print the result");
  query->add_option("SQL", args->sql, "one or more statements; the last one's result is printed")->required();
  AddOutputOptions(query, args->output);
  query->add_option("--snapshot", args->snapshots,
                    "read the catalogs at snapshot ID instead of the latest; CATALOG=ID for one catalog (repeatable)");
  query->callback([&ctx, args] { RunQuery(ctx, *args); });
}

}  // namespace dlctl
