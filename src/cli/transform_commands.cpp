#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "transform/project/yaml.h"
#include "transform/run/deps.h"
#include "transform/run/runner.h"
#include "util/error.h"

namespace dlctl {
namespace {

// What dbt's commands share, as dbt spells it.
struct DbtArgs {
  std::vector<std::string> positional, select, exclude;
  std::string indirect_selection = "eager";
  int threads = 0;
  bool full_refresh = false, fail_fast = false, debug = false, json = false;
  std::string log_level = "info";
  std::string vars, target, profile, profiles_dir, project_dir;
};

enum class Level { kDebug, kInfo, kWarn, kError, kNone };

Level ParseLevel(const DbtArgs& args) {
  if (args.debug) return Level::kDebug;
  const std::string& level = args.log_level;
  if (level == "debug") return Level::kDebug;
  if (level == "info") return Level::kInfo;
  if (level == "warn") return Level::kWarn;
  if (level == "error") return Level::kError;
  if (level == "none") return Level::kNone;
  throw UsageError("--log-level must be debug, info, warn, error or none (got '" + level + "')");
}

transform::RunOptions Options(CliContext& ctx, const DbtArgs& args, transform::RunKind kind, Level level) {
  if (args.threads < 0) throw UsageError("--threads must be at least 1");
  transform::RunOptions options;
  options.kind = kind;
  options.positional = args.positional;
  options.selection.select = args.select;
  options.selection.exclude = args.exclude;
  options.selection.indirect = transform::ParseIndirectSelection(args.indirect_selection);
  options.threads = args.threads;
  options.full_refresh = args.full_refresh;
  options.fail_fast = args.fail_fast;
  options.vars = transform::ParseVarsOption(args.vars);
  options.profile = {args.profiles_dir, args.profile, args.target};
  options.project_dir = ctx.TransformProjectDir(args.project_dir);
  if (level <= Level::kInfo && !args.json)
    options.on_log = [](const std::string& line) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    };
  else
    options.on_log = [](const std::string&) {};
  if (level == Level::kDebug)
    options.on_debug = [&ctx](const std::string& text) {
      std::fprintf(stderr, "dlctl: debug: %s\n", ctx.Scrub(text).c_str());
    };
  return options;
}

void RunDbtCommand(CliContext& ctx, const DbtArgs& args, transform::RunKind kind, const char* command) {
  Level level = ParseLevel(args);
  transform::RunOptions options = Options(ctx, args, kind, level);
  options.on_node = [&ctx, &args, level](const transform::NodeResult& result) {
    if (!args.json && level <= Level::kInfo) std::printf("%s\n", transform::FormatNodeLine(result).c_str());
    if ((result.status == "error" || result.status == "fail") && level <= Level::kError)
      std::fprintf(stderr, "dlctl: %s %s: %s\n", result.status == "fail" ? "failed" : "error", result.name.c_str(),
                   ctx.Scrub(OneLine(result.message)).c_str());
    std::fflush(stdout);
  };
  transform::RunReport report = transform::RunProject(ctx.settings(), ctx.store(), options);
  if (level <= Level::kWarn)
    for (const std::string& warning : report.warnings) std::fprintf(stderr, "dlctl: warning: %s\n", warning.c_str());
  if (args.json)
    std::printf("%s\n", transform::RunResultsJson(report).c_str());
  else if (level <= Level::kInfo)
    std::printf("%s\n", transform::FormatSummary(report).c_str());
  if (report.results.empty() && level <= Level::kWarn)
    std::fprintf(stderr, "dlctl: warning: %s: nothing selected\n", command);
  if (report.failed()) throw Error(std::string(command) + " failed: " + transform::FormatSummary(report));
}

// The options of every command that reads the project.
void AddProjectOptions(CLI::App* command, DbtArgs& args) {
  command->add_option("--project-dir", args.project_dir, "the dbt project (default: $DBT_PROJECT_DIR, else transform)");
  command->add_option("--vars", args.vars, "variables for var(), as YAML or JSON: '{key: value}'");
  command->add_option("-t,--target", args.target, "the output of the profile in profiles.yml");
  command->add_option("--profile", args.profile, "the profile in profiles.yml (default: dbt_project.yml's profile)");
  command->add_option("--profiles-dir", args.profiles_dir,
                      "the folder of profiles.yml (default: $DBT_PROFILES_DIR, the project, ~/.dbt)");
  command->add_flag("-d,--debug", args.debug, "print the SQL each node runs on stderr");
  command->add_option("--log-level", args.log_level, "debug, info, warn, error or none")->capture_default_str();
}

CLI::App* AddRunCommand(CLI::App& app, CliContext& ctx, const char* name, const char* help, transform::RunKind kind) {
  auto args = std::make_shared<DbtArgs>();
  auto* command = app.add_subcommand(name, help);
  command->add_option("selectors", args->positional,
                      "nodes to run, as --select takes them; a raw dataset's name runs the models that read it and "
                      "everything downstream");
  command->add_option("-s,--select,-m,--models", args->select, "dbt node selection; several values are a union (repeatable)");
  command->add_option("--exclude", args->exclude, "nodes to leave out (repeatable)");
  command->add_option("--indirect-selection", args->indirect_selection, "eager, cautious, buildable or empty")
      ->capture_default_str();
  command->add_option("--threads", args->threads, "nodes run in parallel (default: the target's threads, else 1)");
  if (kind != transform::RunKind::kTest)
    command->add_flag("--full-refresh", args->full_refresh, "rebuild incremental models from scratch");
  command->add_flag("-x,--fail-fast", args->fail_fast, "skip what is left after the first failure");
  AddProjectOptions(command, *args);
  command->add_flag("--json", args->json, "print the run results as JSON (also written to target/run_results.json)");
  command->callback([&ctx, args, kind, name] { RunDbtCommand(ctx, *args, kind, name); });
  return command;
}

void AddDepsCommand(CLI::App& app, CliContext& ctx) {
  auto project_dir = std::make_shared<std::string>();
  auto* command = app.add_subcommand(
      "deps", "Install the packages of packages.yml into dbt_packages/ (local: folders, tarball: URLs or paths)");
  command->add_option("--project-dir", *project_dir, "the dbt project (default: $DBT_PROJECT_DIR, else transform)");
  command->callback([&ctx, project_dir] {
    auto installed = transform::InstallPackages(ctx.TransformProjectDir(*project_dir));
    for (const auto& package : installed)
      std::printf("%-8s %s (%s)\n", package.action.c_str(), package.name.c_str(), package.source.c_str());
    if (installed.empty()) std::printf("no packages to install\n");
  });
}

}  // namespace

void AddTransformCommands(CLI::App& app, CliContext& ctx) {
  AddRunCommand(app, ctx, "transform", "Run the SQL models (and seeds) of the transform project (dbt-compatible)",
                transform::RunKind::kTransform);
  AddRunCommand(app, ctx, "seed", "Load the transform project's seeds (CSV files) into the lake",
                transform::RunKind::kSeed);
  AddRunCommand(app, ctx, "test", "Run the data tests of the transform project", transform::RunKind::kTest);
  AddDepsCommand(app, ctx);
}

}  // namespace dlctl
