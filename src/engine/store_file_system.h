#pragma once
// DuckDB's view of the bucket: a FileSystem for s3://<bucket>/... backed by an ObjectStore, so
// read_parquet/read_csv/read_json (with globs) and COPY TO reach the store without httpfs.
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "duckdb/common/file_system.hpp"
#include "engine/bucket_paths.h"
#include "storage/object_store.h"

namespace dlctl {

class StoreFileSystem : public duckdb::FileSystem {
 public:
  StoreFileSystem(std::shared_ptr<ObjectStore> store, std::string bucket);

  // Bytes fetched from the store by reads so far (read-ahead included).
  uint64_t BytesRead() const { return bytes_read_; }

  // Called after every statement. Writes DuckDB neither synced nor closed are published when the
  // statement succeeded and dropped when it failed: DuckDB's gzip/zstd writers finish their
  // stream but never close the file beneath, and a failed COPY abandons its files the same way.
  void FinishStatement(bool succeeded);

  std::string GetName() const override { return "StoreFileSystem"; }
  bool CanHandleFile(const std::string& path) override;

  void Read(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes, duckdb::idx_t location) override;
  int64_t Read(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes) override;
  void Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes, duckdb::idx_t location) override;
  int64_t Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes) override;
  void FileSync(duckdb::FileHandle& handle) override;

  int64_t GetFileSize(duckdb::FileHandle& handle) override;
  duckdb::timestamp_t GetLastModifiedTime(duckdb::FileHandle& handle) override;
  duckdb::FileType GetFileType(duckdb::FileHandle& handle) override;
  void Seek(duckdb::FileHandle& handle, duckdb::idx_t location) override;
  void Reset(duckdb::FileHandle& handle) override;
  duckdb::idx_t SeekPosition(duckdb::FileHandle& handle) override;
  bool CanSeek() override { return true; }
  bool OnDiskFile(duckdb::FileHandle&) override { return false; }

  bool FileExists(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  bool DirectoryExists(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  // Folders are only key prefixes: nothing to create.
  void CreateDirectory(const std::string&, duckdb::optional_ptr<duckdb::FileOpener>) override {}
  void CreateDirectoriesRecursive(const std::string&, duckdb::optional_ptr<duckdb::FileOpener>) override {}
  void RemoveFile(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  bool TryRemoveFile(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener> opener) override;
  bool ListFiles(const std::string& directory, const std::function<void(const std::string&, bool)>& callback,
                 duckdb::FileOpener* opener) override;
  duckdb::vector<duckdb::OpenFileInfo> Glob(const std::string& pattern, duckdb::FileOpener* opener) override;

 protected:
  // DuckDB's OpenFile(path) lands here too; globs pass each file's size along, saving a HEAD.
  bool SupportsOpenFileExtended() const override { return true; }
  duckdb::unique_ptr<duckdb::FileHandle> OpenFileExtended(const duckdb::OpenFileInfo& file, duckdb::FileOpenFlags flags,
                                                          duckdb::optional_ptr<duckdb::FileOpener> opener) override;

 private:
  std::string KeyOf(const std::string& path) const;

  std::shared_ptr<ObjectStore> store_;
  BucketPaths paths_;
  std::atomic<uint64_t> bytes_read_{0};
  std::mutex unfinished_mutex_;
  std::vector<std::unique_ptr<ObjectWriter>> unfinished_;
};

}  // namespace dlctl
