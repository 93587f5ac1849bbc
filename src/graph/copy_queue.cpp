#include "graph/copy_queue.h"

#include <fmt/format.h>

#include "util/error.h"

namespace dlctl::graph {

CopyQueue::CopyQueue(GraphStore& graph, ProgressLine& progress)
    : graph_(graph), progress_(progress), thread_([this] { Work(); }) {}

CopyQueue::~CopyQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.clear();
  }
  Stop();
}

void CopyQueue::Add(std::string copy, std::string table) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure_) std::rethrow_exception(failure_);
  pending_.push_back({std::move(copy), std::move(table)});
  changed_.notify_all();
}

void CopyQueue::Finish() {
  Stop();
  if (failure_) std::rethrow_exception(failure_);
}

void CopyQueue::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return done_ || !pending_.empty(); });
    if (pending_.empty()) return;
    auto [copy, table] = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    progress_.Update(fmt::format("copying {} into Kùzu", table), true);
    std::exception_ptr failure;
    try {
      graph_.Query(copy);
    } catch (const Error& e) {
      failure = std::make_exception_ptr(Error(fmt::format("loading {} into the graph failed: {}", table, e.what())));
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    if (failure) {
      failure_ = failure;
      pending_.clear();
      return;
    }
  }
}

void CopyQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace dlctl::graph
