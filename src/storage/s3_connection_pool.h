#pragma once
// Idle curl easy handles. A handle keeps its connection open after a request, so taking one
// from the pool reuses a connection instead of opening a new one.
#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <vector>

namespace dlctl {

// A curl handle and the socket of the connection it opened last (all requests go to one
// endpoint, so a handle has at most one connection).
class PooledCurl {
 public:
  PooledCurl();
  ~PooledCurl();
  PooledCurl(const PooledCurl&) = delete;
  PooledCurl& operator=(const PooledCurl&) = delete;

  CURL* get() const { return curl_; }
  // curl_easy_reset, which keeps the connection, then the options that track its socket.
  void Reset();
  // ACKs what has arrived now instead of after Linux's delayed-ACK timeout. radosgw sends
  // headers and body in separate writes with Nagle on, so on a reused connection every small
  // body waited 40 ms for our ACK of the headers.
  void AckNow() const;
  // Closes the connection (by starting over with a new handle). radosgw may answer an error
  // without reading the request body; the unread bytes would be taken for the next request.
  void DropConnection();

 private:
  static curl_socket_t Open(void* self, curlsocktype purpose, curl_sockaddr* address);
  static int Close(void* self, curl_socket_t socket);

  CURL* curl_;
  curl_socket_t socket_ = CURL_SOCKET_BAD;
};

class CurlHandlePool {
 public:
  // A handle on loan; goes back to the pool when the lease ends.
  class Lease {
   public:
    Lease(CurlHandlePool* pool, std::unique_ptr<PooledCurl> handle) : pool_(pool), handle_(std::move(handle)) {}
    Lease(Lease&&) = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (handle_) pool_->Release(std::move(handle_));
    }
    PooledCurl& operator*() const { return *handle_; }

   private:
    CurlHandlePool* pool_;
    std::unique_ptr<PooledCurl> handle_;
  };

  CurlHandlePool();
  Lease Acquire();

 private:
  void Release(std::unique_ptr<PooledCurl> handle);

  std::mutex mutex_;
  std::vector<std::unique_ptr<PooledCurl>> idle_;
};

}  // namespace dlctl
