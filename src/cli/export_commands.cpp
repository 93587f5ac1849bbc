#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "cli/snapshot_option.h"
#include "cli/versioned_commands.h"

namespace dlctl {

void AddExportCommands(CLI::App& app, CliContext& ctx) {
  auto* group = app.add_subcommand("export", "Manage dataset exporting");
  group->require_subcommand(1);

  auto args = std::make_shared<ExportArgs>();
  auto* dataset = group->add_subcommand(
      "dataset", "Export every table of a mart schema at one snapshot into a new version; the manifest last");
  dataset->add_option("CATALOG", args->catalog, "mart catalog, e.g. graphs")->required();
  dataset->add_option("SCHEMA", args->schema, "schema of that catalog")->required();
  dataset->add_option("-f,--format", args->format, "parquet, csv or json")->capture_default_str();
  AddSnapshotOption(dataset, args->snapshot, "snapshot id (default: the latest)");
  dataset->add_flag("--views", args->views, "export the schema's views too");
  dataset->callback([&ctx, args] { EngineModule().export_dataset(ctx, *args); });

  VersionedPrefix exports{[](const Settings& settings) { return settings.exports_prefix; }, 2, "catalog/schema"};
  AddVersionedLsCommand(group, ctx, exports);
  AddVersionedPruneCommand(group, ctx, exports);
}

}  // namespace dlctl
