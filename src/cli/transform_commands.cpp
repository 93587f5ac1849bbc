#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output_options.h"
#include "transform/project/yaml.h"
#include "transform/run/inspect.h"
#include "transform/run/deps.h"
#include "transform/run/freshness.h"
#include "transform/run/runner.h"
#include "util/error.h"
#include "util/terminal.h"

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
  // On a terminal, each node's START line as dbt prints it; its result line comes when it is done.
  bool terminal = !args.json && level <= Level::kInfo && IsTerminal(STDOUT_FILENO);
  options.on_start = [terminal](const transform::NodeResult& result) {
    if (!terminal) return;
    std::printf("%s\n", transform::FormatStartLine(result).c_str());
    std::fflush(stdout);
  };
  options.on_node = [&ctx, &args, level](const transform::NodeResult& result) {
    if (!args.json && level <= Level::kInfo) std::printf("%s\n", transform::FormatNodeLine(result).c_str());
    std::fflush(stdout);
    if ((result.status == "error" || result.status == "fail") && level <= Level::kError) {
      // A model's message names it and its file already.
      bool named = result.message.rfind("model " + result.name + " (", 0) == 0;
      std::fprintf(stderr, "dlctl: %s %s\n", result.status == "fail" ? "failed:" : "error:",
                   ctx.Scrub(IndentedLines(named ? result.message : result.name + ": " + result.message)).c_str());
    }
  };
  transform::RunReport report = transform::RunProject(ctx.settings(), ctx.store(), options);
  if (level <= Level::kWarn)
    for (const std::string& warning : report.warnings)
      std::fprintf(stderr, "dlctl: warning: %s\n", ctx.Scrub(warning).c_str());
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

// The selection options of commands that pick nodes without running them.
void AddSelectionOptions(CLI::App* command, DbtArgs& args) {
  command->add_option("selectors", args.positional, "nodes, as --select takes them");
  command->add_option("-s,--select,-m,--models", args.select, "dbt node selection (repeatable)");
  command->add_option("--exclude", args.exclude, "nodes to leave out (repeatable)");
}

