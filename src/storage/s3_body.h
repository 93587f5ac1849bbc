#pragma once
// What a request sends (RequestBody) and where a 2xx response body goes (ResponseSink). Both can
// start over, because a retried request sends and receives everything again.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace dlctl {

class RequestBody {
 public:
  virtual ~RequestBody() = default;
  virtual uint64_t size() const = 0;
  // Copies up to `length` bytes starting at `offset` into `out`; returns the count.
  virtual size_t ReadAt(uint64_t offset, char* out, size_t length) = 0;
};

// Bytes in memory: borrowed (the caller keeps them alive) or owned.
class MemoryBody : public RequestBody {
 public:
  explicit MemoryBody(std::string_view borrowed) : data_(borrowed) {}
  explicit MemoryBody(std::string&& owned) : owned_(std::move(owned)), data_(owned_) {}
  MemoryBody(const MemoryBody&) = delete;
  MemoryBody& operator=(const MemoryBody&) = delete;
  uint64_t size() const override { return data_.size(); }
  size_t ReadAt(uint64_t offset, char* out, size_t length) override;

 private:
  std::string owned_;
  std::string_view data_;
};

// A byte range of an open file, read with pread so parts of one file can go out in parallel.
class FileRangeBody : public RequestBody {
 public:
  FileRangeBody(int fd, const std::filesystem::path& path, uint64_t offset, uint64_t size)
      : fd_(fd), path_(path), offset_(offset), size_(size) {}
  uint64_t size() const override { return size_; }
  size_t ReadAt(uint64_t offset, char* out, size_t length) override;

 private:
  int fd_;
  std::filesystem::path path_;
  uint64_t offset_, size_;
};

class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  virtual void Restart() = 0;  // a new attempt begins: forget what the last one delivered
  virtual void Write(const char* data, size_t size) = 0;
};

class StringSink : public ResponseSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void Restart() override { out_.clear(); }
  void Write(const char* data, size_t size) override { out_.append(data, size); }

 private:
  std::string& out_;
};

// Fills a caller's buffer; whatever does not fit is dropped.
class BufferSink : public ResponseSink {
 public:
  BufferSink(char* out, size_t capacity) : out_(out), capacity_(capacity) {}
  void Restart() override { filled_ = 0; }
  void Write(const char* data, size_t size) override;
  size_t filled() const { return filled_; }

 private:
  char* out_;
  size_t capacity_;
  size_t filled_ = 0;
};

// Writes at `offset` of an open file with pwrite, so ranges of one file can arrive in parallel.
class FileSink : public ResponseSink {
 public:
  FileSink(int fd, const std::filesystem::path& path, uint64_t offset) : fd_(fd), path_(path), offset_(offset) {}
  void Restart() override { written_ = 0; }
  void Write(const char* data, size_t size) override;
  uint64_t written() const { return written_; }

 private:
  int fd_;
  std::filesystem::path path_;
  uint64_t offset_, written_ = 0;
};

// Owns a file descriptor.
class FileDescriptor {
 public:
  FileDescriptor(const std::filesystem::path& path, int flags);  // throws Error naming the path
  ~FileDescriptor();
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  void Close();  // reports write-back errors, unlike the destructor

 private:
  std::filesystem::path path_;
  int fd_;
};

}  // namespace dlctl
