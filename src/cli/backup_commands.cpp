#include <nlohmann/json.hpp>

#include <cstdio>

#include "backup/backup.h"
#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "cli/output_options.h"
#include "cli/versioned_commands.h"

namespace dlctl {
namespace {

struct LsArgs {
  bool all = false;
  OutputOptions output;
};

struct RestoreArgs {
  std::string source;
  std::string target;
  bool force = false;
};

struct PruneArgs {
  int keep = 0;
  bool dry_run = false;
};

// One row per backup; with every file, one per file.
QueryResult Rows(const std::vector<Backup>& backups, bool all) {
  QueryResult rows;
  rows.columns = {"backup", "key", "latest", "complete", "problem"};
  rows.types = {"VARCHAR", "VARCHAR", "BOOLEAN", "BOOLEAN", "VARCHAR"};
  if (all) {
    rows.columns.insert(rows.columns.end(), {"file", "catalog", "bytes", "sha256"});
    rows.types.insert(rows.types.end(), {"VARCHAR", "VARCHAR", "BIGINT", "VARCHAR"});
  }
  auto flag = [](bool value) { return std::optional<std::string>(value ? "true" : "false"); };
  for (const auto& backup : backups) {
    std::optional<std::string> problem;
    if (!backup.problem.empty()) problem = backup.problem;
    std::vector<std::optional<std::string>> row = {backup.id, backup.key, flag(backup.latest), flag(backup.complete),
                                                   problem};
    if (!all) {
      rows.rows.push_back(row);
      continue;
    }
    if (backup.files.empty()) {
      auto file_row = row;
      file_row.insert(file_row.end(), {std::nullopt, std::nullopt, std::nullopt, std::nullopt});
      rows.rows.push_back(std::move(file_row));
    }
    for (const auto& f : backup.files) {
      auto file_row = row;
      file_row.insert(file_row.end(), {f.path, f.catalog.empty() ? std::nullopt : std::optional<std::string>(f.catalog),
                                       std::to_string(f.size), f.sha256.empty() ? std::nullopt : std::optional<std::string>(f.sha256)});
      rows.rows.push_back(std::move(file_row));
    }
  }
  return rows;
}

nlohmann::json Document(const std::vector<Backup>& backups, bool all) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& backup : backups) {
    nlohmann::json item = {{"id", backup.id},     {"key", backup.key},           {"uri", backup.uri},
                           {"latest", backup.latest}, {"complete", backup.complete},
                           {"problem", backup.problem.empty() ? nlohmann::json(nullptr) : nlohmann::json(backup.problem)}};
    if (all) {
      nlohmann::json files = nlohmann::json::array();
      for (const auto& f : backup.files) {
        files.push_back(
            {{"path", f.path}, {"kind", f.kind}, {"catalog", f.catalog}, {"size", f.size}, {"sha256", f.sha256}});
        if (!f.postgres_schema.empty()) files.back()["postgres_schema"] = f.postgres_schema;
      }
      item["files"] = files;
      item["skipped"] = backup.skipped;
    }
    out.push_back(item);
  }
  return out;
}

void RunRestore(CliContext& ctx, const RestoreArgs& args) {
  RestoreOptions options;
  if (!args.source.empty()) options.source = args.source;
  options.target = args.target.empty() ? ctx.settings().local_dir : std::filesystem::path(args.target);
  options.force = args.force;
  RestoreResult result = RestoreBackup(ctx.settings(), *ctx.store(), options, std::chrono::system_clock::now());
  std::printf("restored backup %s (%zu files) into %s\n", result.backup.id.c_str(), result.backup.files.size(),
              result.target.c_str());
  for (const auto& catalog : result.postgres_catalogs) std::printf("restored PostgreSQL catalog %s\n", catalog.c_str());
  if (result.kept_aside) std::printf("the files it replaced are in %s\n", result.kept_aside->c_str());
}

}  // namespace

void AddBackupCommands(CLI::App& app, CliContext& ctx) {
  auto* group = app.add_subcommand("backup", "Manage engine and catalog backups");
  group->require_subcommand(1);

  group->add_subcommand("create", "Back up the engine database and every catalog (consistent copies, checksummed); "
                                  "prints the backup's id")
      ->callback([&ctx] { EngineModule().backup_create(ctx); });

  auto ls_args = std::make_shared<LsArgs>();
  auto* ls = group->add_subcommand("ls", "List backups (with -a, every file of every backup)");
  ls->add_flag("-a,--all", ls_args->all, "list every file");
  AddOutputOptions(ls, ls_args->output);
  ls->callback([&ctx, ls_args] {
    auto backups = ListBackups(ctx.settings(), *ctx.store(), ls_args->all);
    PrintListing(Rows(backups, ls_args->all), Document(backups, ls_args->all), ls_args->output);
  });

  auto restore_args = std::make_shared<RestoreArgs>();
  auto* restore = group->add_subcommand(
      "restore", "Restore a backup (the latest by default) after verifying every file's checksum");
  restore->add_option("--source", restore_args->source,
                      "backup id, e.g. 2025-06-03T19:56:03.123 (milliseconds and Z optional), or its folder "
                      "2025_06_03/19_56_03_123");
  restore->add_option("--target", restore_args->target,
                      "folder to restore files into (default: LOCAL_DIR); PostgreSQL catalogs go to their configured "
                      "schemas");
  restore->add_flag("--force", restore_args->force,
                    "restore into a non-empty target, keeping the replaced files in .replaced-<time>/, and replace "
                    "PostgreSQL catalogs that hold rows");
  restore->callback([&ctx, restore_args] { RunRestore(ctx, *restore_args); });

  auto prune_args = std::make_shared<PruneArgs>();
  auto* prune = group->add_subcommand(
      "prune", "Remove incomplete backups older than an hour, and backups holding no files (or all but the newest N "
               "complete ones with --keep; damaged ones do not count); never the latest");
  auto* keep_option =
      prune->add_option("--keep", prune_args->keep, "keep the newest N backups")->check(CLI::Range(1, 1000000));
  prune->add_flag("--dry-run", prune_args->dry_run, "only print what would be removed");
  prune->callback([&ctx, prune_args, keep_option] {
    std::optional<int> keep;
    if (keep_option->count()) keep = prune_args->keep;
    auto store = ctx.store();
    PruneReport report = PruneBackups(ctx.settings(), *store, keep, prune_args->dry_run, std::chrono::system_clock::now());
    PrintPruneReport(report, *store, prune_args->dry_run);
  });
}

}  // namespace dlctl