void AddInspectCommands(CLI::App& app, CliContext& ctx) {
  auto ls_args = std::make_shared<DbtArgs>();
  auto list = std::make_shared<transform::ListOptions>();
  auto* ls = app.add_subcommand("ls", "List the project's nodes (dbt ls): selector, name, path or json per line");
  ls->alias("list");
  AddSelectionOptions(ls, *ls_args);
  ls->add_option("--resource-type", list->resource_types, "model, seed, test, source, ... (repeatable)");
  ls->add_option("-o,--output", list->output, "selector, name, path or json")->capture_default_str();
  AddProjectOptions(ls, *ls_args);
  ls->callback([&ctx, ls_args, list] {
    transform::RunOptions options = Options(ctx, *ls_args, transform::RunKind::kTransform, Level::kError);
    for (const std::string& line : transform::ListNodes(ctx.settings(), ctx.store(), options, *list))
      std::printf("%s\n", line.c_str());
  });

  auto compile_args = std::make_shared<DbtArgs>();
  auto compile_inline = std::make_shared<std::string>();
  auto* compile = app.add_subcommand("compile", "Render the selected models and tests to SQL under target/compiled/");
  AddSelectionOptions(compile, *compile_args);
  compile->add_option("--inline", *compile_inline, "SQL (with Jinja) to compile instead of nodes");
  AddProjectOptions(compile, *compile_args);
  compile->callback([&ctx, compile_args, compile_inline] {
    Level level = ParseLevel(*compile_args);
    transform::RunOptions options = Options(ctx, *compile_args, transform::RunKind::kTransform, level);
    auto compiled = transform::CompileNodes(ctx.settings(), ctx.store(), options, *compile_inline);
    if (compiled.size() == 1) {
      std::printf("%s\n", compiled[0].sql.c_str());
    } else if (level <= Level::kInfo) {
      for (const auto& node : compiled) std::printf("%s -> %s\n", node.unique_id.c_str(), node.path.c_str());
    }
  });

  auto show_args = std::make_shared<DbtArgs>();
  auto show_inline = std::make_shared<std::string>();
  auto limit = std::make_shared<int64_t>(5);
  auto output = std::make_shared<OutputOptions>();
  auto* show = app.add_subcommand("show", "Preview a model's rows (or --inline SQL's) without writing anything");
  AddSelectionOptions(show, *show_args);
  show->add_option("--inline", *show_inline, "SQL (with Jinja) to run instead of a model");
  show->add_option("--limit", *limit, "rows to show (-1: all)")->capture_default_str();
  AddOutputOptions(show, *output);
  AddProjectOptions(show, *show_args);
  show->callback([&ctx, show_args, show_inline, limit, output] {
    transform::RunOptions options = Options(ctx, *show_args, transform::RunKind::kTransform, ParseLevel(*show_args));
    PrintRows(transform::ShowRows(ctx.settings(), ctx.store(), options, *show_inline, *limit), *output);
  });

  auto operation_args = std::make_shared<DbtArgs>();
  auto macro = std::make_shared<std::string>();
  auto macro_args = std::make_shared<std::string>();
  auto* operation = app.add_subcommand("run-operation", "Call a macro of the project or a package (dbt run-operation)");
  operation->add_option("macro", *macro, "the macro: name or package.name")->required();
  operation->add_option("--args", *macro_args, "the macro's keyword arguments, as YAML or JSON: '{key: value}'");
  AddProjectOptions(operation, *operation_args);
  operation->callback([&ctx, operation_args, macro, macro_args] {
    transform::RunOptions options =
        Options(ctx, *operation_args, transform::RunKind::kTransform, ParseLevel(*operation_args));
    std::string result = transform::RunOperation(ctx.settings(), ctx.store(), options, *macro,
                                                 transform::ParseVarsOption(*macro_args, "--args"));
    if (result.find_first_not_of(" \t\r\n") != std::string::npos) std::printf("%s\n", result.c_str());
  });
}

void AddSourceCommands(CLI::App& app, CliContext& ctx) {
  auto* source = app.add_subcommand("source", "dbt's source commands");
  source->require_subcommand(1);
  auto args = std::make_shared<DbtArgs>();
  auto* freshness = source->add_subcommand(
      "freshness", "How old each source's newest data is against its freshness config (target/sources.json)");
  AddSelectionOptions(freshness, *args);
  AddProjectOptions(freshness, *args);
  freshness->callback([&ctx, args] {
    Level level = ParseLevel(*args);
    transform::RunOptions options = Options(ctx, *args, transform::RunKind::kTransform, level);
    transform::FreshnessReport report = transform::CheckFreshness(
        ctx.settings(), ctx.store(), options, [&ctx, level](const transform::FreshnessResult& result) {
          if (level <= Level::kInfo) std::printf("%s\n", transform::FormatFreshnessLine(result).c_str());
          if (result.status != "pass" && level <= Level::kWarn)
            std::fprintf(stderr, "dlctl: %s %s: %s\n", result.status == "warn" ? "warning:" : "error",
                         result.name.c_str(), ctx.Scrub(OneLine(result.message)).c_str());
          std::fflush(stdout);
        });
    if (report.results.empty() && level <= Level::kWarn)
      std::fprintf(stderr, "dlctl: warning: source freshness: no selected source has a freshness config\n");
    if (report.failed()) throw Error("source freshness: a source is stale or could not be checked");
  });
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
  AddRunCommand(app, ctx, "snapshot", "Run the project's snapshots: type-2 history of their queries' rows",
                transform::RunKind::kSnapshot);
  AddRunCommand(app, ctx, "build",
                "Run seeds, models and tests in DAG order; what reads a node whose test fails is skipped",
                transform::RunKind::kBuild);
  AddDepsCommand(app, ctx);
  AddInspectCommands(app, ctx);
  AddSourceCommands(app, ctx);
}

}  // namespace dlctl
