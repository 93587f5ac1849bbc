// The queue that runs a graph load's Kùzu COPYs on a thread of their own, on a real Kùzu
// database: order kept, the first failure reported with its table and nothing after it run.
#include "graph/copy_queue.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>

#include "support/test_env.h"
#include "util/error.h"

namespace dlctl::graph {
namespace {

class CopyQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GraphStoreOptions options;
    options.buffer_pool_bytes = 64ull << 20;
    graph_ = OpenKuzuGraphStore(dir_.path() / "graph", options);
    graph_->Query("CREATE NODE TABLE person(id INT64 PRIMARY KEY); CREATE REL TABLE knows(FROM person TO person);");
    WriteFile("people.csv", "1\n2\n3\n");
    WriteFile("knows.csv", "1,2\n2,3\n");
  }

  void WriteFile(const std::string& name, const std::string& text) { std::ofstream(dir_.path() / name) << text; }
  std::string Copy(const std::string& table, const std::string& file) {
    return "COPY " + table + " FROM '" + (dir_.path() / file).string() + "'";
  }
  int64_t Count(const std::string& match) { return std::stoll(graph_->Query(match).rows.at(0).at(0)); }

  testing::TempDir dir_;
  std::unique_ptr<GraphStore> graph_;
  ProgressLine progress_{"copy queue test:"};
};

TEST_F(CopyQueueTest, RunsTheCopiesInTheOrderAdded) {
  CopyQueue queue(*graph_, progress_);
  queue.Add(Copy("person", "people.csv"), "person");
  queue.Add(Copy("knows", "knows.csv"), "knows");  // needs the people copied before it
  queue.Finish();
  EXPECT_EQ(Count("MATCH (p:person) RETURN count(p)"), 3);
  EXPECT_EQ(Count("MATCH ()-[k:knows]->() RETURN count(k)"), 2);
}

TEST_F(CopyQueueTest, ReportsTheFirstFailureWithItsTableAndRunsNothingAfterIt) {
  std::string message;
  {
    CopyQueue queue(*graph_, progress_);
    try {
      queue.Add(Copy("person", "missing.csv"), "person");
      queue.Add(Copy("person", "people.csv"), "person again");
      queue.Finish();
    } catch (const Error& e) {
      message = e.what();
    }
  }
  EXPECT_EQ(message.rfind("loading person into the graph failed: ", 0), 0u) << message;
  EXPECT_EQ(Count("MATCH (p:person) RETURN count(p)"), 0);
}

TEST_F(CopyQueueTest, GoingAwayWithoutFinishJoinsItsThread) {
  {
    CopyQueue queue(*graph_, progress_);
    queue.Add(Copy("person", "people.csv"), "person");
    queue.Add(Copy("knows", "knows.csv"), "knows");
  }  // an error elsewhere unwinds past the queue: what started ends, the rest is dropped
  // The database answers again: no COPY is left running on it.
  int64_t people = Count("MATCH (p:person) RETURN count(p)");
  EXPECT_TRUE(people == 0 || people == 3) << people;
}

}  // namespace
}  // namespace dlctl::graph
