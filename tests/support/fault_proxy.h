#pragma once
// A TCP proxy of ours between an S3 client (a store in the test, or a dlctl process) and the real
// radosgw, for tests of what happens when the network or the server misbehaves. It reads each
// HTTP/1.1 request head and either forwards the request or meets it with a fault:
//   - scripted: the next request matching a method and a part of its head (Add), or
//   - by chance: a percentage of all requests (FaultMix), drawn from a seeded generator.
// Faults: an answer of ours (503 SlowDown, or any scripted one), a connection dropped halfway
// through the request (the server never sees it), the server's answer cut halfway with a TCP
// reset (the server did the work), a delay, a stall. GoAway() makes the server vanish: the
// port refuses connections and open ones are closed.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace dlctl::testing {

// Shares of requests (in percent, summing to 100 at most) met by each fault.
struct FaultMix {
  int drop_percent = 0;   // closed halfway through the request's body (at once without a body)
  int reset_percent = 0;  // forwarded; the answer is cut halfway (through its body, else its head)
  int error_percent = 0;  // answered "503 SlowDown" by the proxy
  int delay_percent = 0;  // forwarded after delay_ms
  int delay_ms = 0;
  uint64_t seed = 1;
};

class FaultProxy {
 public:
  enum class Action { kForward, kRespond, kDrop, kReset, kDelay, kStall };
  struct Fault {
    std::string method;       // "GET", "PUT", ...
    std::string head_part;    // "" or a part of the request head, e.g. "uploadId="
    Action action;
    std::string response{};   // for kRespond: the raw HTTP response
  };

  explicit FaultProxy(int upstream_port, FaultMix mix = {});
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

  // The next request matching `fault` (and only that one) meets it, before any chance fault.
  void Add(Fault fault);
  // Faults by chance from now on.
  void SetMix(FaultMix mix);
  // The server is gone: nothing listens on the port any more, open connections are closed.
  void GoAway();
  // The server goes away when the `request`-th request from now on arrives (that one is dropped).
  void GoAwayAt(int request);
  // When the server went away; nullopt while it is there.
  std::optional<std::chrono::steady_clock::time_point> GoneSince();

  int Requests(const std::string& method);
  int TotalRequests();
  int Faults(Action action);  // how many requests met `action` (scripted or by chance)
  int Connections();
  std::vector<std::string> RequestHeads();

  // A complete response with an S3 <Error> body.
  static std::string ErrorResponse(int status, const std::string& reason, const std::string& code,
                                   const std::string& extra_headers = "");

 private:
  struct Connection;
  void Accept();
  void Serve(int client);
  Fault Decide(const std::string& method, const std::string& head);
  bool Inject(Connection& connection, const Fault& fault, const std::string& head);

  int upstream_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> gone_{false};
  std::atomic<bool> listener_closed_{false};
  std::atomic<int> serving_{0};  // connections not yet closed
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::deque<Fault> scripted_;
  FaultMix mix_;
  std::mt19937_64 chance_;
  std::map<std::string, int> requests_;
  std::map<Action, int> faults_;
  std::vector<std::string> heads_;
  int go_away_at_ = 0;  // 0: never; else the number of requests that makes the server go away
  std::optional<std::chrono::steady_clock::time_point> gone_since_;
};

}  // namespace dlctl::testing
