#include "transform/graph/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "support/error_of.h"
#include "transform/graph_fixture.h"

namespace dlctl::transform {
namespace {

using testing::ErrorOf;
using testing::MakeNode;
using Strings = std::vector<std::string>;

std::string M(const std::string& name) { return "model.shop." + name; }

// a -> b -> d, a -> c -> d, e alone.
Dag Diamond() {
  Dag dag;
  for (const char* name : {"a", "b", "c", "d", "e"}) dag.AddNode(MakeNode(NodeKind::kModel, name, {}, ""));
  dag.AddEdge(M("a"), M("b"));
  dag.AddEdge(M("a"), M("c"));
  dag.AddEdge(M("b"), M("d"));
  dag.AddEdge(M("c"), M("d"));
  return dag;
}

std::set<std::string> AllOf(const Dag& dag) {
  std::set<std::string> ids;
  for (const auto& node : dag.nodes()) ids.insert(node.unique_id);
  return ids;
}

TEST(Scheduler, OneThreadRunsInTopologicalOrder) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, AllOf(dag));
  Strings ran;
  while (auto id = scheduler.Next()) {
    ran.push_back(*id);
    EXPECT_TRUE(scheduler.Finish(*id, true).empty());
  }
  EXPECT_EQ(ran, (Strings{M("a"), M("b"), M("c"), M("d"), M("e")}));
  EXPECT_EQ(scheduler.order(), ran);
  EXPECT_EQ(scheduler.size(), 5u);
}

TEST(Scheduler, IndependentNodesAreReadyTogether) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, AllOf(dag));
  EXPECT_EQ(scheduler.Next(), M("a"));
  EXPECT_EQ(scheduler.Next(), M("e"));  // a is still running; e does not wait for it
  scheduler.Finish(M("a"), true);
  EXPECT_EQ(scheduler.Next(), M("b"));
  EXPECT_EQ(scheduler.Next(), M("c"));
  scheduler.Finish(M("b"), true);
  scheduler.Finish(M("e"), true);
  scheduler.Finish(M("c"), true);
  EXPECT_EQ(scheduler.Next(), M("d"));
  scheduler.Finish(M("d"), true);
  EXPECT_EQ(scheduler.Next(), std::nullopt);
}

TEST(Scheduler, AFailureSkipsEverythingDownstreamButNothingElse) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, AllOf(dag));
  EXPECT_EQ(scheduler.Next(), M("a"));
  EXPECT_EQ(scheduler.Finish(M("a"), false), (Strings{M("b"), M("c"), M("d")}));
  EXPECT_EQ(scheduler.Next(), M("e"));
  EXPECT_TRUE(scheduler.Finish(M("e"), true).empty());
  EXPECT_EQ(scheduler.Next(), std::nullopt);
}

TEST(Scheduler, ASkipReachesOnlyNodesNotYetStarted) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, AllOf(dag));
  scheduler.Next();  // a
  scheduler.Next();  // e
  scheduler.Finish(M("a"), true);
  EXPECT_EQ(scheduler.Next(), M("b"));
  EXPECT_EQ(scheduler.Next(), M("c"));
  EXPECT_EQ(scheduler.Finish(M("b"), false), Strings{M("d")});
  EXPECT_TRUE(scheduler.Finish(M("c"), true).empty());  // c was running: it finishes normally
  scheduler.Finish(M("e"), true);
  EXPECT_EQ(scheduler.Next(), std::nullopt);
}

TEST(Scheduler, OrderHoldsThroughNodesThatAreNotSelected) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, {M("a"), M("d")});  // b and c not selected
  EXPECT_EQ(scheduler.Next(), M("a"));
  EXPECT_EQ(ErrorOf([&] { scheduler.Finish(M("d"), true); }),
            "the scheduler did not hand out model.shop.d (or it already finished)");
  EXPECT_EQ(scheduler.Finish(M("a"), false), Strings{M("d")});  // d still depends on a, through b and c
  EXPECT_EQ(scheduler.Next(), std::nullopt);
}

TEST(Scheduler, FinishingTwiceIsAnError) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, {M("e")});
  EXPECT_EQ(scheduler.Next(), M("e"));
  scheduler.Finish(M("e"), true);
  EXPECT_EQ(ErrorOf([&] { scheduler.Finish(M("e"), true); }),
            "the scheduler did not hand out model.shop.e (or it already finished)");
}

