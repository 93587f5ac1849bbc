#include "storage/s3_connection_pool.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/error.h"

namespace dlctl {

PooledCurl::PooledCurl() : curl_(curl_easy_init()) {
  if (!curl_) throw Error("cannot create a libcurl handle (out of memory?)");
}

PooledCurl::~PooledCurl() { curl_easy_cleanup(curl_); }

void PooledCurl::Reset() {
  curl_easy_reset(curl_);
  curl_easy_setopt(curl_, CURLOPT_OPENSOCKETFUNCTION, Open);
  curl_easy_setopt(curl_, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(curl_, CURLOPT_CLOSESOCKETFUNCTION, Close);
  curl_easy_setopt(curl_, CURLOPT_CLOSESOCKETDATA, this);
}

void PooledCurl::AckNow() const {
  int on = 1;
  if (socket_ != CURL_SOCKET_BAD) ::setsockopt(socket_, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
}

void PooledCurl::DropConnection() {
  CURL* fresh = curl_easy_init();
  if (!fresh) return;  // keep the old handle; the next request may fail and be retried
  curl_easy_cleanup(curl_);
  curl_ = fresh;
}

curl_socket_t PooledCurl::Open(void* self, curlsocktype, curl_sockaddr* address) {
  curl_socket_t socket = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  static_cast<PooledCurl*>(self)->socket_ = socket;
  return socket;
}

int PooledCurl::Close(void* self, curl_socket_t socket) {
  auto* handle = static_cast<PooledCurl*>(self);
  if (handle->socket_ == socket) handle->socket_ = CURL_SOCKET_BAD;
  return ::close(socket);
}

CurlHandlePool::CurlHandlePool() {
  // Not thread-safe in curl 7.88, and every S3 request goes through a pool: do it once here.
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) throw Error(std::string("cannot initialise libcurl: ") + curl_easy_strerror(init));
}

CurlHandlePool::Lease CurlHandlePool::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<PooledCurl> handle = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(handle));
    }
  }
  return Lease(this, std::make_unique<PooledCurl>());
}

void CurlHandlePool::Release(std::unique_ptr<PooledCurl> handle) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(handle));
}

}  // namespace dlctl
