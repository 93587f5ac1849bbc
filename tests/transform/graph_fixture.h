#pragma once
// A small DAG for the graph tests:
//
//   source raw.orders ─► stg_orders ─┐                       ┌► not_null_stg_orders_id
//   seed codes ───────► stg_codes ───┴► int_joined ─► mart_sales ─► mart_report ─► report_check
//                                          └────────────────┴► relationships_mart_sales_code (tests both)
#include <string>
#include <vector>

#include "transform/graph/dag.h"

namespace dlctl::testing {

inline transform::GraphNode MakeNode(transform::NodeKind kind, const std::string& name,
                                     const std::vector<std::string>& folders, const std::string& path,
                                     const std::vector<std::string>& tags = {}, nlohmann::json config = {}) {
  transform::GraphNode node;
  node.kind = kind;
  node.name = name;
  node.package = "shop";
  node.unique_id = std::string(transform::NodeKindName(kind)) + ".shop." + name;
  node.fqn = {"shop"};
  node.fqn.insert(node.fqn.end(), folders.begin(), folders.end());
  node.fqn.push_back(name);
  node.path = path;
  node.tags = tags;
  node.config = config.is_object() ? config : nlohmann::json::object();
  return node;
}

inline transform::Dag ShopDag() {
  using transform::NodeKind;
  transform::Dag dag;
  transform::GraphNode source = MakeNode(NodeKind::kSource, "orders", {}, "models/stage/sources.yml", {"raw"});
  source.unique_id = "source.shop.raw.orders";
  source.source_name = "raw";
  source.fqn = {"shop", "stage", "raw", "orders"};
  dag.AddNode(source);
  dag.AddNode(MakeNode(NodeKind::kSeed, "codes", {}, "seeds/codes.csv"));
  dag.AddNode(MakeNode(NodeKind::kModel, "stg_orders", {"stage"}, "models/stage/stg_orders.sql", {"stage", "daily"},
                       {{"materialized", "view"}}));
  dag.AddNode(MakeNode(NodeKind::kModel, "stg_codes", {"stage"}, "models/stage/stg_codes.sql", {"stage"},
                       {{"materialized", "view"}}));
  dag.AddNode(MakeNode(NodeKind::kModel, "int_joined", {"intermediate"}, "models/intermediate/int_joined.sql", {},
                       {{"materialized", "ephemeral"}}));
  transform::GraphNode sales = MakeNode(NodeKind::kModel, "mart_sales", {"marts", "finance"},
                                        "models/marts/finance/mart_sales.sql", {"finance"},
                                        {{"materialized", "table"}, {"meta", {{"owner", "ann"}}}, {"full_refresh", false}});
  sales.patch_path = "models/marts/finance/schema.yml";
  dag.AddNode(sales);
  dag.AddNode(MakeNode(NodeKind::kModel, "mart_report", {"marts"}, "models/marts/mart_report.sql", {"daily"},
                       {{"materialized", "table"}}));
  transform::GraphNode not_null = MakeNode(NodeKind::kTest, "not_null_stg_orders_id", {"stage"},
                                           "models/stage/schema.yml", {}, {{"materialized", "test"}});
  not_null.test_type = "generic";
  not_null.test_name = "not_null";
  dag.AddNode(not_null);
  transform::GraphNode rel = MakeNode(NodeKind::kTest, "relationships_mart_sales_code", {"marts", "finance"},
                                      "models/marts/finance/schema.yml", {}, {{"materialized", "test"}});
  rel.test_type = "generic";
  rel.test_name = "relationships";
  dag.AddNode(rel);
  transform::GraphNode check = MakeNode(NodeKind::kTest, "report_check", {}, "tests/report_check.sql", {},
                                        {{"materialized", "test"}});
  check.test_type = "singular";
  dag.AddNode(check);

  dag.AddEdge("source.shop.raw.orders", "model.shop.stg_orders");
  dag.AddEdge("seed.shop.codes", "model.shop.stg_codes");
  dag.AddEdge("model.shop.stg_orders", "model.shop.int_joined");
  dag.AddEdge("model.shop.stg_codes", "model.shop.int_joined");
  dag.AddEdge("model.shop.int_joined", "model.shop.mart_sales");
  dag.AddEdge("model.shop.mart_sales", "model.shop.mart_report");
  dag.AddEdge("model.shop.stg_orders", "test.shop.not_null_stg_orders_id");
  dag.AddEdge("model.shop.mart_sales", "test.shop.relationships_mart_sales_code");
  dag.AddEdge("model.shop.int_joined", "test.shop.relationships_mart_sales_code");
  dag.AddEdge("model.shop.mart_report", "test.shop.report_check");
  return dag;
}

}  // namespace dlctl::testing
