// dlctl: Data Lab Control.
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "lake/metadata/catalog_schema.h"
#include "util/error.h"

namespace {

// CLI11 says "A subcommand is required" for `dlctl foo` as for `dlctl lake`: say which command
// is unknown, or that one is missing, and list the commands there are.
std::string UsageMessage(const CLI::App& app, const CLI::ParseError& error) {
  const CLI::App* at = &app;
  while (!at->get_subcommands().empty()) at = at->get_subcommands().front();
  std::string path = at->get_name();
  for (const CLI::App* parent = at->get_parent(); parent; parent = parent->get_parent())
    path = parent->get_name() + " " + path;
  std::string see = " (see " + path + " --help)";
  std::vector<const CLI::App*> commands = at->get_subcommands([](const CLI::App*) { return true; });
  if (commands.empty()) return error.what() + see;
  std::string names;
  for (const CLI::App* command : commands) names += (names.empty() ? "" : ", ") + command->get_name();
  for (const std::string& word : at->remaining()) {
    if (!word.empty() && word[0] != '-')
      return "unknown command '" + word + "' for '" + path + "'; the commands are: " + names;
  }
  if (std::string(error.what()).find("subcommand") != std::string::npos)
    return "'" + path + "' needs a command: " + names + see;
  return error.what() + see;
}

}  // namespace

int main(int argc, char** argv) {
  dlctl::CliContext ctx;
  CLI::App app{"dlctl (Data Lab Control): ingest, transform, export, back up and graph a small lakehouse.", "dlctl"};
  app.set_version_flag("--version", std::string("dlctl ") + DLCTL_VERSION + "\nDuckDB " + DLCTL_DUCKDB_VERSION +
                                        "\nKùzu " + DLCTL_KUZU_VERSION + "\nDuckLake spec " + dlctl::lake::kSpecVersion);
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
  dlctl::AddDocsCommands(app, ctx);

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
    std::fprintf(stderr, "dlctl: %s\n", dlctl::OneLine(UsageMessage(app, e)).c_str());
    return dlctl::kExitUsage;
  } catch (const dlctl::Error& e) {
    std::fprintf(stderr, "dlctl: error: %s\n", ctx.Scrub(dlctl::IndentedLines(e.what())).c_str());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dlctl: error: %s\n", ctx.Scrub(dlctl::IndentedLines(e.what())).c_str());
    return dlctl::kExitFailure;
  }
}
