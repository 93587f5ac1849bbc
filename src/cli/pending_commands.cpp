#include <string>

#include "cli/commands.h"
#include "util/error.h"

namespace dlctl {
namespace {

void Pending(CLI::App* command, const std::string& name) {
  command->callback([name] { throw Error(name + ": not implemented yet"); });
}

}  // namespace

void AddPendingCommands(CLI::App& app, CliContext&) {
  auto* transform = app.add_subcommand("transform", "Run the SQL models of the transform project (dbt-compatible)");
  transform->allow_extras();
  Pending(transform, "transform");
  auto* test = app.add_subcommand("test", "Run the data tests of the transform project");
  test->allow_extras();
  Pending(test, "test");

  auto* exporter = app.add_subcommand("export", "Manage dataset exporting");
  exporter->require_subcommand(1);
  for (auto [name, help] : {std::pair{"dataset", "Export every table of a mart schema into a new version"},
                            std::pair{"ls", "List exported datasets"}, std::pair{"prune", "Remove old exports"}}) {
    auto* sub = exporter->add_subcommand(name, help);
    sub->allow_extras();
    Pending(sub, std::string("export ") + name);
  }

  auto* backup = app.add_subcommand("backup", "Manage engine and catalog backups");
  backup->require_subcommand(1);
  for (auto [name, help] :
       {std::pair{"create", "Back up the engine database and every catalog"}, std::pair{"restore", "Restore a backup"},
        std::pair{"ls", "List backups"}, std::pair{"prune", "Remove old backups"}}) {
    auto* sub = backup->add_subcommand(name, help);
    sub->allow_extras();
    Pending(sub, std::string("backup ") + name);
  }

  auto* graph = app.add_subcommand("graph", "Load, query and compute on graphs in Kuzu");
  graph->require_subcommand(1);
  auto* load = graph->add_subcommand("load", "Load a graph mart schema into its Kuzu database");
  load->allow_extras();
  Pending(load, "graph load");
  auto* query = graph->add_subcommand("query", "Run Cypher on a graph");
  query->allow_extras();
  Pending(query, "graph query");
  auto* compute = graph->add_subcommand("compute", "Graph computations");
  compute->require_subcommand(1);
  auto* embeddings = compute->add_subcommand("embeddings", "FastRP node embeddings");
  embeddings->allow_extras();
  Pending(embeddings, "graph compute embeddings");
}

}  // namespace dlctl
