#pragma once
// Hands the selected nodes of a Dag to worker threads in dependency order. A node is ready when
// every selected node upstream of it (directly, or through nodes that are not selected, as in
// dbt's subset graph) has finished. When a node fails, every selected node downstream of it is
// skipped and never handed out.
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "transform/graph/dag.h"

namespace dlctl::transform {

class Scheduler {
 public:
  // Throws the Dag's cycle Error when the selected nodes depend on each other in a cycle.
  Scheduler(const Dag& dag, const std::set<std::string>& selected);

  // The next ready node (the earliest in topological order), waiting while nodes are running
  // and none is ready; nullopt once every node has finished or been skipped.
  std::optional<std::string> Next();

  // Reports a node from Next() as done. On failure returns the nodes skipped because of it
  // (in topological order), which are then finished too.
  std::vector<std::string> Finish(const std::string& id, bool succeeded);

  size_t size() const { return ids_.size(); }
  // The selected ids in the order a single thread runs them.
  const std::vector<std::string>& order() const { return ids_; }

 private:
  enum class State { kWaiting, kReady, kRunning, kDone, kSkipped };

  std::vector<std::string> ids_;                 // topological order
  std::unordered_map<std::string, size_t> position_;  // id -> index in ids_
  std::vector<std::vector<size_t>> parents_, children_;  // among selected nodes
  std::vector<size_t> waiting_on_;
  std::vector<State> state_;
  std::set<size_t> ready_;
  size_t running_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
};

// Runs every node with `run` on `threads` threads (at least one) and returns when all are done.
// `run` returns false for a failure; `on_skip` hears of each node skipped because of one.
// An exception from `run` or `on_skip` stops the handing out and is rethrown once the running
// nodes have returned.
void RunScheduled(Scheduler& scheduler, int threads, const std::function<bool(const std::string&)>& run,
                  const std::function<void(const std::string&)>& on_skip);

}  // namespace dlctl::transform
