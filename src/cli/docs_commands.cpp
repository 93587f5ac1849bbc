#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "docs/docs_server.h"
#include "docs/lab_document.h"
#include "docs/site.h"

namespace dlctl {
namespace {

struct DocsArgs {
  std::string project_dir;
  bool no_verify = false;
  docs::ServeOptions serve;
};

docs::LabOptions Options(CliContext& ctx, const DocsArgs& args) {
  docs::LabOptions options;
  options.project_dir = ctx.TransformProjectDir(args.project_dir);
  options.verify_catalogs = !args.no_verify;
  return options;
}

void Generate(CliContext& ctx, const DocsArgs& args) {
  docs::LabOptions options = Options(ctx, args);
  std::filesystem::path folder = docs::SiteFolder(options.project_dir);
  docs::WriteSite(folder, docs::BuildLabDocument(ctx.settings(), ctx.store(), options));
  std::printf("%s\n", std::filesystem::absolute(folder / "index.html").lexically_normal().c_str());
}

void Serve(CliContext& ctx, const DocsArgs& args) {
  docs::LabOptions options = Options(ctx, args);
  const Settings& settings = ctx.settings();
  auto store = ctx.store();
  docs::ServeDocs(
      args.serve, [&] { return docs::BuildLabDocument(settings, store, options); },
      [](const std::string& url) {
        std::printf("Serving the lab's docs on %s (Ctrl-C stops)\n", url.c_str());
        std::fflush(stdout);
      });
}

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
  generate->callback([&ctx, generate_args] { Generate(ctx, *generate_args); });

  auto serve_args = std::make_shared<DocsArgs>();
  auto* serve = docs->add_subcommand("serve", "Serve the docs site with the lab's live state (JSON at /api/lab)");
  AddCommonOptions(serve, *serve_args);
  serve->add_option("--port", serve_args->serve.port, "TCP port (0: any free one)")->capture_default_str();
  serve->add_option("--host", serve_args->serve.host, "address to listen on")->capture_default_str();
  serve->callback([&ctx, serve_args] { Serve(ctx, *serve_args); });
}

}  // namespace dlctl
