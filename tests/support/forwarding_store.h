#pragma once
// An ObjectStore that passes every call to a real one: the base of the tests' stores that watch
// or break a few calls (count reads, count bytes written, fail the Nth write) and override only
// those. A method added to ObjectStore is forwarded here once.
#include <memory>
#include <utility>

#include "storage/object_store.h"

namespace dlctl::testing {

class ForwardingStore : public ObjectStore {
 public:
  explicit ForwardingStore(std::shared_ptr<ObjectStore> inner) : inner_(std::move(inner)) {}

  std::string Bucket() const override { return inner_->Bucket(); }
  std::string Uri(std::string_view key) const override { return inner_->Uri(key); }
  std::optional<std::string> KeyOf(std::string_view uri) const override { return inner_->KeyOf(uri); }
  void Put(const std::string& key, std::string_view data) override { inner_->Put(key, data); }
  void PutFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override {
    inner_->PutFile(key, file, progress);
  }
  std::unique_ptr<ObjectWriter> OpenWriter(const std::string& key) override { return inner_->OpenWriter(key); }
  std::string Get(const std::string& key) override { return inner_->Get(key); }
  void GetToFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override {
    inner_->GetToFile(key, file, progress);
  }
  size_t ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) override {
    return inner_->ReadRange(key, offset, length, out);
  }
  std::optional<ObjectInfo> Head(const std::string& key) override { return inner_->Head(key); }
  std::vector<ObjectInfo> List(const std::string& prefix) override { return inner_->List(prefix); }
  Listing ListFolder(const std::string& prefix) override { return inner_->ListFolder(prefix); }
  void Delete(const std::string& key) override { inner_->Delete(key); }
  void DeleteMany(const std::vector<std::string>& keys) override { inner_->DeleteMany(keys); }
  void Copy(const std::string& from_key, const std::string& to_key) override { inner_->Copy(from_key, to_key); }
  std::vector<PendingUpload> PendingUploads() override { return inner_->PendingUploads(); }
  void DiscardPendingUpload(const PendingUpload& upload) override { inner_->DiscardPendingUpload(upload); }
  std::string Describe() const override { return inner_->Describe(); }

 protected:
  ObjectStore& inner() { return *inner_; }

 private:
  std::shared_ptr<ObjectStore> inner_;
};

}  // namespace dlctl::testing
