#include <cstdio>

#include "cli/commands.h"
#include "tools/init_sql.h"

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
}

}  // namespace dlctl
