// The tools commands built on the tools library (tools/): init.sql for DuckDB's CLI, catalog
// migration, sample data. create-bucket, completion and man-page run in the executable.
#include <cstdio>
#include <filesystem>

#include "cli/engine/runs.h"
#include "tools/catalog_migration.h"
#include "tools/init_sql.h"
#include "tools/sample_data.h"

namespace dlctl {

void RunGenerateInitSql(CliContext& ctx, const std::string& path) {
  const Settings& settings = ctx.settings();
  std::filesystem::path target = path.empty() ? settings.local_dir / "init.sql" : std::filesystem::path(path);
  WriteInitSql(settings, target);
  std::printf("%s\n", std::filesystem::absolute(target).lexically_normal().c_str());
}

void RunMigrateCatalog(CliContext& ctx, const MigrateArgs& args) {
  CatalogMigration done = MigrateCatalog(ctx.settings(), args.catalog, args.from, args.to, args.force);
  std::printf("copied catalog %s: %lld rows in %lld tables from %s to %s\n", args.catalog.c_str(),
              static_cast<long long>(done.rows), static_cast<long long>(done.tables), done.source.c_str(),
              done.target.c_str());
}

void RunGenerateSampleData(const SampleDataArgs& args) {
  for (const auto& dataset : GenerateSampleData(args.out_dir, args.options))
    std::printf("%s\n", dataset.folder.lexically_normal().c_str());
}

}  // namespace dlctl
