#pragma once
// dbt's node selection syntax over a Dag.
//
//   --select "a b" --select c     union of a, b and c (every value, and every space-separated part)
//   tag:x,config.materialized:view   comma: intersection
//   --exclude ...                 removed from the union
//
// One selector: [@][n]+ METHOD:VALUE +[n] where the parts are optional:
//   +x all ancestors, 2+x ancestors within two edges, x+ / x+2 descendants, @x descendants and
//   all their ancestors. Methods: fqn (the default: a model name, a dotted folder path such as
//   marts.graphs, with * wildcards), path (a folder or file, relative to the project; the
//   default when the value holds '/'), file (file name or stem; the default for .sql/.csv),
//   tag, source (src, src.table, package.src.table), config.KEY, resource_type, test_type,
//   test_name, package.
// Tests are selected indirectly: eagerly (dbt's default) a test comes with any node it tests.
#include <set>
#include <string>
#include <vector>

#include "transform/graph/dag.h"

namespace dlctl::transform {

enum class IndirectSelection {
  kEager,      // tests of any selected node
  kCautious,   // tests whose tested nodes are all selected
  kBuildable,  // tests whose tested nodes are selected or upstream of selected nodes
  kEmpty,      // no tests but those selected directly
};

struct SelectionSpec {
  std::vector<std::string> select;   // each --select value; empty: every node
  std::vector<std::string> exclude;  // each --exclude value
  IndirectSelection indirect = IndirectSelection::kEager;
};

// The unique ids selected. A malformed selector or an unknown method is a UsageError naming it;
// a selector that matches nothing just adds nothing.
std::set<std::string> SelectNodes(const Dag& dag, const SelectionSpec& spec);

// --indirect-selection's value ("eager", "cautious", "buildable", "empty"); UsageError otherwise.
IndirectSelection ParseIndirectSelection(const std::string& text);

}  // namespace dlctl::transform
