#include "transform/run/inspect.h"

#include <algorithm>

#include "transform/run/session.h"
#include "util/error.h"

namespace dlctl::transform {
namespace {

std::string Joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string ListLine(const Session& session, const GraphNode& node, const std::string& output) {
  if (output == "name") return node.kind == NodeKind::kSource ? node.source_name + "." + node.name : node.name;
  if (output == "path") return node.path;
  std::string selector = Joined(node.fqn, ".");
  if (output == "selector") return node.kind == NodeKind::kSource ? "source:" + selector : selector;
  nlohmann::ordered_json json;
  json["name"] = node.name;
  json["resource_type"] = NodeKindName(node.kind);
  json["package_name"] = node.package;
  json["original_file_path"] = node.path;
  json["unique_id"] = node.unique_id;
  if (node.kind == NodeKind::kSource) json["source_name"] = node.source_name;
  if (node.kind == NodeKind::kModel || node.kind == NodeKind::kSeed)
    json["alias"] = session.compiler().RelationOf(node.unique_id).identifier;
  json["tags"] = node.tags;
  json["config"] = node.config;
  nlohmann::ordered_json depends = nlohmann::ordered_json::array();
  for (const std::string& parent : session.dag().Parents(node.unique_id)) depends.push_back(parent);
  json["depends_on"] = {{"nodes", depends}};
  return json.dump();
}

}  // namespace

std::vector<std::string> ListNodes(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                   const RunOptions& options, const ListOptions& list) {
  static const std::vector<std::string> kOutputs = {"selector", "name", "path", "json"};
  if (std::find(kOutputs.begin(), kOutputs.end(), list.output) == kOutputs.end())
    throw UsageError("--output must be selector, name, path or json (got '" + list.output + "')");
  static const std::vector<std::string> kTypes = {"model", "seed", "test", "source", "snapshot", "unit_test",
                                                  "analysis", "exposure", "metric", "semantic_model", "saved_query"};
  for (const std::string& type : list.resource_types)
    if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end())
      throw UsageError("--resource-type: unknown type '" + type + "'");
  Session session(settings, std::move(store), options);
  session.Open("list");
  std::vector<std::string> lines;
  std::set<std::string> selected = session.Select();
  for (const GraphNode& node : session.dag().nodes()) {  // in the project's order, as dbt ls
    if (!selected.count(node.unique_id)) continue;
    std::string type = NodeKindName(node.kind);
    if (!list.resource_types.empty() &&
        std::find(list.resource_types.begin(), list.resource_types.end(), type) == list.resource_types.end())
      continue;
    lines.push_back(ListLine(session, node, list.output));
  }
  return lines;
}

std::vector<CompiledNode> CompileNodes(const Settings& settings, std::shared_ptr<ObjectStore> store,
                                       const RunOptions& options, const std::string& inline_sql) {
  Session session(settings, std::move(store), options);
  session.Open("compile");
  session.Publish(session.Select());
  Worker& worker = session.ThisWorker();
  ExecutionHooks hooks = session.Hooks(worker);
  std::vector<CompiledNode> compiled;
  if (!inline_sql.empty()) {
    compiled.push_back({"inline", "", session.compiler().RenderText(inline_sql, "inline query", hooks)});
    return compiled;
  }
  std::set<std::string> selected = session.Select();
  for (const GraphNode& node : session.dag().nodes()) {
    if (!selected.count(node.unique_id)) continue;
    const Compiler& compiler = session.compiler();
    if (const Model* model = compiler.FindModel(node.unique_id)) {
      std::string sql = compiler.CompileModel(*model, hooks);
      compiled.push_back({model->unique_id, session.WriteCompiled(model->file.path, sql), sql});
    } else if (const DataTest* test = compiler.FindTest(node.unique_id)) {
      std::string sql = compiler.CompileTest(*test, hooks);
      std::string file = test->kind == DataTest::Kind::kSingular ? test->file.path : test->path + "/" + test->name + ".sql";
      compiled.push_back({test->unique_id, session.WriteCompiled(file, sql), sql});
    }
  }
  return compiled;
}

QueryResult ShowRows(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options,
                     const std::string& inline_sql, int64_t limit) {
  Session session(settings, std::move(store), options);
  session.Open("show");
  session.Publish(session.Select());
  Worker& worker = session.ThisWorker();
  ExecutionHooks hooks = session.Hooks(worker);
  std::string sql;
  if (!inline_sql.empty()) {
    sql = session.compiler().RenderText(inline_sql, "inline query", hooks);
  } else {
    std::vector<const Model*> models;
    for (const std::string& id : session.Select())
      if (const Model* model = session.compiler().FindModel(id)) models.push_back(model);
    if (models.size() != 1)
      throw UsageError("show needs --select naming one model, or --inline SQL (" + std::to_string(models.size()) +
                       " models selected)");
    sql = session.compiler().CompileModel(*models[0], hooks);
  }
  session.Debug("show:\n" + sql);
  std::string query = "select * from (\n" + sql + "\n) as dbt_show";
  if (limit >= 0) query += " limit " + std::to_string(limit);
  return worker.engine->Query(query);
}

std::string RunOperation(const Settings& settings, std::shared_ptr<ObjectStore> store, const RunOptions& options,
                         const std::string& macro, const nlohmann::json& args) {
  Session session(settings, std::move(store), options);
  session.Open("run-operation");
  session.Publish({});
  Worker& worker = session.ThisWorker();
  ExecutionHooks hooks = session.Hooks(worker);
  return session.compiler().CallMacro(macro, args, hooks);
}

}  // namespace dlctl::transform
