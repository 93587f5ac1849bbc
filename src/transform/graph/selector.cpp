#include "transform/graph/selector.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <regex>
#include <sstream>

#include "util/error.h"

namespace dlctl::transform {
namespace {

bool Glob(const std::string& pattern, const std::string& text, int flags = 0) {
  return fnmatch(pattern.c_str(), text.c_str(), flags) == 0;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.push_back("");
  return parts;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::tolower);
  return s;
}

// dbt's is_selected_node: the name itself, or the selector's dotted parts matching the fqn's
// first parts (a '*' part matches the rest).
bool FqnMatches(const std::vector<std::string>& fqn, const std::string& selector) {
  if (Glob(selector, fqn.back())) return true;
  std::vector<std::string> flat;
  for (const auto& segment : fqn)
    for (const auto& part : Split(segment, '.')) flat.push_back(part);
  std::vector<std::string> parts = Split(selector, '.');
  if (parts.size() > flat.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "*") return true;
    if (!Glob(parts[i], flat[i])) return false;
  }
  return true;
}

std::string NormalPath(const std::string& text) {
  std::string path = std::filesystem::path(text).lexically_normal().generic_string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// The file itself or a folder above it; globs match the path or one of its folders.
bool PathMatches(const std::string& file, const std::string& selector) {
  if (file.empty()) return false;
  bool glob = selector.find_first_of("*?[") != std::string::npos;
  for (std::string candidate = file;;) {
    if (glob ? Glob(selector, candidate, FNM_PATHNAME) : candidate == selector) return true;
    auto slash = candidate.rfind('/');
    if (slash == std::string::npos) return false;
    candidate.resize(slash);
  }
}

bool ConfigValueMatches(const nlohmann::json& value, const std::string& selector) {
  if (value.is_array()) {
    for (const auto& item : value)
      if (ConfigValueMatches(item, selector)) return true;
    return false;
  }
  if (value.is_string()) return value.get<std::string>() == selector;
  if (value.is_boolean()) return Lower(selector) == (value.get<bool>() ? "true" : "false");
  if (value.is_number()) return value.dump() == selector;
  return false;
}

bool IsParsedNode(const GraphNode& node) { return node.kind != NodeKind::kSource; }

using Matcher = std::function<bool(const GraphNode&)>;

Matcher MethodMatcher(const std::string& method, const std::string& value, const std::string& selector) {
  if (method == "fqn") return [value](const GraphNode& n) {
      if (!IsParsedNode(n)) return false;
      std::vector<std::string> unscoped(n.fqn.begin() + 1, n.fqn.end());
      return FqnMatches(n.fqn, value) || (!unscoped.empty() && FqnMatches(unscoped, value));
    };
  if (method == "path") {
    std::string path = NormalPath(value);
    return [path](const GraphNode& n) { return PathMatches(n.path, path) || PathMatches(n.patch_path, path); };
  }
  if (method == "file") return [value](const GraphNode& n) {
      std::filesystem::path file(n.path);
      return IsParsedNode(n) && (Glob(value, file.filename().string()) || Glob(value, file.stem().string()));
    };
  if (method == "tag") return [value](const GraphNode& n) {
      return std::any_of(n.tags.begin(), n.tags.end(), [&](const std::string& tag) { return Glob(value, tag); });
    };
  if (method == "source") {
    // Table names may hold dots ("HR/HR_edges.csv"): "src.table.csv" is tried as source + table
    // first, then as package + source + table.
    return [value](const GraphNode& n) {
      if (n.kind != NodeKind::kSource) return false;
      auto first = value.find('.');
      if (first == std::string::npos) return Glob(value, n.source_name);
      if (Glob(value.substr(0, first), n.source_name) && Glob(value.substr(first + 1), n.name)) return true;
      auto second = value.find('.', first + 1);
      return second != std::string::npos && Glob(value.substr(0, first), n.package) &&
             Glob(value.substr(first + 1, second - first - 1), n.source_name) && Glob(value.substr(second + 1), n.name);
    };
  }
  if (method.rfind("config.", 0) == 0) {
    std::vector<std::string> keys = Split(method.substr(7), '.');
    return [keys, value](const GraphNode& n) {
      if (!IsParsedNode(n)) return false;
      const nlohmann::json* at = &n.config;
      for (const auto& key : keys) {
        if (!at->is_object() || !at->contains(key)) return false;
        at = &(*at)[key];
      }
      return ConfigValueMatches(*at, value);
    };
  }
  if (method == "resource_type") {
    if (value != "model" && value != "seed" && value != "source" && value != "test" && value != "unit_test" &&
        value != "snapshot")
      throw UsageError("selector '" + selector + "': resource_type must be model, seed, snapshot, source, test or unit_test");
    return [value](const GraphNode& n) { return value == NodeKindName(n.kind); };
  }
  if (method == "test_type") {
    std::string type = value == "data" ? "singular" : value == "schema" ? "generic" : value;
    if (type != "generic" && type != "singular" && type != "unit")
      throw UsageError("selector '" + selector + "': test_type must be generic, singular or unit");
    return [type](const GraphNode& n) {
      return (n.kind == NodeKind::kTest || n.kind == NodeKind::kUnitTest) && n.test_type == type;
    };
  }
  if (method == "test_name") return [value](const GraphNode& n) {
      return n.kind == NodeKind::kTest && !n.test_name.empty() && Glob(value, n.test_name);
    };
  if (method == "package") return [value](const GraphNode& n) { return Glob(value, n.package); };
  throw UsageError("selector '" + selector + "': unknown or unsupported selector method '" + method + "'");
}

std::optional<int> Depth(const std::string& digits) {
  if (digits.empty()) return std::nullopt;
  return std::stoi(digits);
}

using Ids = std::set<std::string>;

Ids Union(const Ids& a, const Ids& b) {
  Ids out = a;
  out.insert(b.begin(), b.end());
  return out;
}

Ids Intersection(const Ids& a, const Ids& b) {
  Ids out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

Ids Difference(const Ids& a, const Ids& b) {
  Ids out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

// Like dbt's selector: `direct` is what is selected; `indirect` holds tests that come along only
// once every node they test is selected (cautious and buildable modes), checked again after
// criteria are combined, so "a b" selects a test of both a and b.
struct Selection {
  Ids direct, indirect;
};

class Selector {
 public:
  Selector(const Dag& dag, IndirectSelection indirect) : dag_(dag), mode_(indirect) {}

  // One space-free selector, commas included.
  Selection Evaluate(const std::string& text) const {
    std::vector<Selection> parts;
    for (const auto& part : Split(text, ',')) {
      if (part.empty()) throw UsageError("selector '" + text + "' has an empty part around a comma");
      parts.push_back(Expand(Atom(part)));
    }
    return Combine(parts, Intersection);
  }

  // Combines selections with `op` (union, intersection or difference) as dbt does.
  Selection Combine(const std::vector<Selection>& parts, Ids (*op)(const Ids&, const Ids&)) const {
    Selection out = parts.front();
    out.indirect = Union(out.direct, out.indirect);
    for (size_t i = 1; i < parts.size(); ++i) {
      out.direct = op(out.direct, parts[i].direct);
      out.indirect = op(out.indirect, Union(parts[i].direct, parts[i].indirect));
    }
    out.direct = Incorporate(out.direct, out.indirect);
    return out;
  }

 private:
  Ids Atom(const std::string& text) const {
    static const std::regex kPattern(R"(^(@)?((\d*)\+)?(([\w.\-]+):)?(.*?)(\+(\d*))?$)");
    std::smatch m;
    if (!std::regex_match(text, m, kPattern)) throw UsageError("selector '" + text + "' is not valid");
    bool at = m[1].matched, parents = m[2].matched, children = m[7].matched;
    std::string method = m[5].matched ? m[5].str() : "", value = m[6].str();
    if (value.empty()) throw UsageError("selector '" + text + "' names nothing");
    if (at && parents) throw UsageError("selector '" + text + "': '@' and a leading '+' cannot be combined");
    bool path = value.find('/') != std::string::npos || value.find('\\') != std::string::npos;
    // Graph operators left inside the value ("3++@tag:" leaves "+@tag:") would match nothing
    // and run nothing without a word: no name holds them.
    if (value.front() == '+' || value.front() == '@' || value.back() == '+' ||
        (method.empty() && !path && value.find_first_of(":@") != std::string::npos))
      throw UsageError("selector '" + text + "' is not valid: '" + value +
                       "' is neither a name nor METHOD:VALUE (the form is [@][N+][METHOD:]VALUE[+N])");
    if (method.empty()) {
      if (path) method = "path";
      else if (value.size() > 4 && (Lower(value).ends_with(".sql") || Lower(value).ends_with(".csv"))) method = "file";
      else method = "fqn";
    }
    Matcher matches = MethodMatcher(method, value, text);
    Ids direct;
    for (const auto& node : dag_.nodes())
      if (matches(node)) direct.insert(node.unique_id);

    Ids out = direct;
    for (const auto& id : direct) {
      if (parents) for (const auto& a : dag_.Ancestors(id, Depth(m[3].str()))) out.insert(a);
      if (children || at) for (const auto& d : dag_.Descendants(id, at ? std::nullopt : Depth(m[8].str()))) out.insert(d);
    }
    if (at) {
      Ids with_ancestors = out;
      for (const auto& id : out)
        for (const auto& a : dag_.Ancestors(id)) with_ancestors.insert(a);
      out = std::move(with_ancestors);
    }
    return out;
  }

  bool AllTestedIn(const std::string& test, const Ids& pool) const {
    for (const auto& parent : dag_.Parents(test))
      if (!pool.count(parent)) return false;
    return true;
  }

  Ids Buildable(const Ids& selected) const {
    Ids out = selected;
    for (const auto& id : selected)
      for (const auto& a : dag_.Ancestors(id)) out.insert(a);
    return out;
  }

  // dbt's expand_selection: the tests of selected nodes, taken now or kept as candidates.
  Selection Expand(const Ids& selected) const {
    Selection out{selected, {}};
    if (mode_ == IndirectSelection::kEmpty) return out;
    for (const GraphNode& node : dag_.nodes())  // unit tests come with the model they test
      if (node.kind == NodeKind::kUnitTest && selected.count(node.attached_to)) out.direct.insert(node.unique_id);
    Ids buildable = mode_ == IndirectSelection::kBuildable ? Buildable(selected) : Ids{};
    for (const auto& id : selected) {
      for (const auto& test : dag_.Children(id)) {
        if (dag_.Node(test).kind != NodeKind::kTest) continue;
        bool take = mode_ == IndirectSelection::kEager || AllTestedIn(test, selected) ||
                    (mode_ == IndirectSelection::kBuildable && AllTestedIn(test, buildable));
        (take ? out.direct : out.indirect).insert(test);
      }
    }
    return out;
  }

  // dbt's incorporate_indirect_nodes: candidates whose tested nodes are now all selected.
  Ids Incorporate(const Ids& direct, const Ids& candidates) const {
    if (mode_ != IndirectSelection::kCautious && mode_ != IndirectSelection::kBuildable) return direct;
    Ids out = direct;
    Ids pool = mode_ == IndirectSelection::kBuildable ? Buildable(direct) : direct;
    for (const auto& id : candidates)
      if (!direct.count(id) && dag_.Node(id).kind == NodeKind::kTest && AllTestedIn(id, pool)) out.insert(id);
    return out;
  }

  const Dag& dag_;
  IndirectSelection mode_;
};

// Every space-separated selector of every value.
std::vector<std::string> Tokens(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    std::istringstream in(value);
    std::string token;
    while (in >> token) out.push_back(token);
  }
  return out;
}

}  // namespace

std::set<std::string> SelectNodes(const Dag& dag, const SelectionSpec& spec) {
  Selector selector(dag, spec.indirect);
  std::vector<std::string> includes = Tokens(spec.select);
  if (!spec.select.empty() && includes.empty()) throw UsageError("--select needs at least one selector");
  std::vector<Selection> selected;
  if (spec.select.empty()) {
    Selection all;
    for (const auto& node : dag.nodes()) all.direct.insert(node.unique_id);
    selected.push_back(all);
  }
  for (const auto& token : includes) selected.push_back(selector.Evaluate(token));
  Selection included = selector.Combine(selected, Union);
  std::vector<std::string> exclude_tokens = Tokens(spec.exclude);
  if (exclude_tokens.empty()) return included.direct;
  std::vector<Selection> excluded;
  for (const auto& token : exclude_tokens) excluded.push_back(selector.Evaluate(token));
  return selector.Combine({included, selector.Combine(excluded, Union)}, Difference).direct;
}

IndirectSelection ParseIndirectSelection(const std::string& text) {
  if (text == "eager") return IndirectSelection::kEager;
  if (text == "cautious") return IndirectSelection::kCautious;
  if (text == "buildable") return IndirectSelection::kBuildable;
  if (text == "empty") return IndirectSelection::kEmpty;
  throw UsageError("--indirect-selection must be eager, cautious, buildable or empty (got '" + text + "')");
}

}  // namespace dlctl::transform
