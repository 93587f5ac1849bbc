#include "transform/graph/dag.h"

#include <gtest/gtest.h>

#include "support/error_of.h"
#include "transform/graph_fixture.h"
#include "transform/project_files.h"

namespace dlctl::transform {
namespace {

using testing::ErrorOf;
using testing::MakeNode;
using Strings = std::vector<std::string>;
using Ids = std::set<std::string>;

Dag Models(const Strings& names) {
  Dag dag;
  for (const auto& name : names) dag.AddNode(MakeNode(NodeKind::kModel, name, {}, "models/" + name + ".sql"));
  return dag;
}

std::string M(const std::string& name) { return "model.shop." + name; }

TEST(Dag, TopologicalOrderPutsParentsFirstAndOtherwiseKeepsTheOrderAdded) {
  Dag dag = Models({"c", "b", "a", "d"});
  dag.AddEdge(M("a"), M("c"));
  dag.AddEdge(M("b"), M("c"));
  EXPECT_EQ(dag.TopologicalOrder(), (Strings{M("b"), M("a"), M("c"), M("d")}));
}

TEST(Dag, TwoNodeCycleIsNamed) {
  Dag dag = Models({"a", "b"});
  dag.AddEdge(M("a"), M("b"));
  dag.AddEdge(M("b"), M("a"));
  EXPECT_EQ(ErrorOf([&] { dag.TopologicalOrder(); }), "dependency cycle: a -> b -> a");
}

TEST(Dag, LongerCycleIsNamedWithoutItsEntryPath) {
  Dag dag = Models({"start", "x", "y", "z"});
  dag.AddEdge(M("start"), M("x"));
  dag.AddEdge(M("x"), M("y"));
  dag.AddEdge(M("y"), M("z"));
  dag.AddEdge(M("z"), M("x"));
  EXPECT_EQ(dag.FindCycle(), (Strings{"x", "y", "z", "x"}));
  EXPECT_EQ(ErrorOf([&] { dag.TopologicalOrder(); }), "dependency cycle: x -> y -> z -> x");
}

TEST(Dag, SelfReferenceIsACycle) {
  Dag dag = Models({"a"});
  dag.AddEdge(M("a"), M("a"));
  EXPECT_EQ(ErrorOf([&] { dag.TopologicalOrder(); }), "dependency cycle: a -> a");
}

TEST(Dag, NoCycleInTheFixture) {
  Dag dag = testing::ShopDag();
  EXPECT_TRUE(dag.FindCycle().empty());
  Strings order = dag.TopologicalOrder();
  ASSERT_EQ(order.size(), dag.nodes().size());
  auto pos = [&](const std::string& id) { return std::find(order.begin(), order.end(), id) - order.begin(); };
  for (const auto& node : dag.nodes())
    for (const auto& child : dag.Children(node.unique_id)) EXPECT_LT(pos(node.unique_id), pos(child)) << child;
}

TEST(Dag, EdgesNeedBothEndsAndCountOnce) {
  Dag dag = Models({"a", "b"});
  EXPECT_EQ(ErrorOf([&] { dag.AddEdge(M("a"), M("ghost")); }), "the graph has no node model.shop.ghost");
  EXPECT_EQ(ErrorOf([&] { dag.AddEdge("source.shop.x.y", M("a")); }), "the graph has no node source.shop.x.y");
  dag.AddEdge(M("a"), M("b"));
  dag.AddEdge(M("a"), M("b"));
  EXPECT_EQ(dag.Parents(M("b")), Strings{M("a")});
  EXPECT_EQ(dag.Children(M("a")), Strings{M("b")});
}

TEST(Dag, DuplicateNodeIsAnError) {
  Dag dag = Models({"a"});
  EXPECT_EQ(ErrorOf([&] { dag.AddNode(MakeNode(NodeKind::kModel, "a", {}, "models/a.sql")); }),
            "the graph already has a node model.shop.a");
}

TEST(Dag, AncestorsAndDescendantsWithDepth) {
  Dag dag = testing::ShopDag();
  EXPECT_EQ(dag.Ancestors(M("mart_sales")),
            (Ids{M("int_joined"), M("stg_orders"), M("stg_codes"), "source.shop.raw.orders", "seed.shop.codes"}));
  EXPECT_EQ(dag.Ancestors(M("mart_sales"), 1), (Ids{M("int_joined")}));
  EXPECT_EQ(dag.Ancestors(M("mart_sales"), 2), (Ids{M("int_joined"), M("stg_orders"), M("stg_codes")}));
  EXPECT_EQ(dag.Descendants(M("int_joined"), 1), (Ids{M("mart_sales"), "test.shop.relationships_mart_sales_code"}));
  EXPECT_EQ(dag.Descendants(M("mart_report")), (Ids{"test.shop.report_check"}));
  EXPECT_TRUE(dag.Ancestors("seed.shop.codes").empty());
}

TEST(Dag, LabelsNameSourcesBySourceAndTable) {
  Dag dag = testing::ShopDag();
  EXPECT_EQ(dag.Label("source.shop.raw.orders"), "source raw.orders");
  EXPECT_EQ(dag.Label(M("int_joined")), "int_joined");
  EXPECT_STREQ(NodeKindName(NodeKind::kSeed), "seed");
}

TEST(Dag, BuiltFromAProjectWithTestEdgesAndWithoutDisabledNodes) {
  testing::TempDir dir;
  Project p = testing::LoadWith(
      dir, {{"dbt_project.yml", "name: p\nmodels:\n  p:\n    old:\n      +enabled: false\n"},
            {"models/a.sql", "select 1"},
            {"models/old/b.sql", "select 1"},
            {"models/schema.yml", "models:\n  - name: a\n    columns:\n      - name: id\n        tests: [unique]\n"
                                  "  - name: b\n    columns:\n      - name: id\n        tests: [unique]\n"
                                  "sources:\n  - name: s\n    tables:\n      - name: t\n"},
            {"seeds/codes.csv", "a\n1\n"},
            {"tests/check.sql", "select 1"}});
  Dag dag = BuildDag(p);
  Strings ids;
  for (const auto& node : dag.nodes()) ids.push_back(node.unique_id);
  EXPECT_EQ(ids, (Strings{"model.p.a", "seed.p.codes", "source.p.s.t", "test.p.unique_a_id", "test.p.check"}));
  EXPECT_EQ(dag.Parents("test.p.unique_a_id"), Strings{"model.p.a"});
  EXPECT_TRUE(dag.Parents("test.p.check").empty());  // the runner adds the edges of its ref()s
  const GraphNode& a = dag.Node("model.p.a");
  EXPECT_EQ(a.patch_path, "models/schema.yml");
  EXPECT_EQ(a.config["materialized"], "view");
  EXPECT_EQ(dag.Node("test.p.unique_a_id").test_type, "generic");
  EXPECT_EQ(dag.Node("test.p.unique_a_id").test_name, "unique");
  EXPECT_EQ(dag.Node("test.p.check").test_type, "singular");
  EXPECT_EQ(dag.Node("source.p.s.t").source_name, "s");
}

}  // namespace
}  // namespace dlctl::transform
