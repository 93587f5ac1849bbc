#include "transform/graph/selector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/error_of.h"
#include "transform/graph_fixture.h"

namespace dlctl::transform {
namespace {

using ::testing::HasSubstr;
using testing::ErrorOf;
using Names = std::set<std::string>;

class SelectorTest : public ::testing::Test {
 protected:
  // The names of the selected nodes (a source as "raw.orders").
  Names Select(std::vector<std::string> select, std::vector<std::string> exclude = {},
               IndirectSelection indirect = IndirectSelection::kEager) {
    Names names;
    for (const auto& id : SelectNodes(dag_, {select, exclude, indirect})) {
      const GraphNode& node = dag_.Node(id);
      names.insert(node.kind == NodeKind::kSource ? node.source_name + "." + node.name : node.name);
    }
    return names;
  }
  Names All() { return Select({}); }
  Dag dag_ = testing::ShopDag();
};

const Names kEverything = {"raw.orders", "codes", "stg_orders", "stg_codes", "int_joined", "mart_sales",
                           "mart_report", "not_null_stg_orders_id", "relationships_mart_sales_code", "report_check"};

TEST_F(SelectorTest, NoSelectMeansEverything) { EXPECT_EQ(All(), kEverything); }

TEST_F(SelectorTest, ANameBringsItsTests) {
  EXPECT_EQ(Select({"stg_orders"}), (Names{"stg_orders", "not_null_stg_orders_id"}));
}

TEST_F(SelectorTest, AllAncestors) {
  EXPECT_EQ(Select({"+int_joined"}), (Names{"int_joined", "stg_orders", "stg_codes", "raw.orders", "codes",
                                            "not_null_stg_orders_id", "relationships_mart_sales_code"}));
}

TEST_F(SelectorTest, AllDescendants) {
  EXPECT_EQ(Select({"int_joined+"}),
            (Names{"int_joined", "mart_sales", "mart_report", "relationships_mart_sales_code", "report_check"}));
}

TEST_F(SelectorTest, AncestorsWithinDepth) {
  EXPECT_EQ(Select({"1+mart_sales"}), (Names{"mart_sales", "int_joined", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"2+mart_report"}),
            (Names{"mart_report", "mart_sales", "int_joined", "relationships_mart_sales_code", "report_check"}));
}

TEST_F(SelectorTest, DescendantsWithinDepth) {
  EXPECT_EQ(Select({"stg_codes+1"}), (Names{"stg_codes", "int_joined", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"mart_sales+1"}),
            (Names{"mart_sales", "mart_report", "relationships_mart_sales_code", "report_check"}));
}

TEST_F(SelectorTest, AtMeansDescendantsAndTheirAncestors) {
  EXPECT_EQ(Select({"@stg_codes"}), kEverything);
  EXPECT_EQ(Select({"stg_codes+"}).count("stg_orders"), 0u);
  EXPECT_EQ(Select({"@mart_report"}).count("stg_orders"), 1u);
}

TEST_F(SelectorTest, BothDirections) { EXPECT_EQ(Select({"+int_joined+"}), kEverything); }

TEST_F(SelectorTest, Tags) {
  EXPECT_EQ(Select({"tag:stage"}), (Names{"stg_orders", "stg_codes", "not_null_stg_orders_id"}));
  EXPECT_EQ(Select({"tag:dai*"}), (Names{"stg_orders", "mart_report", "not_null_stg_orders_id", "report_check"}));
  EXPECT_EQ(Select({"tag:raw"}), (Names{"raw.orders"}));
  EXPECT_EQ(Select({"tag:nope"}), Names{});
}

TEST_F(SelectorTest, PathsOfFoldersFilesAndPropertiesFiles) {
  Names stage = {"raw.orders", "stg_orders", "stg_codes", "not_null_stg_orders_id"};
  EXPECT_EQ(Select({"path:models/stage"}), stage);
  EXPECT_EQ(Select({"path:models/stage/"}), stage);
  EXPECT_EQ(Select({"path:./models/stage"}), stage);
  EXPECT_EQ(Select({"models/stage"}), stage);  // a value with '/' is a path
  EXPECT_EQ(Select({"path:models/stage/stg_codes.sql"}), (Names{"stg_codes"}));
  EXPECT_EQ(Select({"path:models/marts/finance/schema.yml"}), (Names{"mart_sales", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"path:models/*/stg_*.sql"}), (Names{"stg_orders", "stg_codes", "not_null_stg_orders_id"}));
  EXPECT_EQ(Select({"path:models/sta"}), Names{});  // folders match whole names only
}

TEST_F(SelectorTest, FileNamesAndStems) {
  EXPECT_EQ(Select({"stg_codes.sql"}), (Names{"stg_codes"}));
  EXPECT_EQ(Select({"file:stg_codes"}), (Names{"stg_codes"}));
  EXPECT_EQ(Select({"codes.csv"}), (Names{"codes"}));
}

TEST_F(SelectorTest, Sources) {
  EXPECT_EQ(Select({"source:raw"}), (Names{"raw.orders"}));
  EXPECT_EQ(Select({"source:raw.orders"}), (Names{"raw.orders"}));
  EXPECT_EQ(Select({"source:shop.raw.orders"}), (Names{"raw.orders"}));
  EXPECT_EQ(Select({"source:*"}), (Names{"raw.orders"}));
  EXPECT_EQ(Select({"source:raw.other"}), Names{});
  EXPECT_EQ(Select({"source:raw+"}), (Names{"raw.orders", "stg_orders", "int_joined", "mart_sales", "mart_report",
                                            "not_null_stg_orders_id", "relationships_mart_sales_code", "report_check"}));
}

TEST_F(SelectorTest, SourceTablesWithDotsInTheirNames) {
  GraphNode file = testing::MakeNode(NodeKind::kSource, "HR/HR_edges.csv", {}, "models/sources.yml");
  file.unique_id = "source.shop.deezer.HR/HR_edges.csv";
  file.source_name = "deezer";
  dag_.AddNode(file);
  EXPECT_EQ(Select({"source:deezer.HR/HR_edges.csv"}), (Names{"deezer.HR/HR_edges.csv"}));
  EXPECT_EQ(Select({"source:deezer.HR/*"}), (Names{"deezer.HR/HR_edges.csv"}));
  EXPECT_EQ(Select({"source:shop.deezer.HR/HR_edges.csv"}), (Names{"deezer.HR/HR_edges.csv"}));
}

TEST_F(SelectorTest, ConfigValues) {
  EXPECT_EQ(Select({"config.materialized:table"}),
            (Names{"mart_sales", "mart_report", "relationships_mart_sales_code", "report_check"}));
  EXPECT_EQ(Select({"config.materialized:ephemeral"}), (Names{"int_joined", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"config.meta.owner:ann"}), (Names{"mart_sales", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"config.full_refresh:False"}), (Names{"mart_sales", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"config.materialized:tab"}), Names{});
}

TEST_F(SelectorTest, WildcardsAndFolderPaths) {
  EXPECT_EQ(Select({"stg_*"}), (Names{"stg_orders", "stg_codes", "not_null_stg_orders_id"}));
  EXPECT_EQ(Select({"marts"}),
            (Names{"mart_sales", "mart_report", "relationships_mart_sales_code", "report_check"}));
  EXPECT_EQ(Select({"marts.finance"}), (Names{"mart_sales", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"shop.stage.*"}), (Names{"stg_orders", "stg_codes", "not_null_stg_orders_id"}));
  EXPECT_EQ(Select({"+marts.finance"}).count("codes"), 1u);
  Names all_but_source = kEverything;
  all_but_source.erase("raw.orders");
  EXPECT_EQ(Select({"*"}), all_but_source);
}

TEST_F(SelectorTest, SeveralSelectValuesAreAUnionNotAnIntersection) {
  Names both = {"stg_orders", "stg_codes", "not_null_stg_orders_id"};
  EXPECT_EQ(Select({"stg_orders", "stg_codes"}), both);
  EXPECT_EQ(Select({"stg_orders stg_codes"}), both);
  EXPECT_EQ(Select({"  stg_orders\tstg_codes  "}), both);
  EXPECT_EQ(Select({"tag:finance", "tag:raw"}), (Names{"mart_sales", "relationships_mart_sales_code", "raw.orders"}));
}

TEST_F(SelectorTest, CommaIsAnIntersection) {
  EXPECT_EQ(Select({"tag:stage,tag:daily"}), (Names{"stg_orders", "not_null_stg_orders_id"}));
  EXPECT_EQ(Select({"+mart_report,config.materialized:view"}),
            (Names{"stg_orders", "stg_codes", "not_null_stg_orders_id"}));
  EXPECT_EQ(Select({"tag:stage,tag:finance"}), Names{});
}

TEST_F(SelectorTest, ExcludeRemovesNodesAndTheirTests) {
  EXPECT_EQ(Select({"+mart_sales"}, {"stg_codes"}),
            (Names{"mart_sales", "int_joined", "stg_orders", "raw.orders", "codes", "not_null_stg_orders_id",
                   "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"tag:stage"}, {"stg_orders"}), (Names{"stg_codes"}));
  EXPECT_EQ(Select({}, {"tag:stage marts"}), (Names{"raw.orders", "codes", "int_joined"}));
  EXPECT_EQ(Select({"stg_orders"}, {"resource_type:test"}), (Names{"stg_orders"}));
}

TEST_F(SelectorTest, ResourceAndTestMethods) {
  EXPECT_EQ(Select({"resource_type:seed"}), (Names{"codes"}));
  EXPECT_EQ(Select({"resource_type:source"}), (Names{"raw.orders"}));
  EXPECT_EQ(Select({"test_type:singular"}), (Names{"report_check"}));
  EXPECT_EQ(Select({"test_type:data"}), (Names{"report_check"}));
  EXPECT_EQ(Select({"test_type:generic"}), (Names{"not_null_stg_orders_id", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"test_name:not_null"}), (Names{"not_null_stg_orders_id"}));
  EXPECT_EQ(Select({"test_name:rel*"}), (Names{"relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"package:shop"}), kEverything);
  EXPECT_EQ(Select({"package:other"}), Names{});
}

TEST_F(SelectorTest, IndirectSelectionModes) {
  // The relationships test reads mart_sales and int_joined.
  EXPECT_EQ(Select({"int_joined"}), (Names{"int_joined", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"int_joined"}, {}, IndirectSelection::kCautious), (Names{"int_joined"}));
  EXPECT_EQ(Select({"int_joined mart_sales"}, {}, IndirectSelection::kCautious),
            (Names{"int_joined", "mart_sales", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"mart_sales"}, {}, IndirectSelection::kCautious), (Names{"mart_sales"}));
  EXPECT_EQ(Select({"mart_sales"}, {}, IndirectSelection::kBuildable),
            (Names{"mart_sales", "relationships_mart_sales_code"}));
  EXPECT_EQ(Select({"int_joined"}, {}, IndirectSelection::kBuildable), (Names{"int_joined"}));
  EXPECT_EQ(Select({"stg_orders"}, {}, IndirectSelection::kEmpty), (Names{"stg_orders"}));
  EXPECT_EQ(Select({"not_null_stg_orders_id"}, {}, IndirectSelection::kEmpty), (Names{"not_null_stg_orders_id"}));
}

TEST_F(SelectorTest, MatchingNothingIsNotAnError) { EXPECT_EQ(Select({"ghost", "tag:none"}), Names{}); }

TEST_F(SelectorTest, MalformedSelectorsAreUsageErrors) {
  auto error = [&](std::vector<std::string> select) { return ErrorOf([&] { SelectNodes(dag_, {select, {}}); }); };
  EXPECT_EQ(error({"state:modified"}), "selector 'state:modified': unknown or unsupported selector method 'state'");
  EXPECT_EQ(error({"@+a"}), "selector '@+a': '@' and a leading '+' cannot be combined");
  EXPECT_EQ(error({"+"}), "selector '+' names nothing");
  EXPECT_EQ(error({"tag:"}), "selector 'tag:' names nothing");
  EXPECT_EQ(error({"a,,b"}), "selector 'a,,b' has an empty part around a comma");
  // Graph operators in the wrong place: an error naming the selector, never "nothing selected".
  EXPECT_EQ(error({"3++@tag:"}), "selector '3++@tag:' is not valid: '+@tag:' is neither a name nor METHOD:VALUE "
                                 "(the form is [@][N+][METHOD:]VALUE[+N])");
  EXPECT_THAT(error({"stg_orders++"}), HasSubstr("selector 'stg_orders++' is not valid: 'stg_orders+'"));
  EXPECT_THAT(error({"@@stg_orders"}), HasSubstr("selector '@@stg_orders' is not valid"));
  EXPECT_THAT(error({"tag:+nightly"}), HasSubstr("selector 'tag:+nightly' is not valid"));
  EXPECT_THAT(error({"a@b:c"}), HasSubstr("selector 'a@b:c' is not valid"));
  EXPECT_EQ(error({"resource_type:view"}),
            "selector 'resource_type:view': resource_type must be model, seed, snapshot, source, test or unit_test");
  EXPECT_EQ(error({"test_type:data_unit"}), "selector 'test_type:data_unit': test_type must be generic, singular or unit");
  EXPECT_EQ(error({"  "}), "--select needs at least one selector");
  EXPECT_EQ(ErrorOf([&] { SelectNodes(dag_, {{}, {"bogus:x"}}); }),
            "selector 'bogus:x': unknown or unsupported selector method 'bogus'");
  EXPECT_THROW(SelectNodes(dag_, {{"state:new"}, {}}), UsageError);
}

TEST(IndirectSelection, ParsesDbtNames) {
  EXPECT_EQ(ParseIndirectSelection("eager"), IndirectSelection::kEager);
  EXPECT_EQ(ParseIndirectSelection("cautious"), IndirectSelection::kCautious);
  EXPECT_EQ(ParseIndirectSelection("buildable"), IndirectSelection::kBuildable);
  EXPECT_EQ(ParseIndirectSelection("empty"), IndirectSelection::kEmpty);
  EXPECT_EQ(ErrorOf([] { ParseIndirectSelection("lazy"); }),
            "--indirect-selection must be eager, cautious, buildable or empty (got 'lazy')");
}

}  // namespace
}  // namespace dlctl::transform
