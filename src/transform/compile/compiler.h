#pragma once
// Renders a dbt project's models and tests into SQL with dbt's Jinja context: config, ref,
// source, var, env_var, this, model, is_incremental, execute, target, adapter, api, statement,
// load_result, run_query, log, exceptions, modules, graph, and the macros of dbt's global
// project, of every package and of the project (which may override generate_schema_name & co).
//
// Parse() renders every node once without executing anything (execute is false), as dbt's
// parse does: it applies each model's {{ config() }}, names each relation through
// generate_database/schema/alias_name, and adds the ref()/source() edges to the DAG. The run then
// compiles each node again just before it runs (execute is true), so run_query and
// is_incremental() see the lake as it is by then.
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "transform/compile/adapter.h"
#include "transform/compile/macro_registry.h"
#include "transform/compile/relation.h"
#include "transform/compile/target.h"
#include "transform/graph/dag.h"
#include "transform/jinja/environment.h"
#include "transform/project/project.h"
#include "transform/run/raw_datasets.h"

namespace dlctl::transform {

// What a compile may ask of the lake while it renders (set per worker by the runner).
using ExecutionHooks = AdapterHooks;

struct CompileOptions {
  bool full_refresh = false;
  Target target;
  nlohmann::json cli_vars = nlohmann::json::object();  // --vars
  std::string which = "run";                             // flags.WHICH: run, test, seed, compile, ...
  // Lines written by log(msg, info=True) and print(); default: stdout.
  std::function<void(const std::string&)> log;
};

class Compiler {
 public:
  // `raw` resolves sources of raw datasets; it must outlive the compiler.
  Compiler(Project project, const Settings& settings, RawDatasets& raw, CompileOptions options);

  // Renders every enabled model and test without executing. Throws Error (file:line) for the
  // first template that does not render, and for a ref() to nothing.
  void Parse();
  // The project's DAG with the edges the parse found.
  Dag BuildGraph() const;
  // Makes `graph` (graph.nodes, graph.sources) and `selected_resources` what templates see; call
  // once after Parse, before nodes compile on worker threads.
  void Publish(const Dag& dag, const std::set<std::string>& selected);

  const Project& project() const { return project_; }
  const MacroRegistry& macros() const { return macros_; }
  const CompileOptions& options() const { return options_; }
  // The lake catalog nodes land in unless configured otherwise (target.database).
  const std::string& target_database() const { return target_database_; }
  const Model* FindModel(const std::string& unique_id) const;
  const Seed* FindSeed(const std::string& unique_id) const;
  const Snapshot* FindSnapshot(const std::string& unique_id) const;
  const DataTest* FindTest(const std::string& unique_id) const;
  // The relation of a model or seed (after Parse).
  const Relation& RelationOf(const std::string& unique_id) const;
  // The nodes a node reads (ref, source), as the parse found them.
  const std::vector<std::string>& DependsOn(const std::string& unique_id) const;

  // The SQL of a model (ephemeral models it refers to inlined as CTEs) or of a test's failing
  // rows. Throws Error (file:line) when it does not render.
  std::string CompileModel(const Model& model, const ExecutionHooks& hooks) const;
  std::string CompileTest(const DataTest& test, const ExecutionHooks& hooks) const;
  // A snapshot's SELECT (what it snapshots).
  std::string CompileSnapshot(const Snapshot& snapshot, const ExecutionHooks& hooks) const;
  // A unit test's model SQL with its fixtures in place of the ref()s and source()s it names
  // (typed as the real relations, when they exist), and its overrides applied.
  std::string CompileUnitTest(const UnitTest& test, const ExecutionHooks& hooks) const;
  const UnitTest* FindUnitTest(const std::string& unique_id) const;
  // A hook (pre-hook, post-hook, on-run-start/end) of a node rendered with its context; for the
  // run hooks `unique_id` is empty.
  std::string RenderHook(const std::string& hook, const std::string& unique_id, const ExecutionHooks& hooks) const;
  // Renders free SQL (dlctl show --inline, a value of the project) with the root project's context.
  std::string RenderText(const std::string& text, const std::string& file, const ExecutionHooks& hooks) const;
  // Calls a macro of the root project's namespace ("name" or "package.name") with `args`, as
  // run-operation does; returns what it printed or returned.
  std::string CallMacro(const std::string& macro, const nlohmann::json& args, const ExecutionHooks& hooks) const;

 private:
  struct RenderState;
  jinja::Context MakeContext(RenderState& state) const;
  const jinja::Namespace& NamespaceOf(const RenderState& state) const;
  jinja::Value RefValue(RenderState& state, const std::string& package, const std::string& name) const;
  jinja::Value SourceValue(RenderState& state, const std::string& source, const std::string& table) const;
  jinja::Value FixtureValue(RenderState& state, const std::string& id, const std::string& name) const;
  void ApplyOverrides(jinja::Context& context, const nlohmann::json& overrides) const;
  std::string RenderModel(const Model& model, RenderState& state) const;
  std::string RenderSnapshot(const Snapshot& snapshot, RenderState& state) const;
  std::string RenderTest(const DataTest& test, RenderState& state) const;
  std::string WithCtes(const std::string& sql, const RenderState& state, const char* alias) const;
  jinja::Value NodeValue(const std::string& unique_id, const std::string& resource_type, const std::string& package,
                         const std::string& name, const std::vector<std::string>& fqn, const std::string& path,
                         const NodeConfig& config) const;
  Relation NameRelation(const std::string& unique_id, const std::string& resource_type, const std::string& package,
                        const std::string& name, const std::vector<std::string>& fqn, const std::string& path,
                        const NodeConfig& config) const;
  std::optional<std::string> FindNodeId(const std::string& package, const std::string& name,
                                        const std::string& from_package) const;
  jinja::Value EnvVar(const jinja::CallArgs& args) const;
  void Log(const std::string& line) const;

  Project project_;
  const Settings& settings_;
  RawDatasets& raw_;
  CompileOptions options_;
  std::string target_database_;
  jinja::Environment environment_;
  MacroRegistry macros_;
  std::map<std::string, nlohmann::json> vars_;                  // package -> the vars its nodes see
  std::map<std::string, size_t> models_, seeds_, tests_, unit_tests_, snapshots_;  // unique id -> index in project_
  std::map<std::string, std::string> node_ids_;                // "package.name" -> model or seed id
  std::map<std::string, Relation> relations_;
  std::map<std::string, std::vector<std::string>> depends_on_;  // node -> the nodes it reads
  std::unique_ptr<std::mutex> log_mutex_ = std::make_unique<std::mutex>();
};

// dbt's test query around a test's SQL: failures (the test's fail_calc, default count(*) of the
// failing rows, at most `limit` of them), should_warn (failures and warn_if, default != 0) and
// should_error (error_if).
std::string TestResultSql(const std::string& test_sql, const NodeConfig& config);

// dbt's native rendering of a dbt_project.yml or profiles.yml value: "{{ expr }}" alone gives
// the expression's value (a bool, a number, a list), other text renders to a string. The
// context has target (when known), env_var, var (--vars only) and modules.
nlohmann::json RenderConfigValue(const std::string& text, const std::string& where, const Settings& settings,
                                 const nlohmann::json& cli_vars, const std::optional<Target>& target);

}  // namespace dlctl::transform
