// dlctl docs generate|serve: the lab's document is built from every module (transform project,
// catalogs, graphs), so both run here.
#include <cstdio>
#include <filesystem>

#include "cli/engine/runs.h"
#include "docs/docs_server.h"
#include "docs/lab_document.h"
#include "docs/site.h"

namespace dlctl {
namespace {

docs::LabOptions Options(CliContext& ctx, const DocsArgs& args) {
  docs::LabOptions options;
  options.project_dir = ctx.TransformProjectDir(args.project_dir);
  options.verify_catalogs = !args.no_verify;
  return options;
}

}  // namespace

void RunDocsGenerate(CliContext& ctx, const DocsArgs& args) {
  docs::LabOptions options = Options(ctx, args);
  std::filesystem::path folder = docs::SiteFolder(options.project_dir);
  docs::WriteSite(folder, docs::BuildLabDocument(ctx.settings(), ctx.store(), options));
  std::printf("%s\n", std::filesystem::absolute(folder / "index.html").lexically_normal().c_str());
}

void RunDocsServe(CliContext& ctx, const DocsArgs& args) {
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

}  // namespace dlctl
