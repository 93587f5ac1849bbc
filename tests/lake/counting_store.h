#pragma once
// An ObjectStore that passes everything to a real one and counts the objects read through it
// (each distinct key once until Reset), to tell how many data files a query opened.
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "storage/object_store.h"

namespace dlctl {

class CountingStore : public ObjectStore {
 public:
  explicit CountingStore(std::shared_ptr<ObjectStore> store) : store_(std::move(store)) {}

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
    return store_->Get(key);
  }
  void GetToFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override {
    Note(key);
    store_->GetToFile(key, file, progress);
  }
  size_t ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) override {
    Note(key);
    return store_->ReadRange(key, offset, length, out);
  }

  std::string Bucket() const override { return store_->Bucket(); }
  std::string Uri(std::string_view key) const override { return store_->Uri(key); }
  std::optional<std::string> KeyOf(std::string_view uri) const override { return store_->KeyOf(uri); }
  void Put(const std::string& key, std::string_view data) override { store_->Put(key, data); }
  void PutFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override {
    store_->PutFile(key, file, progress);
  }
  std::unique_ptr<ObjectWriter> OpenWriter(const std::string& key) override { return store_->OpenWriter(key); }
  std::optional<ObjectInfo> Head(const std::string& key) override { return store_->Head(key); }
  std::vector<ObjectInfo> List(const std::string& prefix) override { return store_->List(prefix); }
  Listing ListFolder(const std::string& prefix) override { return store_->ListFolder(prefix); }
  void Delete(const std::string& key) override { store_->Delete(key); }
  void DeleteMany(const std::vector<std::string>& keys) override { store_->DeleteMany(keys); }
  void Copy(const std::string& from_key, const std::string& to_key) override { store_->Copy(from_key, to_key); }
  std::vector<PendingUpload> PendingUploads() override { return store_->PendingUploads(); }
  void DiscardPendingUpload(const PendingUpload& upload) override { store_->DiscardPendingUpload(upload); }
  std::string Describe() const override { return store_->Describe(); }

 private:
  void Note(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_.insert(key);
  }

  std::shared_ptr<ObjectStore> store_;
  std::mutex mutex_;
  std::set<std::string> keys_;
};

}  // namespace dlctl
