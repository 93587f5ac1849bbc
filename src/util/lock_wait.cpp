#include "util/lock_wait.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>

namespace dlctl {

LockWait::LockWait(std::string file, std::chrono::milliseconds limit, std::string holder)
    : file_(std::move(file)), limit_(limit), holder_(std::move(holder)), start_(std::chrono::steady_clock::now()) {}

std::string LockWait::Holder(const std::string& detail) const {
  return detail.empty() ? holder_ : holder_ + " (" + detail + ")";
}

void LockWait::Restart() {
  start_ = std::chrono::steady_clock::now();
  attempts_ = 0;
}

bool LockWait::Retry(const std::string& detail) {
  auto waited = std::chrono::steady_clock::now() - start_;
  if (waited >= limit_) return false;
  if (!said_ && waited >= std::chrono::seconds(1)) {
    said_ = true;
    std::fprintf(stderr, "dlctl: waiting for %s: %s holds it (waiting up to %lld s, LOCK_WAIT_SECONDS)\n",
                 file_.c_str(), Holder(detail).c_str(),
                 static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(limit_).count()));
  }
  // 1, 2, 4, ... 64 ms, then 100 ms: a short lock is taken over quickly, a long one costs little.
  auto pause = std::chrono::milliseconds(std::min(100, 1 << std::min(attempts_++, 6)));
  std::this_thread::sleep_for(pause);
  return true;
}

std::string LockWait::TimeoutMessage(const std::string& detail) const {
  return file_ + " is still held by " + Holder(detail) + " after " +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(limit_).count()) +
         " s (LOCK_WAIT_SECONDS)";
}

std::string LockHolder(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  int rc = ::fcntl(fd, F_GETLK, &probe);
  ::close(fd);
  if (rc != 0 || probe.l_type == F_UNLCK || probe.l_pid <= 0) return "";
  std::string name;
  std::ifstream comm("/proc/" + std::to_string(probe.l_pid) + "/comm");
  std::getline(comm, name);
  return (name.empty() ? "" : name + ", ") + "PID " + std::to_string(probe.l_pid);
}

}  // namespace dlctl
