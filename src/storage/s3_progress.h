#pragma once
// Adds up bytes moved by parallel requests and reports them to a ProgressFn, one call at a time.
#include <cstdint>
#include <mutex>

#include "storage/object_store.h"

namespace dlctl {

class TransferProgress {
 public:
  TransferProgress(const ProgressFn& report, uint64_t total) : report_(report), total_(total) {}

  // `bytes` is negative when an attempt that already counted some bytes is retried.
  void Add(int64_t bytes) {
    if (!report_ || bytes == 0) return;
    std::lock_guard lock(mutex_);
    done_ += bytes;
    report_(static_cast<uint64_t>(done_), total_);
  }

 private:
  const ProgressFn& report_;
  uint64_t total_;
  std::mutex mutex_;
  int64_t done_ = 0;
};

}  // namespace dlctl
