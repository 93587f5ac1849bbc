#pragma once
// Each command group registers its subcommands; every subcommand calls one module function.
#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace dlctl {

void AddIngestCommands(CLI::App& app, CliContext& ctx);
void AddToolsCommands(CLI::App& app, CliContext& ctx);
void AddQueryCommand(CLI::App& app, CliContext& ctx);
void AddLakeCommands(CLI::App& app, CliContext& ctx);
void AddExportCommands(CLI::App& app, CliContext& ctx);
void AddBackupCommands(CLI::App& app, CliContext& ctx);
void AddTransformCommands(CLI::App& app, CliContext& ctx);
void AddGraphCommands(CLI::App& app, CliContext& ctx);
void AddDocsCommands(CLI::App& app, CliContext& ctx);

}  // namespace dlctl
