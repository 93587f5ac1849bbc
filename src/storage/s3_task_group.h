#pragma once
// Runs tasks on up to N threads (parts of one transfer). Submit() waits while N tasks are
// queued or running, so at most N part buffers exist at once. The first failure cancels the
// tasks that have not started and is rethrown by Submit() and Wait().
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dlctl {

class TaskGroup {
 public:
  explicit TaskGroup(int threads);
  ~TaskGroup();  // drops queued tasks and waits for running ones
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  void Submit(std::function<void()> task);
  void Wait();
  // Drops queued tasks and waits for running ones, swallowing failures (for clean-up paths).
  void Cancel() noexcept;

 private:
  void Work();
  void RethrowFailure();  // with mutex_ held

  const size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> threads_;
};

}  // namespace dlctl
