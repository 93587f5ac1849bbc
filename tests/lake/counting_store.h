#pragma once
// An ObjectStore that passes everything to a real one and counts the objects read through it
// (each distinct key once until Reset), to tell how many data files a query opened.
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "support/forwarding_store.h"

namespace dlctl {

class CountingStore : public testing::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;

  // Distinct keys read since the last Reset whose key starts with `prefix`.
  size_t KeysRead(const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t count = 0;
    for (const std::string& key : keys_) count += key.rfind(prefix, 0) == 0;
    return count;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_.clear();
  }

  std::string Get(const std::string& key) override {
    Note(key);
    return inner().Get(key);
  }
  void GetToFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override {
    Note(key);
    inner().GetToFile(key, file, progress);
  }
  size_t ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) override {
    Note(key);
    return inner().ReadRange(key, offset, length, out);
  }

 private:
  void Note(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_.insert(key);
  }

  std::mutex mutex_;
  std::set<std::string> keys_;
};

}  // namespace dlctl
