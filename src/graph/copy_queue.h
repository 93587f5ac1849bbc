#pragma once
// Kùzu COPY statements run one after the other on a thread of their own, in the order they are
// added, so a graph load copies one file into Kùzu while DuckDB writes the next: each leaves a
// core idle at times (Kùzu's COPY and DuckDB's file writing both have serial phases).
// The first failure is kept and thrown by the next Add or by Finish; the thread is joined on
// every path (going away without Finish drops the COPYs not started yet).
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "graph/graph_store.h"
#include "util/progress.h"

namespace dlctl::graph {

class CopyQueue {
 public:
  CopyQueue(GraphStore& graph, ProgressLine& progress);
  ~CopyQueue();
  CopyQueue(const CopyQueue&) = delete;
  CopyQueue& operator=(const CopyQueue&) = delete;

  // Queues `copy`, which fills Kùzu table `table` (named in messages).
  void Add(std::string copy, std::string table);
  // Waits for every COPY added; throws the first failure.
  void Finish();

 private:
  void Work();
  void Stop();

  GraphStore& graph_;
  ProgressLine& progress_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<std::string, std::string>> pending_;  // COPY, table
  bool done_ = false;
  std::exception_ptr failure_;
  std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace dlctl::graph
