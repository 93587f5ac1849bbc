// The one symbol libdlctl_engine.so exports (the rest is hidden): its commands, for
// cli/engine_module.cpp in the executable.
#include "cli/engine/runs.h"

extern "C" __attribute__((visibility("default"))) const dlctl::EngineCommands* dlctl_engine_commands() {
  using namespace dlctl;
  static const EngineCommands commands{
      .query = RunQuery,
      .export_dataset = RunExport,
      .backup_create = RunBackupCreate,
      .dbt_run = RunDbtCommand,
      .dbt_ls = RunDbtList,
      .dbt_compile = RunDbtCompile,
      .dbt_show = RunDbtShow,
      .dbt_run_operation = RunDbtOperation,
      .source_freshness = RunSourceFreshness,
      .dbt_deps = RunDbtDeps,
      .graph_load = RunGraphLoad,
      .graph_query = RunGraphQuery,
      .graph_embeddings = RunGraphEmbeddings,
      .graph_reindex = RunGraphReindex,
      .graph_similar = RunGraphSimilar,
      .docs_generate = RunDocsGenerate,
      .docs_serve = RunDocsServe,
      .generate_init_sql = RunGenerateInitSql,
      .migrate_catalog = RunMigrateCatalog,
      .generate_sample_data = RunGenerateSampleData,
      .lake_flush = RunLakeFlush,
  };
  return &commands;
}
