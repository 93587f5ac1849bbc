#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "transform/run/runner.h"
#include "util/error.h"

namespace dlctl {
namespace {

struct TransformArgs {
  std::vector<std::string> select, exclude;
  std::string indirect_selection = "eager";
  int threads = 1;
  bool full_refresh = false;
  std::string project_dir;
  bool json = false;
};

void RunTransformCommand(CliContext& ctx, const TransformArgs& args, transform::RunKind kind, const char* command) {
  if (args.threads < 1) throw UsageError("--threads must be at least 1");
  const Settings& settings = ctx.settings();
  transform::RunOptions options;
  options.kind = kind;
  options.selection.select = args.select;
  options.selection.exclude = args.exclude;
  options.selection.indirect = transform::ParseIndirectSelection(args.indirect_selection);
  options.threads = args.threads;
  options.full_refresh = args.full_refresh;
  options.project_dir = ctx.TransformProjectDir(args.project_dir);
  options.on_node = [&ctx, &args](const transform::NodeResult& result) {
    if (!args.json) std::printf("%s\n", transform::FormatNodeLine(result).c_str());
    if (result.status == "error" || result.status == "fail")
      std::fprintf(stderr, "dlctl: %s %s: %s\n", result.status == "fail" ? "failed" : "error", result.name.c_str(),
                   ctx.Scrub(OneLine(result.message)).c_str());
    std::fflush(stdout);
  };
  transform::RunReport report = transform::RunProject(settings, ctx.store(), options);
  for (const std::string& warning : report.warnings) std::fprintf(stderr, "dlctl: warning: %s\n", warning.c_str());
  if (args.json)
    std::printf("%s\n", transform::RunResultsJson(report).c_str());
  else
    std::printf("%s\n", transform::FormatSummary(report).c_str());
  if (report.results.empty()) std::fprintf(stderr, "dlctl: warning: %s: nothing selected\n", command);
  if (report.failed()) throw Error(std::string(command) + " failed: " + transform::FormatSummary(report));
}

CLI::App* AddRunCommand(CLI::App& app, CliContext& ctx, const char* name, const char* help, transform::RunKind kind) {
  auto args = std::make_shared<TransformArgs>();
  auto* command = app.add_subcommand(name, help);
  command->add_option("-s,--select", args->select, "dbt node selection; several values are a union (repeatable)");
  command->add_option("--exclude", args->exclude, "nodes to leave out (repeatable)");
  command->add_option("--indirect-selection", args->indirect_selection, "eager, cautious, buildable or empty")
      ->capture_default_str();
  command->add_option("--threads", args->threads, "nodes run in parallel")->capture_default_str();
  if (kind != transform::RunKind::kTest)
    command->add_flag("--full-refresh", args->full_refresh, "rebuild incremental models from scratch");
  command->add_option("--project-dir", args->project_dir, "the dbt project (default: $DBT_PROJECT_DIR, else transform)");
  command->add_flag("--json", args->json, "print the run results as JSON (also written to target/run_results.json)");
  command->callback([&ctx, args, kind, name] { RunTransformCommand(ctx, *args, kind, name); });
  return command;
}

}  // namespace

void AddTransformCommands(CLI::App& app, CliContext& ctx) {
  AddRunCommand(app, ctx, "transform", "Run the SQL models (and seeds) of the transform project (dbt-compatible)",
                transform::RunKind::kTransform);
  AddRunCommand(app, ctx, "seed", "Load the transform project's seeds (CSV files) into the lake",
                transform::RunKind::kSeed);
  AddRunCommand(app, ctx, "test", "Run the data tests of the transform project", transform::RunKind::kTest);
}

}  // namespace dlctl
