#include <cstdio>

#include "cli/commands.h"
#include "cli/snapshot_option.h"
#include "cli/versioned_commands.h"
#include "exporter/exporter.h"

namespace dlctl {
namespace {

struct ExportArgs {
  std::string catalog;
  std::string schema;
  std::string format = "parquet";
  int64_t snapshot = -1;  // -1: the latest
  bool views = false;
};

void RunExport(CliContext& ctx, const ExportArgs& args) {
  ExportOptions options;
  options.catalog = args.catalog;
  options.schema = args.schema;
  options.format = ParseExportFormat(args.format);
  if (args.snapshot >= 0) options.snapshot = args.snapshot;
  options.include_views = args.views;
  ExportResult result = ExportDataset(ctx.settings(), ctx.store(), options, std::chrono::system_clock::now());
  std::printf("%s\n", result.version_uri.c_str());
}

}  // namespace

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
  dataset->callback([&ctx, args] { RunExport(ctx, *args); });

  VersionedPrefix exports{[](const Settings& settings) { return settings.exports_prefix; }, 2, "catalog/schema"};
  AddVersionedLsCommand(group, ctx, exports);
  AddVersionedPruneCommand(group, ctx, exports);
}

}  // namespace dlctl
