#include "storage/s3_body.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace dlctl {
namespace {

std::string SystemError(const char* what, const std::filesystem::path& path) {
  return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

}  // namespace

size_t MemoryBody::ReadAt(uint64_t offset, char* out, size_t length) {
  if (offset >= data_.size()) return 0;
  size_t n = std::min<uint64_t>(length, data_.size() - offset);
  std::memcpy(out, data_.data() + offset, n);
  return n;
}

size_t FileRangeBody::ReadAt(uint64_t offset, char* out, size_t length) {
  if (offset >= size_) return 0;
  size_t want = std::min<uint64_t>(length, size_ - offset);
  for (;;) {
    ssize_t n = ::pread(fd_, out, want, static_cast<off_t>(offset_ + offset));
    if (n >= 0) {
      if (n == 0) throw Error("file " + path_.string() + " got shorter while it was being uploaded");
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) throw Error(SystemError("cannot read", path_));
  }
}

void BufferSink::Write(const char* data, size_t size) {
  size_t n = std::min(size, capacity_ - filled_);
  std::memcpy(out_ + filled_, data, n);
  filled_ += n;
}

void FileSink::Write(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd_, data, size, static_cast<off_t>(offset_ + written_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(SystemError("cannot write", path_));
    data += n, size -= static_cast<size_t>(n), written_ += static_cast<uint64_t>(n);
  }
}

FileDescriptor::FileDescriptor(const std::filesystem::path& path, int flags)
    : path_(path), fd_(::open(path.c_str(), flags | O_CLOEXEC, 0666)) {
  if (fd_ < 0) throw Error(SystemError((flags & O_ACCMODE) == O_RDONLY ? "cannot read" : "cannot create", path));
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

void FileDescriptor::Close() {
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw Error(SystemError("cannot write", path_));
}

}  // namespace dlctl
