// The dbt commands: transform (run), seed, test, snapshot, build, ls, compile, show, run-operation,
// source freshness, deps.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/engine/runs.h"
#include "transform/project/yaml.h"
#include "transform/run/deps.h"
#include "transform/run/freshness.h"
#include "transform/run/inspect.h"
#include "transform/run/runner.h"
#include "util/error.h"
#include "util/terminal.h"

namespace dlctl {
namespace {

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

transform::RunKind RunKindOf(const std::string& command) {
  if (command == "seed") return transform::RunKind::kSeed;
  if (command == "test") return transform::RunKind::kTest;
  if (command == "snapshot") return transform::RunKind::kSnapshot;
  if (command == "build") return transform::RunKind::kBuild;
  return transform::RunKind::kTransform;
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

}  // namespace

void RunDbtCommand(CliContext& ctx, const DbtArgs& args, const std::string& command) {
  Level level = ParseLevel(args);
  transform::RunOptions options = Options(ctx, args, RunKindOf(command), level);
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
    std::fprintf(stderr, "dlctl: warning: %s: nothing selected\n", command.c_str());
  if (report.failed()) throw Error(command + " failed: " + transform::FormatSummary(report));
}

void RunDbtList(CliContext& ctx, const DbtListArgs& args) {
  transform::RunOptions options = Options(ctx, args.dbt, transform::RunKind::kTransform, Level::kError);
  transform::ListOptions list{args.resource_types, args.output};
  for (const std::string& line : transform::ListNodes(ctx.settings(), ctx.store(), options, list))
    std::printf("%s\n", line.c_str());
}

void RunDbtCompile(CliContext& ctx, const DbtCompileArgs& args) {
  Level level = ParseLevel(args.dbt);
  transform::RunOptions options = Options(ctx, args.dbt, transform::RunKind::kTransform, level);
  auto compiled = transform::CompileNodes(ctx.settings(), ctx.store(), options, args.inline_sql);
  if (compiled.size() == 1) {
    std::printf("%s\n", compiled[0].sql.c_str());
  } else if (level <= Level::kInfo) {
    for (const auto& node : compiled) std::printf("%s -> %s\n", node.unique_id.c_str(), node.path.c_str());
  }
}

void RunDbtShow(CliContext& ctx, const DbtShowArgs& args) {
  transform::RunOptions options = Options(ctx, args.dbt, transform::RunKind::kTransform, ParseLevel(args.dbt));
  PrintRows(transform::ShowRows(ctx.settings(), ctx.store(), options, args.inline_sql, args.limit), args.output);
}

void RunDbtOperation(CliContext& ctx, const DbtOperationArgs& args) {
  transform::RunOptions options = Options(ctx, args.dbt, transform::RunKind::kTransform, ParseLevel(args.dbt));
  std::string result = transform::RunOperation(ctx.settings(), ctx.store(), options, args.macro,
                                               transform::ParseVarsOption(args.macro_args, "--args"));
  if (result.find_first_not_of(" \t\r\n") != std::string::npos) std::printf("%s\n", result.c_str());
}

void RunSourceFreshness(CliContext& ctx, const DbtArgs& args) {
  Level level = ParseLevel(args);
  transform::RunOptions options = Options(ctx, args, transform::RunKind::kTransform, level);
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
}

void RunDbtDeps(CliContext& ctx, const std::string& project_dir) {
  auto installed = transform::InstallPackages(ctx.TransformProjectDir(project_dir));
  for (const auto& package : installed)
    std::printf("%-8s %s (%s)\n", package.action.c_str(), package.name.c_str(), package.source.c_str());
  if (installed.empty()) std::printf("no packages to install\n");
}

}  // namespace dlctl
