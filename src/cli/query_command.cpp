#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "cli/output_options.h"
#include "cli/snapshot_option.h"
#include "util/error.h"

namespace dlctl {
namespace {

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

// Usage errors, found before the engine is loaded.
void CheckQueryArgs(const QueryArgs& args) {
  if (HoldsNoStatement(args.sql))
    throw UsageError("query needs a SQL statement to run (got '" + OneLine(args.sql) + "')");
  for (const std::string& choice : args.snapshots) {
    std::string id = choice.substr(choice.find('=') + 1);  // "N" or "CATALOG=N"
    if (!ParseSnapshotId(id)) throw UsageError("--snapshot (or CATALOG=ID) " + SnapshotIdProblem(id));
  }
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
  query->callback([&ctx, args] {
    CheckQueryArgs(*args);
    EngineModule().query(ctx, *args);
  });
}

}  // namespace dlctl
