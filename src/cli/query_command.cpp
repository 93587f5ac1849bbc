#include "cli/commands.h"
#include "util/error.h"

namespace dlctl {

void AddQueryCommand(CLI::App& app, CliContext&) {
  auto* query = app.add_subcommand("query", "Run SQL on the engine (DuckDB) and print the result");
  query->allow_extras();
  query->callback([] { throw Error("query: not implemented yet"); });
}

}  // namespace dlctl
