#include "cli/commands.h"
#include "cli/engine_commands.h"

namespace dlctl {
namespace {

void AddCommonOptions(CLI::App* command, DocsArgs& args) {
  command->add_option("--project-dir", args.project_dir, "the dbt project (default: $DBT_PROJECT_DIR, else transform)");
  command->add_flag("--no-verify", args.no_verify, "do not check each catalog's files against the bucket");
}

}  // namespace

void AddDocsCommands(CLI::App& app, CliContext& ctx) {
  auto* docs = app.add_subcommand(
      "docs", "The lab in the browser: lineage, models, catalogs and snapshots, datasets, exports, backups, graphs");
  docs->require_subcommand(1);

  auto generate_args = std::make_shared<DocsArgs>();
  auto* generate = docs->add_subcommand(
      "generate", "Write the docs site (static, works from file://) into <project>/target/docs; prints its index.html");
  AddCommonOptions(generate, *generate_args);
  generate->callback([&ctx, generate_args] { EngineModule().docs_generate(ctx, *generate_args); });

  auto serve_args = std::make_shared<DocsArgs>();
  auto* serve = docs->add_subcommand("serve", "Serve the docs site with the lab's live state (JSON at /api/lab)");
  AddCommonOptions(serve, *serve_args);
  serve->add_option("--port", serve_args->serve.port, "TCP port (0: any free one)")->capture_default_str();
  serve->add_option("--host", serve_args->serve.host, "address to listen on")->capture_default_str();
  serve->callback([&ctx, serve_args] { EngineModule().docs_serve(ctx, *serve_args); });
}

}  // namespace dlctl
