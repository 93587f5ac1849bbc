#pragma once
// The bodies of the commands in cli/engine_commands.h, one file per command group; module.cpp
// hands them to the executable. Only the module libdlctl_engine.so is built from this folder.
#include <string>

#include "cli/engine_commands.h"

namespace dlctl {

void RunQuery(CliContext& ctx, const QueryArgs& args);
void RunExport(CliContext& ctx, const ExportArgs& args);
void RunBackupCreate(CliContext& ctx);

void RunDbtCommand(CliContext& ctx, const DbtArgs& args, const std::string& command);
void RunDbtList(CliContext& ctx, const DbtListArgs& args);
void RunDbtCompile(CliContext& ctx, const DbtCompileArgs& args);
void RunDbtShow(CliContext& ctx, const DbtShowArgs& args);
void RunDbtOperation(CliContext& ctx, const DbtOperationArgs& args);
void RunSourceFreshness(CliContext& ctx, const DbtArgs& args);
void RunDbtDeps(CliContext& ctx, const std::string& project_dir);

void RunGraphLoad(CliContext& ctx, const GraphLoadArgs& args);
void RunGraphQuery(CliContext& ctx, const GraphQueryArgs& args);
void RunGraphEmbeddings(CliContext& ctx, const EmbeddingArgs& args);
void RunGraphReindex(CliContext& ctx, const std::string& schema);
void RunGraphSimilar(CliContext& ctx, const SimilarArgs& args);

void RunDocsGenerate(CliContext& ctx, const DocsArgs& args);
void RunDocsServe(CliContext& ctx, const DocsArgs& args);

void RunGenerateInitSql(CliContext& ctx, const std::string& path);
void RunMigrateCatalog(CliContext& ctx, const MigrateArgs& args);
void RunGenerateSampleData(const SampleDataArgs& args);

void RunLakeFlush(CliContext& ctx, const LakeFlushArgs& args);

}  // namespace dlctl
