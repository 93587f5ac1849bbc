#include <cstdio>

#include "cli/commands.h"
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
