#include "storage/s3_task_group.h"

#include <algorithm>

namespace dlctl {

TaskGroup::TaskGroup(int threads) : max_threads_(static_cast<size_t>(std::max(1, threads))) {}

TaskGroup::~TaskGroup() {
  Cancel();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void TaskGroup::RethrowFailure() {
  if (failure_) std::rethrow_exception(failure_);
}

void TaskGroup::Submit(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return failure_ || queue_.size() + running_ < max_threads_; });
  RethrowFailure();
  queue_.push_back(std::move(task));
  if (threads_.size() < std::min(max_threads_, running_ + queue_.size())) threads_.emplace_back([this] { Work(); });
  lock.unlock();
  changed_.notify_all();
}

void TaskGroup::Wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
  RethrowFailure();
}

void TaskGroup::Cancel() noexcept {
  std::unique_lock lock(mutex_);
  queue_.clear();
  changed_.wait(lock, [&] { return running_ == 0; });
}

void TaskGroup::Work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    std::exception_ptr failure;
    try {
      task();
    } catch (...) {
      failure = std::current_exception();
    }
    task = nullptr;  // free the part buffer before admitting the next task
    lock.lock();
    --running_;
    if (failure && !failure_) {
      failure_ = failure;
      queue_.clear();
    }
    changed_.notify_all();
  }
}

}  // namespace dlctl

