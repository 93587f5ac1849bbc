#pragma once
// The embedded default: a bucket kept as a folder, one file per key. Writes go to a staging
// folder beside the bucket and are renamed into place, so readers never see partial objects.
// A staging file's name ends with its process's owner tag: the first write of a process removes
// the staging files of processes that died (a kill -9 leaves them), and PendingUploads lists them.
#include <filesystem>
#include <mutex>

#include "storage/object_store.h"

namespace dlctl {

class LocalStore : public ObjectStore {
 public:
  // `root` is the bucket folder; it is created when missing.
  explicit LocalStore(std::filesystem::path root);

  std::string Bucket() const override;
  std::string Uri(std::string_view key) const override;
  std::optional<std::string> KeyOf(std::string_view uri) const override;
  void Put(const std::string& key, std::string_view data) override;
  void PutFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override;
  std::unique_ptr<ObjectWriter> OpenWriter(const std::string& key) override;
  std::string Get(const std::string& key) override;
  void GetToFile(const std::string& key, const std::filesystem::path& file, const ProgressFn& progress) override;
  size_t ReadRange(const std::string& key, uint64_t offset, uint64_t length, char* out) override;
  std::optional<ObjectInfo> Head(const std::string& key) override;
  std::vector<ObjectInfo> List(const std::string& prefix) override;
  Listing ListFolder(const std::string& prefix) override;
  void Delete(const std::string& key) override;
  void DeleteMany(const std::vector<std::string>& keys) override;
  void Copy(const std::string& from_key, const std::string& to_key) override;
  std::vector<PendingUpload> PendingUploads() override;
  void DiscardPendingUpload(const PendingUpload& upload) override;
  std::string Describe() const override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path PathOf(const std::string& key) const;  // validates the key
  std::filesystem::path StagingFile();
  void Publish(const std::filesystem::path& staged, const std::string& key);
  void Walk(const std::filesystem::path& dir, const std::string& dir_key, const std::string& prefix, bool recursive,
            Listing& out) const;

  std::filesystem::path root_;
  std::filesystem::path staging_;
  std::once_flag staging_swept_;
};

}  // namespace dlctl
