#include "engine/store_file_handle.h"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace dlctl {

namespace {

// Reads smaller than this fetch this much, so DuckDB's many small metadata reads (Parquet
// footers, page headers) cost one request; larger reads go straight to the store.
constexpr uint64_t kReadAhead = 1 << 20;

duckdb::timestamp_t Now() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return duckdb::timestamp_t(std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count());
}

}  // namespace

StoreFileHandle::StoreFileHandle(duckdb::FileSystem& fs, std::string path, duckdb::FileOpenFlags flags)
    : duckdb::FileHandle(fs, std::move(path), flags), opened_at(Now()) {}

duckdb::unique_ptr<StoreFileHandle> StoreFileHandle::ForReading(duckdb::FileSystem& fs, std::string path,
                                                                duckdb::FileOpenFlags flags, ObjectStore& store,
                                                                std::string key, uint64_t size,
                                                                std::atomic<uint64_t>& bytes_read) {
  duckdb::unique_ptr<StoreFileHandle> handle(new StoreFileHandle(fs, std::move(path), flags));
  handle->store_ = &store;
  handle->key_ = std::move(key);
  handle->size_ = size;
  handle->bytes_read_ = &bytes_read;
  return handle;
}

duckdb::unique_ptr<StoreFileHandle> StoreFileHandle::ForWriting(duckdb::FileSystem& fs, std::string path,
                                                                duckdb::FileOpenFlags flags,
                                                                std::unique_ptr<ObjectWriter> writer,
                                                                UnfinishedFn on_unfinished) {
  duckdb::unique_ptr<StoreFileHandle> handle(new StoreFileHandle(fs, std::move(path), flags));
  handle->writer_ = std::move(writer);
  handle->on_unfinished_ = std::move(on_unfinished);
  return handle;
}

StoreFileHandle::~StoreFileHandle() {
  if (writer_ && !committed_) on_unfinished_(std::move(writer_));
}

size_t StoreFileHandle::Fetch(char* out, uint64_t length, uint64_t offset) {
  size_t got = CallStore([&] { return store_->ReadRange(key_, offset, length, out); });
  *bytes_read_ += got;
  return got;
}

size_t StoreFileHandle::ReadAt(char* out, uint64_t length, uint64_t offset) {
  if (writer_) throw duckdb::IOException("cannot read " + path + " while writing it");
  if (offset >= size_) return 0;
  length = std::min(length, size_ - offset);
  if (length >= kReadAhead) return Fetch(out, length, offset);

  std::lock_guard<std::mutex> lock(buffer_mutex_);
  bool buffered = offset >= buffer_offset_ && offset + length <= buffer_offset_ + buffer_.size();
  if (!buffered) {
    buffer_.resize(std::min(kReadAhead, size_ - offset));
    buffer_.resize(Fetch(buffer_.data(), buffer_.size(), offset));
    buffer_offset_ = offset;
  }
  size_t available = std::min<uint64_t>(length, buffer_offset_ + buffer_.size() - offset);
  std::memcpy(out, buffer_.data() + (offset - buffer_offset_), available);
  return available;
}

void StoreFileHandle::Append(const char* data, uint64_t length) {
  if (!writer_) throw duckdb::IOException(path + " is open for reading only");
  if (committed_) throw duckdb::IOException("cannot write " + path + " after it was synced");
  CallStore([&] { writer_->Write(data, length); });
  bytes_written_ += length;
}

void StoreFileHandle::Commit() {
  if (!writer_ || committed_) return;
  CallStore([&] { writer_->Commit(); });
  committed_ = true;
}

}  // namespace dlctl
