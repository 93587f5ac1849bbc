#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "cli/output_options.h"
#include "cli/snapshot_option.h"
#include "lake/maintenance/catalog_listing.h"
#include "lake/metadata/catalog_time.h"
#include "lake/maintenance/catalog_verify.h"
#include "lake/maintenance/file_cleanup.h"
#include "lake/lakehouse.h"
#include "lake/maintenance/snapshot_expiry.h"
#include "util/error.h"

namespace dlctl {
namespace {

struct LakeArgs {
  std::string catalog;
  OutputOptions output;   // listings
  bool json = false;      // verify
  int64_t snapshot = -1;  // -1: the latest
};

using Listing = QueryResult (*)(lake::CatalogReader&, const LakeArgs&);

void CheckCatalogName(const Settings& settings, const std::string& name) {
  if (settings.FindCatalog(name)) return;
  std::string names;
  for (const auto& c : settings.catalogs) names += (names.empty() ? "" : ", ") + c.name;
  throw UsageError("unknown catalog '" + name + "' (configured: " + names + ")");
}

void Print(CliContext& ctx, const LakeArgs& args, Listing listing) {
  const Settings& settings = ctx.settings();
  CheckCatalogName(settings, args.catalog);
  lake::Lakehouse lakehouse(settings);
  PrintRows(listing(lakehouse.reader(args.catalog), args), args.output);
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
  AddOutputOptions(command, args->output);
  if (at_snapshot) AddSnapshotOption(command, args->snapshot, "snapshot id (default: the latest)");
  command->callback([&ctx, args, listing] { Print(ctx, *args, listing); });
}

void PrintLine(const std::string& line) { std::fwrite((line + "\n").data(), 1, line.size() + 1, stdout); }

void Verify(CliContext& ctx, const LakeArgs& args) {
  const Settings& settings = ctx.settings();
  CheckCatalogName(settings, args.catalog);
  lake::Lakehouse lakehouse(settings);
  lake::VerifyReport report = lake::VerifyCatalog(lakehouse.metadata(args.catalog), *ctx.store(),
                                                  lakehouse.reader(args.catalog).data_path());
  if (args.json) {
    nlohmann::json out = {{"catalog", args.catalog}, {"files_checked", report.files_checked}, {"ok", report.ok()}};
    out["problems"] = nlohmann::json::array();
    for (const auto& problem : report.problems) out["problems"].push_back({{"path", problem.path}, {"problem", problem.message}});
    out["orphans"] = nlohmann::json::array();
    for (const auto& orphan : report.orphans) out["orphans"].push_back({{"path", orphan.path}, {"size", orphan.size}});
    PrintLine(out.dump(2));
  } else {
    for (const auto& problem : report.problems)
      PrintLine(problem.path.empty() ? "problem: " + problem.message : "problem: " + problem.path + ": " + problem.message);
    for (const auto& orphan : report.orphans) PrintLine(fmt::format("orphan: {} ({} bytes)", orphan.path, orphan.size));
    PrintLine(fmt::format("{}: {} files checked, {} problems, {} orphans", args.catalog, report.files_checked,
                          report.problems.size(), report.orphans.size()));
  }
  if (!report.ok())
    throw Error(fmt::format("catalog {} does not match its files ({} problem{}, listed above)", args.catalog,
                            report.problems.size(), report.problems.size() == 1 ? "" : "s"));
}

struct MaintenanceArgs {
  std::string catalog;
  std::string older_than;
  bool dry_run = false;
};

void Expire(CliContext& ctx, const MaintenanceArgs& args) {
  const Settings& settings = ctx.settings();
  CheckCatalogName(settings, args.catalog);
  int64_t cutoff = lake::ParseCutoffMicros(args.older_than, std::chrono::system_clock::now());
  lake::Lakehouse lakehouse(settings);
  lake::ExpiryReport report = lake::ExpireSnapshots(lakehouse.metadata(args.catalog),
                                                    lakehouse.reader(args.catalog).data_path(), cutoff, args.dry_run);
  const char* verb = args.dry_run ? "would expire" : "expired";
  for (lake::SnapshotId id : report.expired) PrintLine(fmt::format("{} snapshot {}", verb, id));
  for (const std::string& path : report.scheduled_files)
    PrintLine(fmt::format("{} {}", args.dry_run ? "would schedule for deletion" : "scheduled for deletion", path));
  PrintLine(fmt::format("{}: {} {} snapshots, {} files scheduled for deletion", args.catalog, verb,
                        report.expired.size(), report.scheduled_files.size()));
}

void Cleanup(CliContext& ctx, const MaintenanceArgs& args) {
  const Settings& settings = ctx.settings();
  CheckCatalogName(settings, args.catalog);
  int64_t cutoff = lake::ParseCutoffMicros(args.older_than, std::chrono::system_clock::now());
  lake::Lakehouse lakehouse(settings);
  lake::CleanupReport report = lake::CleanupFiles(lakehouse.metadata(args.catalog), *ctx.store(),
                                                  lakehouse.reader(args.catalog).data_path(), cutoff, args.dry_run);
  const char* verb = args.dry_run ? "would remove" : "removed";
  for (const std::string& path : report.scheduled_removed) PrintLine(fmt::format("{} {}", verb, path));
  for (const std::string& path : report.orphans_removed) PrintLine(fmt::format("{} orphan {}", verb, path));
  for (const std::string& path : report.orphans_kept) PrintLine("kept orphan " + path + " (too recent or not a DuckLake file)");
  PrintLine(fmt::format("{}: {} {} scheduled files and {} orphans, kept {} orphans", args.catalog, verb,
                        report.scheduled_removed.size(), report.orphans_removed.size(), report.orphans_kept.size()));
}

// The flush itself needs DuckDB: it runs in the engine module (cli/engine/lake.cpp).
void Flush(CliContext& ctx, const LakeFlushArgs& args) {
  CheckCatalogName(ctx.settings(), args.catalog);
  if (!args.table.empty() && args.table.find('.') != std::string::npos)
    throw UsageError("--table takes a table name; give its schema with --schema");
  EngineModule().lake_flush(ctx, args);
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

  auto verify_args = std::make_shared<LakeArgs>();
  auto* verify = lake->add_subcommand(
      "verify", "Check that every file the catalog references exists with its recorded size; list orphans");
  verify->add_option("CATALOG", verify_args->catalog, "catalog name, e.g. stage")->required();
  verify->add_flag("--json", verify_args->json, "print JSON");
  verify->callback([&ctx, verify_args] { Verify(ctx, *verify_args); });

  auto expire_args = std::make_shared<MaintenanceArgs>();
  auto* expire = lake->add_subcommand(
      "expire", "Forget snapshots older than a time or age (never the latest); their files await cleanup");
  expire->add_option("CATALOG", expire_args->catalog, "catalog name, e.g. stage")->required();
  expire->add_option("--older-than", expire_args->older_than, "an age (30m, 12h, 7d, 2w) or a UTC time")->required();
  expire->add_flag("--dry-run", expire_args->dry_run, "only say what would be expired");
  expire->callback([&ctx, expire_args] { Expire(ctx, *expire_args); });

  auto cleanup_args = std::make_shared<MaintenanceArgs>();
  cleanup_args->older_than = "1h";
  auto* cleanup = lake->add_subcommand(
      "cleanup", "Delete files scheduled for deletion, and orphaned files older than --older-than");
  cleanup->add_option("CATALOG", cleanup_args->catalog, "catalog name, e.g. stage")->required();
  cleanup->add_option("--older-than", cleanup_args->older_than,
                      "remove orphans written before this age or time (default 1h: a live writer's files are safe)");
  cleanup->add_flag("--dry-run", cleanup_args->dry_run, "only say what would be removed");
  cleanup->callback([&ctx, cleanup_args] { Cleanup(ctx, *cleanup_args); });

  auto flush_args = std::make_shared<LakeFlushArgs>();
  auto* flush = lake->add_subcommand(
      "flush", "Write the rows kept in the catalog (inlined data) to Parquet files, in one snapshot");
  flush->add_option("CATALOG", flush_args->catalog, "catalog name, e.g. stage")->required();
  flush->add_option("--schema", flush_args->schema, "only the tables of this schema");
  flush->add_option("--table", flush_args->table, "only this table (of --schema, else of main)");
  flush->callback([&ctx, flush_args] { Flush(ctx, *flush_args); });
}

}  // namespace dlctl
