#include "transform/graph/scheduler.h"

#include <exception>
#include <thread>

#include "util/error.h"

namespace dlctl::transform {

Scheduler::Scheduler(const Dag& dag, const std::set<std::string>& selected) {
  for (const auto& id : dag.TopologicalOrder())
    if (selected.count(id)) ids_.push_back(id);
  std::unordered_map<std::string, size_t>& position = position_;
  for (size_t i = 0; i < ids_.size(); ++i) position[ids_[i]] = i;
  parents_.resize(ids_.size());
  children_.resize(ids_.size());
  // The nearest selected nodes upstream: walk up through unselected ones.
  for (size_t i = 0; i < ids_.size(); ++i) {
    std::set<std::string> seen;
    std::vector<std::string> stack = dag.Parents(ids_[i]);
    std::set<size_t> found;
    while (!stack.empty()) {
      std::string id = stack.back();
      stack.pop_back();
      if (!seen.insert(id).second) continue;
      if (auto it = position.find(id); it != position.end()) {
        found.insert(it->second);
        continue;
      }
      for (auto& parent : dag.Parents(id)) stack.push_back(parent);
    }
    for (size_t parent : found) {
      parents_[i].push_back(parent);
      children_[parent].push_back(i);
    }
  }
  waiting_on_.resize(ids_.size());
  state_.assign(ids_.size(), State::kWaiting);
  for (size_t i = 0; i < ids_.size(); ++i) {
    waiting_on_[i] = parents_[i].size();
    if (waiting_on_[i] == 0) {
      state_[i] = State::kReady;
      ready_.insert(i);
    }
  }
}

std::optional<std::string> Scheduler::Next() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || running_ == 0; });
  if (ready_.empty()) return std::nullopt;  // nothing running and nothing ready: all done
  size_t node = *ready_.begin();
  ready_.erase(ready_.begin());
  state_[node] = State::kRunning;
  ++running_;
  return ids_[node];
}

std::vector<std::string> Scheduler::Finish(const std::string& id, bool succeeded) {
  std::vector<std::string> skipped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = position_.find(id);
    if (it == position_.end() || state_[it->second] != State::kRunning)
      throw Error("the scheduler did not hand out " + id + " (or it already finished)");
    size_t node = it->second;
    state_[node] = State::kDone;
    --running_;
    if (succeeded) {
      for (size_t child : children_[node])
        if (--waiting_on_[child] == 0 && state_[child] == State::kWaiting) {
          state_[child] = State::kReady;
          ready_.insert(child);
        }
    } else {
      std::set<size_t> doomed;
      std::vector<size_t> stack = children_[node];
      while (!stack.empty()) {
        size_t n = stack.back();
        stack.pop_back();
        if (state_[n] != State::kWaiting || !doomed.insert(n).second) continue;
        for (size_t child : children_[n]) stack.push_back(child);
      }
      for (size_t n : doomed) {  // a set of positions: topological order
        state_[n] = State::kSkipped;
        skipped.push_back(ids_[n]);
      }
    }
  }
  changed_.notify_all();
  return skipped;
}

void RunScheduled(Scheduler& scheduler, int threads, const std::function<bool(const std::string&)>& run,
                  const std::function<void(const std::string&)>& on_skip) {
  std::mutex error_mutex;
  std::exception_ptr error;
  auto worker = [&] {
    while (true) {
      {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (error) return;
      }
      std::optional<std::string> id = scheduler.Next();
      if (!id) return;
      bool ok = false;
      try {
        ok = run(*id);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
      std::vector<std::string> skipped = scheduler.Finish(*id, ok);
      try {
        for (const auto& skipped_id : skipped) on_skip(skipped_id);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace dlctl::transform
