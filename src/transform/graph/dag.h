#pragma once
// The graph of a project's nodes (models, seeds, sources, data tests). An edge goes from a node
// to one that reads it. The project gives the nodes and each test's edge from what it tests;
// the runner adds the edges ref() and source() reveal when it renders the SQL.
#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "transform/project/project.h"

namespace dlctl::transform {

enum class NodeKind { kModel, kSeed, kSource, kTest, kUnitTest, kSnapshot };
const char* NodeKindName(NodeKind kind);  // "model", "seed", "source", "test", "unit_test"

// What selectors look at.
struct GraphNode {
  std::string unique_id;          // "model.transform.hr_edges"
  NodeKind kind = NodeKind::kModel;
  std::string name;               // model, seed or test name; a source's table name
  std::string source_name;        // sources only
  std::string package;            // the project's name
  std::vector<std::string> fqn;
  std::string path;               // project-relative file: the .sql/.csv, or the yml of a source or generic test
  std::string patch_path;         // the yml that describes a model or seed, if any
  std::vector<std::string> tags;
  nlohmann::json config = nlohmann::json::object();  // the resolved config values
  std::string test_type;          // tests: "generic" or "singular"
  std::string test_name;          // generic tests: "not_null", "expression_is_true"
  std::string attached_to;        // unit tests: the model they test
};

class Dag {
 public:
  // Throws Error for a second node with the same id.
  void AddNode(GraphNode node);
  // `downstream` reads `upstream`. Both must exist (else Error naming the missing one); an edge
  // added twice counts once. Cycles are found by TopologicalOrder, not here.
  void AddEdge(const std::string& upstream, const std::string& downstream);

  bool Contains(const std::string& id) const { return index_.count(id) != 0; }
  const GraphNode& Node(const std::string& id) const;
  const std::vector<GraphNode>& nodes() const { return nodes_; }  // in the order added
  std::vector<std::string> Parents(const std::string& id) const;
  std::vector<std::string> Children(const std::string& id) const;

  // Every node after all of its parents; among ready nodes, the one added first goes first.
  // A cycle is an Error naming it: "dependency cycle: a -> b -> a".
  std::vector<std::string> TopologicalOrder() const;
  // A cycle as labels (first == last), or empty when there is none.
  std::vector<std::string> FindCycle() const;

  // Nodes upstream/downstream of `id` (not `id` itself) within `depth` edges (nullopt: any).
  std::set<std::string> Ancestors(const std::string& id, std::optional<int> depth = std::nullopt) const;
  std::set<std::string> Descendants(const std::string& id, std::optional<int> depth = std::nullopt) const;

  // How a node is named in messages: "hr_edges", "source deezer.HR/HR_edges.csv".
  std::string Label(const std::string& id) const;

 private:
  size_t IndexOf(const std::string& id) const;
  std::set<std::string> Walk(const std::string& id, std::optional<int> depth, bool upstream) const;

  std::vector<GraphNode> nodes_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::vector<size_t>> parents_, children_;
};

// The project's enabled models, seeds, sources and tests, with each test's edge from the node it
// tests (tests of disabled nodes are disabled too, so they are left out with them). The runner's
// order: LoadProject, render each model (ApplyFileConfig with its config(), note its ref() and
// source() calls), BuildDag, AddEdge for each ref/source, then SelectNodes and a Scheduler.
Dag BuildDag(const Project& project);

}  // namespace dlctl::transform