TEST(Scheduler, ACycleAmongTheNodesIsRefused) {
  Dag dag = Diamond();
  dag.AddEdge(M("d"), M("a"));
  EXPECT_EQ(ErrorOf([&] { Scheduler scheduler(dag, AllOf(dag)); }), "dependency cycle: a -> b -> d -> a");
}

TEST(Scheduler, NothingSelectedIsDoneAtOnce) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, {});
  EXPECT_EQ(scheduler.Next(), std::nullopt);
}

TEST(RunScheduled, ManyThreadsRunEachNodeOnceAfterItsParents) {
  Dag dag = testing::ShopDag();
  for (int i = 0; i < 20; ++i) {  // a wide layer that can run in parallel
    dag.AddNode(MakeNode(NodeKind::kModel, "wide_" + std::to_string(i), {}, ""));
    dag.AddEdge(M("stg_codes"), M("wide_" + std::to_string(i)));
  }
  Scheduler scheduler(dag, AllOf(dag));
  std::mutex mutex;
  std::map<std::string, int> finished_at;
  int clock = 0;
  std::atomic<int> running{0}, most{0};
  RunScheduled(
      scheduler, 4,
      [&](const std::string& id) {
        int now = ++running;
        for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {}
        std::lock_guard<std::mutex> lock(mutex);
        for (const auto& parent : dag.Parents(id)) EXPECT_TRUE(finished_at.count(parent)) << id << " before " << parent;
        EXPECT_EQ(finished_at.count(id), 0u) << id << " ran twice";
        finished_at[id] = ++clock;
        --running;
        return true;
      },
      [&](const std::string& id) { ADD_FAILURE() << "skipped " << id; });
  EXPECT_EQ(finished_at.size(), dag.nodes().size());
  EXPECT_LE(most.load(), 4);
}

TEST(RunScheduled, ThreadsOverlapOnIndependentNodes) {
  Dag dag;
  for (const char* name : {"m0", "m1", "m2", "m3"}) dag.AddNode(MakeNode(NodeKind::kModel, name, {}, ""));
  Scheduler scheduler(dag, AllOf(dag));
  std::atomic<int> running{0}, most{0};
  RunScheduled(
      scheduler, 4,
      [&](const std::string&) {
        int now = ++running;
        for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {}
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        --running;
        return true;
      },
      [](const std::string&) {});
  EXPECT_GT(most.load(), 1);
}

TEST(RunScheduled, FailuresReportSkippedNodes) {
  Dag dag = testing::ShopDag();
  Scheduler scheduler(dag, AllOf(dag));
  std::set<std::string> ran, skipped;
  std::mutex mutex;
  RunScheduled(
      scheduler, 3,
      [&](const std::string& id) {
        std::lock_guard<std::mutex> lock(mutex);
        ran.insert(id);
        return id != M("stg_codes");
      },
      [&](const std::string& id) {
        std::lock_guard<std::mutex> lock(mutex);
        skipped.insert(id);
      });
  EXPECT_EQ(skipped, (std::set<std::string>{M("int_joined"), M("mart_sales"), M("mart_report"),
                                            "test.shop.relationships_mart_sales_code", "test.shop.report_check"}));
  EXPECT_EQ(ran, (std::set<std::string>{"source.shop.raw.orders", "seed.shop.codes", M("stg_orders"), M("stg_codes"),
                                        "test.shop.not_null_stg_orders_id"}));
}

TEST(RunScheduled, AnExceptionFromRunIsRethrownAfterTheOthersStop) {
  Dag dag = Diamond();
  Scheduler scheduler(dag, AllOf(dag));
  std::atomic<int> calls{0};
  EXPECT_EQ(ErrorOf([&] {
              RunScheduled(
                  scheduler, 2,
                  [&](const std::string& id) -> bool {
                    ++calls;
                    if (id == M("a")) throw Error("model a broke");
                    return true;
                  },
                  [](const std::string&) {});
            }),
            "model a broke");
  EXPECT_LE(calls.load(), 2);  // a, and perhaps e which was ready beside it; never b, c or d
}

}  // namespace
}  // namespace dlctl::transform
