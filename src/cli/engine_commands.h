#pragma once
// The seam between the dlctl executable and its commands that need DuckDB. Those commands run in
// the module libdlctl_engine.so (their bodies are in cli/engine/), loaded by EngineModule() when
// the first of them is called, so every other command (--help, --version, ingest, lake, export
// ls, backup ls, ...) starts without loading DuckDB's library: relocating it alone took longer
// than the whole of such a command. The executable parses the command line into the structs
// below and calls the module's function for the command.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cli/output_options.h"
#include "docs/docs_server.h"
#include "graph/embeddings_job.h"
#include "tools/sample_data.h"

namespace dlctl {

struct QueryArgs {
  std::string sql;
  OutputOptions output;
  std::vector<std::string> snapshots;  // "N" or "CATALOG=N"
};

struct ExportArgs {
  std::string catalog;
  std::string schema;
  std::string format = "parquet";
  int64_t snapshot = -1;  // -1: the latest
  bool views = false;
};

// What dbt's commands share, as dbt spells it.
struct DbtArgs {
  std::vector<std::string> positional, select, exclude;
  std::string indirect_selection = "eager";
  int threads = 0;
  bool full_refresh = false, fail_fast = false, debug = false, json = false;
  std::string log_level = "info";
  std::string vars, target, profile, profiles_dir, project_dir;
};

struct DbtListArgs {
  DbtArgs dbt;
  std::vector<std::string> resource_types;
  std::string output = "selector";
};

struct DbtCompileArgs {
  DbtArgs dbt;
  std::string inline_sql;
};

struct DbtShowArgs {
  DbtArgs dbt;
  std::string inline_sql;
  int64_t limit = 5;
  OutputOptions output;
};

struct DbtOperationArgs {
  DbtArgs dbt;
  std::string macro;
  std::string macro_args;  // YAML or JSON
};

struct GraphLoadArgs {
  std::string schema;
  bool overwrite = false;
  std::optional<int64_t> snapshot;
  bool from_export = false;
  std::string project_dir;
  bool json = false;
};

struct GraphQueryArgs {
  std::string schema;
  std::string cypher;
  OutputOptions output;
};

struct EmbeddingArgs {
  std::string schema;
  graph::EmbeddingOptions options;
  std::string weights;  // comma-separated, as typed
  bool json = false;
};

struct SimilarArgs {
  std::string schema;
  int64_t node_id = 0;
  int k = 10;
  OutputOptions output;
};

struct DocsArgs {
  std::string project_dir;
  bool no_verify = false;
  docs::ServeOptions serve;
};

struct MigrateArgs {
  std::string catalog, from, to;
  bool force = false;
};

struct LakeFlushArgs {
  std::string catalog;
  std::string schema, table;  // empty: every one
};

struct SampleDataArgs {
  SampleDataOptions options;
  std::string out_dir;
};

// One function per command; each prints what the command prints and throws Error on failure.
struct EngineCommands {
  void (*query)(CliContext&, const QueryArgs&);
  void (*export_dataset)(CliContext&, const ExportArgs&);
  void (*backup_create)(CliContext&);
  // transform, seed, test, snapshot or build: `command` names the one to run.
  void (*dbt_run)(CliContext&, const DbtArgs&, const std::string& command);
  void (*dbt_ls)(CliContext&, const DbtListArgs&);
  void (*dbt_compile)(CliContext&, const DbtCompileArgs&);
  void (*dbt_show)(CliContext&, const DbtShowArgs&);
  void (*dbt_run_operation)(CliContext&, const DbtOperationArgs&);
  void (*source_freshness)(CliContext&, const DbtArgs&);
  void (*dbt_deps)(CliContext&, const std::string& project_dir);
  void (*graph_load)(CliContext&, const GraphLoadArgs&);
  void (*graph_query)(CliContext&, const GraphQueryArgs&);
  void (*graph_embeddings)(CliContext&, const EmbeddingArgs&);
  void (*graph_reindex)(CliContext&, const std::string& schema);
  void (*graph_similar)(CliContext&, const SimilarArgs&);
  void (*docs_generate)(CliContext&, const DocsArgs&);
  void (*docs_serve)(CliContext&, const DocsArgs&);
  void (*generate_init_sql)(CliContext&, const std::string& path);
  void (*migrate_catalog)(CliContext&, const MigrateArgs&);
  void (*generate_sample_data)(const SampleDataArgs&);
  void (*lake_flush)(CliContext&, const LakeFlushArgs&);
};

// The module's commands, loaded on the first call (cli/engine_module.cpp); Error when the module
// cannot be loaded.
const EngineCommands& EngineModule();

// The one function libdlctl_engine.so exports, by this name (cli/engine/module.cpp).
inline constexpr const char* kEngineCommandsName = "dlctl_engine_commands";
using EngineCommandsFunction = const EngineCommands* (*)();

}  // namespace dlctl
