#pragma once
// Renders a dbt project's models and tests into SQL with dbt's Jinja context: config, ref,
// source, var, env_var, this, is_incremental, execute, target, adapter, log, run_query,
// exceptions, and the project's macros (which may override generate_schema_name & co).
//
// Parse() renders every node once without executing anything (execute is false), as dbt's
// parse does: it applies each model's {{ config() }}, names each relation through
// generate_database/schema/alias_name, and adds the ref()/source() edges to the DAG. The run then
// compiles each node again just before it runs (execute is true), so run_query and
// is_incremental() see the lake as it is by then.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/engine.h"
#include "transform/graph/dag.h"
#include "transform/jinja/environment.h"
#include "transform/project/project.h"
#include "transform/run/raw_datasets.h"

namespace dlctl::transform {

// Where a model or seed lives in the lake: <catalog>.<schema>.<table or view>.
struct Relation {
  std::string database, schema, identifier;
  // "stage"."dsn"."hr_edges", as SQL sees it.
  std::string Render() const;
};

// What a compile may ask of the lake while it renders (set per worker by the runner).
struct ExecutionHooks {
  std::function<QueryResult(const std::string& sql)> run_query;
  // Whether the model's table already exists (is_incremental() is true when it does, the model
  // is incremental and the run is not --full-refresh).
  std::function<bool(const Relation& relation)> table_exists;
};

class Compiler {
 public:
  // `raw` resolves sources of raw datasets; it must outlive the compiler.
  Compiler(Project project, const Settings& settings, RawDatasets& raw, bool full_refresh, int threads);

  // Renders every enabled model and test without executing. Throws Error (file:line) for the
  // first template that does not render, and for a ref() to nothing.
  void Parse();
  // The project's DAG with the edges the parse found.
  Dag BuildGraph() const;

  const Project& project() const { return project_; }
  const Model* FindModel(const std::string& unique_id) const;
  const Seed* FindSeed(const std::string& unique_id) const;
  const DataTest* FindTest(const std::string& unique_id) const;
  // The relation of a model or seed (after Parse).
  const Relation& RelationOf(const std::string& unique_id) const;

  // The SQL of a model (ephemeral models it refers to inlined as CTEs) or of a test's failing
  // rows. Throws Error (file:line) when it does not render.
  std::string CompileModel(const Model& model, const ExecutionHooks& hooks) const;
  std::string CompileTest(const DataTest& test, const ExecutionHooks& hooks) const;

 private:
  struct RenderState;
  jinja::Context MakeContext(RenderState& state) const;
  jinja::Value RefValue(RenderState& state, const std::string& name) const;
  jinja::Value SourceValue(RenderState& state, const std::string& source, const std::string& table) const;
  std::string RenderModel(const Model& model, RenderState& state) const;
  std::string RenderTest(const DataTest& test, RenderState& state) const;
  jinja::Value NodeValue(const std::string& unique_id, const std::string& resource_type, const std::string& name,
                         const std::vector<std::string>& fqn, const std::string& path, const NodeConfig& config) const;
  Relation NameRelation(const std::string& unique_id, const std::string& resource_type, const std::string& name,
                        const std::vector<std::string>& fqn, const std::string& path, const NodeConfig& config) const;
  jinja::Value EnvVar(const jinja::CallArgs& args) const;

  Project project_;
  const Settings& settings_;
  RawDatasets& raw_;
  bool full_refresh_;
  std::string target_database_;
  jinja::Environment environment_;
  std::map<std::string, size_t> models_, seeds_, tests_;       // unique id -> index in project_
  std::map<std::string, std::string> model_ids_by_name_;       // models and seeds
  std::map<std::string, Relation> relations_;
  std::map<std::string, std::vector<std::string>> depends_on_;  // node -> the nodes it reads
  std::unique_ptr<std::mutex> log_mutex_ = std::make_unique<std::mutex>();
};

// The SQL that counts a test's failing rows.
std::string CountFailuresSql(const std::string& test_sql);

}  // namespace dlctl::transform
