#include <cstdio>

#include "cli/commands.h"
#include "engine/result_format.h"
#include "lake/catalog_listing.h"
#include "lake/lakehouse.h"
#include "util/error.h"

namespace dlctl {
namespace {

struct LakeArgs {
  std::string catalog;
  bool json = false;
  int64_t snapshot = -1;  // -1: the latest
};

using Listing = QueryResult (*)(lake::CatalogReader&, const LakeArgs&);

void Print(CliContext& ctx, const LakeArgs& args, Listing listing) {
  const Settings& settings = ctx.settings();
  if (!settings.FindCatalog(args.catalog)) {
    std::string names;
    for (const auto& c : settings.catalogs) names += (names.empty() ? "" : ", ") + c.name;
    throw UsageError("unknown catalog '" + args.catalog + "' (configured: " + names + ")");
  }
  lake::Lakehouse lakehouse(settings);
  std::string out = FormatResult(listing(lakehouse.reader(args.catalog), args),
                                 args.json ? ResultFormat::kJson : ResultFormat::kTable);
  std::fwrite(out.data(), 1, out.size(), stdout);
}

lake::SnapshotSelector Selector(const LakeArgs& args) {
  lake::SnapshotSelector selector;
  if (args.snapshot >= 0) selector.id = args.snapshot;
  return selector;
}

void AddListing(CLI::App* lake, CliContext& ctx, const char* name, const char* help, Listing listing,
                bool at_snapshot) {
  auto args = std::make_shared<LakeArgs>();
  auto* command = lake->add_subcommand(name, help);
  command->add_option("CATALOG", args->catalog, "catalog name, e.g. stage")->required();
  command->add_flag("--json", args->json, "print JSON");
  if (at_snapshot) command->add_option("--snapshot", args->snapshot, "snapshot id (default: the latest)")->check(CLI::NonNegativeNumber);
  command->callback([&ctx, args, listing] { Print(ctx, *args, listing); });
}

}  // namespace

void AddLakeCommands(CLI::App& app, CliContext& ctx) {
  auto* lake = app.add_subcommand("lake", "Inspect the DuckLake catalogs");
  lake->require_subcommand(1);
  AddListing(lake, ctx, "snapshots", "Every snapshot of a catalog with what it changed",
             [](lake::CatalogReader& reader, const LakeArgs&) { return lake::ListSnapshots(reader); }, false);
  AddListing(lake, ctx, "tables", "The tables of a catalog with their file counts, live rows and bytes",
             [](lake::CatalogReader& reader, const LakeArgs& args) { return lake::ListTables(reader, Selector(args)); },
             true);
  AddListing(lake, ctx, "files", "The data files of a catalog with their delete files",
             [](lake::CatalogReader& reader, const LakeArgs& args) { return lake::ListFiles(reader, Selector(args)); },
             true);
}

}  // namespace dlctl
