#include <cstdio>

#include "cli/commands.h"
#include "tools/catalog_migration.h"
#include "tools/init_sql.h"
#include "tools/sample_data.h"

namespace dlctl {

void AddToolsCommands(CLI::App& app, CliContext& ctx) {
  auto* tools = app.add_subcommand("tools", "Standalone tools for ops and other tasks");
  tools->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  auto* init_sql = tools->add_subcommand("generate-init-sql", "Write local/init.sql (mode 0600) for DuckDB's CLI");
  init_sql->add_option("--path", *path, "where to write it (default: LOCAL_DIR/init.sql)");
  init_sql->callback([&ctx, path] {
    const Settings& settings = ctx.settings();
    std::filesystem::path target = path->empty() ? settings.local_dir / "init.sql" : std::filesystem::path(*path);
    WriteInitSql(settings, target);
    std::printf("%s\n", std::filesystem::absolute(target).lexically_normal().c_str());
  });

  struct MigrateArgs {
    std::string catalog, from, to;
    bool force = false;
  };
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
  migrate->callback([&ctx, migrate_args] {
    CatalogMigration done = MigrateCatalog(ctx.settings(), migrate_args->catalog, migrate_args->from,
                                           migrate_args->to, migrate_args->force);
    std::printf("copied catalog %s: %lld rows in %lld tables from %s to %s\n", migrate_args->catalog.c_str(),
                static_cast<long long>(done.rows), static_cast<long long>(done.tables), done.source.c_str(),
                done.target.c_str());
  });

  auto sample = std::make_shared<SampleDataOptions>();
  auto out_dir = std::make_shared<std::string>();
  auto* generate = tools->add_subcommand(
      "generate-sample-data",
      "Write seeded sample data shaped like the example project's two Kaggle datasets, one folder each");
  generate->add_option("--scale", sample->scale, "1.0 is about the real sizes (default 0.1)");
  generate->add_option("--seed", sample->seed, "the same seed and scale write the same bytes (default 42)");
  generate->add_option("OUT_DIR", *out_dir, "where to write the dataset folders")->required();
  generate->callback([sample, out_dir] {
    for (const auto& dataset : GenerateSampleData(*out_dir, *sample))
      std::printf("%s\n", dataset.folder.lexically_normal().c_str());
  });
}

}  // namespace dlctl
