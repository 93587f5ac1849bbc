// dlctl: Data Lab Control.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "util/error.h"

int main(int argc, char** argv) {
  dlctl::CliContext ctx;
  CLI::App app{"dlctl (Data Lab Control): ingest, transform, export, back up and graph a small lakehouse.", "dlctl"};
  app.set_version_flag("--version", std::string("dlctl ") + DLCTL_VERSION);
  app.add_option("--env-file", ctx.env_file, "settings file (default: $DLCTL_ENV_FILE, else ./.env)");
  app.require_subcommand(1);
  dlctl::AddIngestCommands(app, ctx);
  dlctl::AddQueryCommand(app, ctx);
  dlctl::AddLakeCommands(app, ctx);
  dlctl::AddExportCommands(app, ctx);
  dlctl::AddBackupCommands(app, ctx);
  dlctl::AddToolsCommands(app, ctx);
  dlctl::AddTransformCommands(app, ctx);
  dlctl::AddGraphCommands(app, ctx);

  try {
    app.parse(argc, argv);
    return dlctl::kExitOk;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "dlctl: %s (see --help)\n", dlctl::OneLine(e.what()).c_str());
    return dlctl::kExitUsage;
  } catch (const dlctl::Error& e) {
    std::fprintf(stderr, "dlctl: error: %s\n", ctx.Scrub(dlctl::OneLine(e.what())).c_str());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dlctl: error: %s\n", ctx.Scrub(dlctl::OneLine(e.what())).c_str());
    return dlctl::kExitFailure;
  }
}
