#pragma once
// One open s3:// object inside DuckDB: ranged reads through a small read-ahead buffer, or a
// streaming write that becomes visible only when DuckDB syncs or closes the file.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "duckdb/common/file_system.hpp"
#include "storage/object_store.h"

namespace dlctl {

class StoreFileHandle : public duckdb::FileHandle {
 public:
  static duckdb::unique_ptr<StoreFileHandle> ForReading(duckdb::FileSystem& fs, std::string path,
                                                        duckdb::FileOpenFlags flags, ObjectStore& store,
                                                        std::string key, uint64_t size,
                                                        std::atomic<uint64_t>& bytes_read);
  // A writer still open when the handle goes away is handed to `on_unfinished`.
  using UnfinishedFn = std::function<void(std::unique_ptr<ObjectWriter>)>;
  static duckdb::unique_ptr<StoreFileHandle> ForWriting(duckdb::FileSystem& fs, std::string path,
                                                        duckdb::FileOpenFlags flags,
                                                        std::unique_ptr<ObjectWriter> writer,
                                                        UnfinishedFn on_unfinished);
  ~StoreFileHandle() override;

  // Up to `length` bytes at `offset`; short only at the end of the object.
  size_t ReadAt(char* out, uint64_t length, uint64_t offset);
  void Append(const char* data, uint64_t length);
  // Publishes a written object (once); nothing to do for reads.
  void Commit();
  void Close() override { Commit(); }

  // The object's size, or the bytes written so far.
  uint64_t size() const { return writer_ ? bytes_written_ : size_; }
  uint64_t position = 0;  // for DuckDB's sequential Read/Write/Seek
  // The store tells no modification time; "when opened" makes caches treat the object as new.
  const duckdb::timestamp_t opened_at;

 private:
  StoreFileHandle(duckdb::FileSystem& fs, std::string path, duckdb::FileOpenFlags flags);
  size_t Fetch(char* out, uint64_t length, uint64_t offset);

  // Reading.
  ObjectStore* store_ = nullptr;
  std::string key_;
  uint64_t size_ = 0;
  std::atomic<uint64_t>* bytes_read_ = nullptr;
  std::mutex buffer_mutex_;  // DuckDB reads one handle from several threads
  std::vector<char> buffer_;
  uint64_t buffer_offset_ = 0;

  // Writing.
  std::unique_ptr<ObjectWriter> writer_;
  UnfinishedFn on_unfinished_;
  uint64_t bytes_written_ = 0;
  bool committed_ = false;
};

// Runs a store call, turning its exceptions into DuckDB IO errors (DuckDB's own pass through).
template <typename Fn>
auto CallStore(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const duckdb::Exception&) {
    throw;
  } catch (const std::exception& e) {
    throw duckdb::IOException(std::string(e.what()));
  }
}

}  // namespace dlctl
