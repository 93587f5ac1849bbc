// dlctl export dataset: a mart schema at one snapshot into a new export version.
#include <chrono>
#include <cstdio>

#include "cli/engine/runs.h"
#include "exporter/exporter.h"

namespace dlctl {

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

}  // namespace dlctl
