#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/engine_commands.h"
#include "cli/output_options.h"

namespace dlctl {
namespace {

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

// transform, seed, test, snapshot or build.
CLI::App* AddRunCommand(CLI::App& app, CliContext& ctx, const char* name, const char* help) {
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
  if (std::string(name) != "test")
    command->add_flag("--full-refresh", args->full_refresh, "rebuild incremental models from scratch");
  command->add_flag("-x,--fail-fast", args->fail_fast, "skip what is left after the first failure");
  AddProjectOptions(command, *args);
  command->add_flag("--json", args->json, "print the run results as JSON (also written to target/run_results.json)");
  command->callback([&ctx, args, name] { EngineModule().dbt_run(ctx, *args, name); });
  return command;
}

// The selection options of commands that pick nodes without running them.
void AddSelectionOptions(CLI::App* command, DbtArgs& args) {
  command->add_option("selectors", args.positional, "nodes, as --select takes them");
  command->add_option("-s,--select,-m,--models", args.select, "dbt node selection (repeatable)");
  command->add_option("--exclude", args.exclude, "nodes to leave out (repeatable)");
}

void AddInspectCommands(CLI::App& app, CliContext& ctx) {
  auto ls_args = std::make_shared<DbtListArgs>();
  auto* ls = app.add_subcommand("ls", "List the project's nodes (dbt ls): selector, name, path or json per line");
  ls->alias("list");
  AddSelectionOptions(ls, ls_args->dbt);
  ls->add_option("--resource-type", ls_args->resource_types, "model, seed, test, source, ... (repeatable)");
  ls->add_option("-o,--output", ls_args->output, "selector, name, path or json")->capture_default_str();
  AddProjectOptions(ls, ls_args->dbt);
  ls->callback([&ctx, ls_args] { EngineModule().dbt_ls(ctx, *ls_args); });

  auto compile_args = std::make_shared<DbtCompileArgs>();
  auto* compile = app.add_subcommand("compile", "Render the selected models and tests to SQL under target/compiled/");
  AddSelectionOptions(compile, compile_args->dbt);
  compile->add_option("--inline", compile_args->inline_sql, "SQL (with Jinja) to compile instead of nodes");
  AddProjectOptions(compile, compile_args->dbt);
  compile->callback([&ctx, compile_args] { EngineModule().dbt_compile(ctx, *compile_args); });

  auto show_args = std::make_shared<DbtShowArgs>();
  auto* show = app.add_subcommand("show", "Preview a model's rows (or --inline SQL's) without writing anything");
  AddSelectionOptions(show, show_args->dbt);
  show->add_option("--inline", show_args->inline_sql, "SQL (with Jinja) to run instead of a model");
  show->add_option("--limit", show_args->limit, "rows to show (-1: all)")->capture_default_str();
  AddOutputOptions(show, show_args->output);
  AddProjectOptions(show, show_args->dbt);
  show->callback([&ctx, show_args] { EngineModule().dbt_show(ctx, *show_args); });

  auto operation_args = std::make_shared<DbtOperationArgs>();
  auto* operation = app.add_subcommand("run-operation", "Call a macro of the project or a package (dbt run-operation)");
  operation->add_option("macro", operation_args->macro, "the macro: name or package.name")->required();
  operation->add_option("--args", operation_args->macro_args,
                        "the macro's keyword arguments, as YAML or JSON: '{key: value}'");
  AddProjectOptions(operation, operation_args->dbt);
  operation->callback([&ctx, operation_args] { EngineModule().dbt_run_operation(ctx, *operation_args); });
}

void AddSourceCommands(CLI::App& app, CliContext& ctx) {
  auto* source = app.add_subcommand("source", "dbt's source commands");
  source->require_subcommand(1);
  auto args = std::make_shared<DbtArgs>();
  auto* freshness = source->add_subcommand(
      "freshness", "How old each source's newest data is against its freshness config (target/sources.json)");
  AddSelectionOptions(freshness, *args);
  AddProjectOptions(freshness, *args);
  freshness->callback([&ctx, args] { EngineModule().source_freshness(ctx, *args); });
}

void AddDepsCommand(CLI::App& app, CliContext& ctx) {
  auto project_dir = std::make_shared<std::string>();
  auto* command = app.add_subcommand(
      "deps", "Install the packages of packages.yml into dbt_packages/ (local: folders, tarball: URLs or paths)");
  command->add_option("--project-dir", *project_dir, "the dbt project (default: $DBT_PROJECT_DIR, else transform)");
  command->callback([&ctx, project_dir] { EngineModule().dbt_deps(ctx, *project_dir); });
}

}  // namespace

void AddTransformCommands(CLI::App& app, CliContext& ctx) {
  AddRunCommand(app, ctx, "transform", "Run the SQL models (and seeds) of the transform project (dbt-compatible)");
  AddRunCommand(app, ctx, "seed", "Load the transform project's seeds (CSV files) into the lake");
  AddRunCommand(app, ctx, "test", "Run the data tests of the transform project");
  AddRunCommand(app, ctx, "snapshot", "Run the project's snapshots: type-2 history of their queries' rows");
  AddRunCommand(app, ctx, "build",
                "Run seeds, models and tests in DAG order; what reads a node whose test fails is skipped");
  AddDepsCommand(app, ctx);
  AddInspectCommands(app, ctx);
  AddSourceCommands(app, ctx);
}

}  // namespace dlctl
