#include "transform/graph/dag.h"

#include <algorithm>
#include <functional>
#include <queue>

#include "util/error.h"

namespace dlctl::transform {

const char* NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kModel: return "model";
    case NodeKind::kSeed: return "seed";
    case NodeKind::kSource: return "source";
    case NodeKind::kTest: return "test";
    case NodeKind::kUnitTest: return "unit_test";
    case NodeKind::kSnapshot: return "snapshot";
  }
  return "node";
}

void Dag::AddNode(GraphNode node) {
  if (Contains(node.unique_id)) throw Error("the graph already has a node " + node.unique_id);
  index_[node.unique_id] = nodes_.size();
  nodes_.push_back(std::move(node));
  parents_.emplace_back();
  children_.emplace_back();
}

size_t Dag::IndexOf(const std::string& id) const {
  auto it = index_.find(id);
  if (it == index_.end()) throw Error("the graph has no node " + id);
  return it->second;
}

void Dag::AddEdge(const std::string& upstream, const std::string& downstream) {
  size_t from = IndexOf(upstream), to = IndexOf(downstream);
  auto& parents = parents_[to];
  if (std::find(parents.begin(), parents.end(), from) != parents.end()) return;
  parents.push_back(from);
  children_[from].push_back(to);
}

const GraphNode& Dag::Node(const std::string& id) const { return nodes_[IndexOf(id)]; }

std::vector<std::string> Dag::Parents(const std::string& id) const {
  std::vector<std::string> out;
  for (size_t i : parents_[IndexOf(id)]) out.push_back(nodes_[i].unique_id);
  return out;
}

std::vector<std::string> Dag::Children(const std::string& id) const {
  std::vector<std::string> out;
  for (size_t i : children_[IndexOf(id)]) out.push_back(nodes_[i].unique_id);
  return out;
}

std::string Dag::Label(const std::string& id) const {
  const GraphNode& node = Node(id);
  if (node.kind == NodeKind::kSource) return "source " + node.source_name + "." + node.name;
  return node.name;
}

std::vector<std::string> Dag::FindCycle() const {
  enum Color { kWhite, kGrey, kBlack };
  std::vector<Color> color(nodes_.size(), kWhite);
  std::vector<size_t> path;
  std::vector<std::string> cycle;
  // Iterative depth-first search: (node, next child to visit).
  for (size_t start = 0; start < nodes_.size() && cycle.empty(); ++start) {
    if (color[start] != kWhite) continue;
    std::vector<std::pair<size_t, size_t>> stack{{start, 0}};
    color[start] = kGrey;
    path.assign(1, start);
    while (!stack.empty() && cycle.empty()) {
      auto& [node, next] = stack.back();
      if (next == children_[node].size()) {
        color[node] = kBlack;
        stack.pop_back();
        path.pop_back();
        continue;
      }
      size_t child = children_[node][next++];
      if (color[child] == kGrey) {
        auto from = std::find(path.begin(), path.end(), child);
        for (auto it = from; it != path.end(); ++it) cycle.push_back(Label(nodes_[*it].unique_id));
        cycle.push_back(Label(nodes_[child].unique_id));
      } else if (color[child] == kWhite) {
        color[child] = kGrey;
        stack.push_back({child, 0});
        path.push_back(child);
      }
    }
  }
  return cycle;
}

std::vector<std::string> Dag::TopologicalOrder() const {
  std::vector<size_t> waiting(nodes_.size());
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    waiting[i] = parents_[i].size();
    if (waiting[i] == 0) ready.push(i);
  }
  std::vector<std::string> order;
  while (!ready.empty()) {
    size_t node = ready.top();
    ready.pop();
    order.push_back(nodes_[node].unique_id);
    for (size_t child : children_[node])
      if (--waiting[child] == 0) ready.push(child);
  }
  if (order.size() != nodes_.size()) {
    std::vector<std::string> cycle = FindCycle();
    std::string text;
    for (size_t i = 0; i < cycle.size(); ++i) text += (i ? " -> " : "") + cycle[i];
    throw Error("dependency cycle: " + text);
  }
  return order;
}

std::set<std::string> Dag::Walk(const std::string& id, std::optional<int> depth, bool upstream) const {
  std::set<std::string> out;
  std::vector<int> seen_at(nodes_.size(), -1);
  std::vector<size_t> frontier{IndexOf(id)};
  for (int level = 1; !frontier.empty() && (!depth || level <= *depth); ++level) {
    std::vector<size_t> next;
    for (size_t node : frontier)
      for (size_t other : upstream ? parents_[node] : children_[node])
        if (seen_at[other] < 0) {
          seen_at[other] = level;
          out.insert(nodes_[other].unique_id);
          next.push_back(other);
        }
    frontier = std::move(next);
  }
  out.erase(id);  // a cycle through `id` would bring it back
  return out;
}

std::set<std::string> Dag::Ancestors(const std::string& id, std::optional<int> depth) const {
  return Walk(id, depth, true);
}

std::set<std::string> Dag::Descendants(const std::string& id, std::optional<int> depth) const {
  return Walk(id, depth, false);
}

Dag BuildDag(const Project& project) {
  Dag dag;
  auto base = [&](std::string id, NodeKind kind, std::string name, std::vector<std::string> fqn, std::string path,
                  const NodeConfig& config) {
    GraphNode node;
    node.unique_id = std::move(id);
    node.kind = kind;
    node.name = std::move(name);
    node.package = fqn.empty() ? project.name : fqn.front();
    node.fqn = std::move(fqn);
    node.path = std::move(path);
    node.tags = config.tags;
    node.config = config.values;
    return node;
  };
  for (const auto& m : project.models) {
    if (!m.config.enabled) continue;
    GraphNode node = base(m.unique_id, NodeKind::kModel, m.name, m.fqn, m.file.path, m.config);
    node.patch_path = m.patch_path;
    dag.AddNode(std::move(node));
  }
  for (const auto& s : project.seeds) {
    if (!s.config.enabled) continue;
    GraphNode node = base(s.unique_id, NodeKind::kSeed, s.name, s.fqn, s.path, s.config);
    node.patch_path = s.patch_path;
    dag.AddNode(std::move(node));
  }
  for (const auto& s : project.snapshots) {
    if (!s.config.enabled) continue;
    GraphNode node = base(s.unique_id, NodeKind::kSnapshot, s.name, s.fqn, s.file.path, s.config);
    node.patch_path = s.patch_path;
    dag.AddNode(std::move(node));
  }
  for (const auto& s : project.sources) {
    if (!s.config.enabled) continue;
    GraphNode node = base(s.unique_id, NodeKind::kSource, s.name, s.fqn, s.path, s.config);
    node.source_name = s.source_name;
    dag.AddNode(std::move(node));
  }
  for (const auto& t : project.tests) {
    if (!t.config.enabled) continue;
    GraphNode node = base(t.unique_id, NodeKind::kTest, t.name, t.fqn, t.path, t.config);
    node.test_type = t.kind == DataTest::Kind::kGeneric ? "generic" : "singular";
    node.test_name = t.test_name;
    dag.AddNode(std::move(node));
    if (!t.attached_to.empty() && dag.Contains(t.attached_to)) dag.AddEdge(t.attached_to, t.unique_id);
  }
  for (const auto& u : project.unit_tests) {
    if (!u.config.enabled) continue;
    GraphNode node = base(u.unique_id, NodeKind::kUnitTest, u.name, u.fqn, u.path, u.config);
    node.test_type = "unit";
    node.attached_to = "model." + u.package + "." + u.model;
    dag.AddNode(std::move(node));
  }
  return dag;
}

}  // namespace dlctl::transform
