// dlctl query: SQL on the engine with every lake catalog attached.
#include <map>

#include "cli/engine/runs.h"
#include "engine/engine.h"
#include "lake/lakehouse.h"
#include "util/error.h"

namespace dlctl {
namespace {

lake::SnapshotId ParseSnapshotId(const std::string& text) {
  size_t used = 0;
  try {
    long long id = std::stoll(text, &used);
    if (used == text.size() && id >= 0) return id;
  } catch (const std::exception&) {
  }
  throw UsageError("--snapshot wants a snapshot id (or CATALOG=ID), got '" + text + "'");
}

}  // namespace

void RunQuery(CliContext& ctx, const QueryArgs& args) {
  lake::SnapshotSelector every_catalog;
  std::map<std::string, lake::SnapshotSelector> per_catalog;
  for (const std::string& choice : args.snapshots) {
    size_t equals = choice.find('=');
    if (equals == std::string::npos)
      every_catalog.id = ParseSnapshotId(choice);
    else
      per_catalog[choice.substr(0, equals)].id = ParseSnapshotId(choice.substr(equals + 1));
  }

  const Settings& settings = ctx.settings();
  EngineOptions options;
  options.database_file = settings.engine_db;
  options.show_progress = true;
  Engine engine(ctx.store(), settings, options);
  // Every configured catalog is a DuckDB catalog: stage.<schema>.<table>, <mart>.<schema>.<table>,
  // read and written by DuckDB itself; a catalog read at --snapshot is read-only.
  lake::WriteOptions write_options;
  write_options.store = ctx.store();  // files of a failed write are removed
  lake::Lakehouse(settings).Attach(engine, every_catalog, per_catalog, write_options);
  PrintRows(engine.Query(args.sql), args.output);
}

}  // namespace dlctl
