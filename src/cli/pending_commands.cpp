#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "util/error.h"

namespace dlctl {
namespace {

using Help = std::pair<const char*, const char*>;  // name, description

CLI::App* AddPending(CLI::App* parent, const Help& command, const std::string& full_name) {
  auto* sub = parent->add_subcommand(command.first, command.second);
  sub->allow_extras();
  sub->callback([full_name] { throw Error(full_name + ": not implemented yet"); });
  return sub;
}

void AddPendingGroup(CLI::App* parent, const Help& group, const std::vector<Help>& commands) {
  auto* sub = parent->add_subcommand(group.first, group.second);
  sub->require_subcommand(1);
  for (const auto& command : commands) AddPending(sub, command, std::string(group.first) + " " + command.first);
}

}  // namespace

void AddPendingCommands(CLI::App& app, CliContext&) {
  auto* graph = app.add_subcommand("graph", "Load, query and compute on graphs in Kuzu");
  graph->require_subcommand(1);
  AddPending(graph, {"load", "Load a graph mart schema into its Kuzu database"}, "graph load");
  AddPending(graph, {"query", "Run Cypher on a graph"}, "graph query");
  AddPendingGroup(graph, {"compute", "Graph computations"}, {{"embeddings", "FastRP node embeddings"}});
}

}  // namespace dlctl
