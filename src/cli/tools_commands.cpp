#include <cstdio>

#include "cli/command_tree.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/engine_commands.h"
#include "cli/man_page.h"
#include "storage/s3_store.h"
#include "tools/garbage_collection.h"
#include "util/error.h"
#include "util/progress.h"

namespace dlctl {

void AddToolsCommands(CLI::App& app, CliContext& ctx) {
  auto* tools = app.add_subcommand("tools", "Standalone tools for ops and other tasks");
  tools->require_subcommand(1);

  tools->add_subcommand("create-bucket", "Create the bucket S3_BUCKET (on the local default, its folder); "
                                         "nothing to do when it exists")
      ->callback([&ctx] {
        const Settings& settings = ctx.settings();
        if (settings.s3)
          S3Store(*settings.s3, settings.bucket).CreateBucket();
        else
          std::filesystem::create_directories(settings.LocalBucketRoot());
        std::printf("%s\n", ctx.store()->Uri("").c_str());
      });

  auto gc_dry_run = std::make_shared<bool>(false);
  auto* gc = tools->add_subcommand(
      "gc", "Remove what killed processes left: unfinished uploads, backup and restore scratch, incomplete versions "
            "older than an hour, catalogs' orphan files older than an hour");
  gc->add_flag("--dry-run", *gc_dry_run, "only print what would be removed");
  gc->callback([&ctx, gc_dry_run] {
    auto store = ctx.store();
    GarbageReport report = CollectGarbage(ctx.settings(), *store, *gc_dry_run, std::chrono::system_clock::now());
    uint64_t bytes = 0;
    for (const GarbageItem& item : report.removed) {
      std::printf("%s %s %s (%s%s)\n", *gc_dry_run ? "would remove" : "removed", item.kind.c_str(), item.what.c_str(),
                  item.note.empty() ? "" : (item.note + ", ").c_str(), HumanBytes(item.bytes).c_str());
      bytes += item.bytes;
    }
    std::printf("gc: %s %zu items, %s (%llu bytes)\n", *gc_dry_run ? "would remove" : "removed", report.removed.size(),
                HumanBytes(bytes).c_str(), static_cast<unsigned long long>(bytes));
    std::string failures;
    for (const std::string& failure : report.failures) failures += (failures.empty() ? "" : "; ") + failure;
    if (!failures.empty()) throw Error("gc could not finish: " + failures);
  });

  auto shell = std::make_shared<std::string>();
  auto* completion = tools->add_subcommand(
      "completion", "Print the shell completion script for bash or zsh (source <(dlctl tools completion bash))");
  completion->add_option("SHELL", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  completion->callback([&app, shell] {
    std::vector<CommandInfo> tree = CommandTree(app);
    std::string script = *shell == "bash" ? BashCompletion(tree) : ZshCompletion(tree);
    std::fwrite(script.data(), 1, script.size(), stdout);
  });
  tools->add_subcommand("man-page", "Print dlctl(1), the manual page of every command (man -l <(dlctl tools man-page))")
      ->callback([&app] {
        std::string page = ManPage(CommandTree(app), DLCTL_VERSION);
        std::fwrite(page.data(), 1, page.size(), stdout);
      });
  auto path = std::make_shared<std::string>();
  auto* init_sql = tools->add_subcommand("generate-init-sql", "Write local/init.sql (mode 0600) for DuckDB's CLI");
  init_sql->add_option("--path", *path, "where to write it (default: LOCAL_DIR/init.sql)");
  init_sql->callback([&ctx, path] { EngineModule().generate_init_sql(ctx, *path); });

  auto migrate_args = std::make_shared<MigrateArgs>();
  auto* migrate = tools->add_subcommand(
      "migrate-catalog",
      "Copy a catalog's metadata between its SQLite file and its PostgreSQL schema (every row, one transaction)");
  migrate->add_option("CATALOG", migrate_args->catalog, "the catalog: stage or a mart")->required();
  migrate->add_option("--from", migrate_args->from, "sqlite or postgres")
      ->required()
      ->check(CLI::IsMember({"sqlite", "postgres"}));
  migrate->add_option("--to", migrate_args->to, "sqlite or postgres")
      ->required()
      ->check(CLI::IsMember({"sqlite", "postgres"}));
  migrate->add_flag("--force", migrate_args->force, "replace a target that already holds a catalog");
  migrate->callback([&ctx, migrate_args] { EngineModule().migrate_catalog(ctx, *migrate_args); });

  auto sample = std::make_shared<SampleDataArgs>();
  auto* generate = tools->add_subcommand(
      "generate-sample-data",
      "Write seeded sample data shaped like the example project's two Kaggle datasets, one folder each");
  generate->add_option("--scale", sample->options.scale, "1.0 is about the real sizes (default 0.1)");
  generate->add_option("--seed", sample->options.seed, "the same seed and scale write the same bytes (default 42)");
  generate->add_option("OUT_DIR", sample->out_dir, "where to write the dataset folders")->required();
  generate->callback([sample] { EngineModule().generate_sample_data(*sample); });
}

}  // namespace dlctl
