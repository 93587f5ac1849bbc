#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>

namespace dlctl::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n, size -= static_cast<size_t>(n);
  }
  return true;
}

bool WriteAll(int fd, const std::string& data) { return WriteAll(fd, data.data(), data.size()); }

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The Content-Length of a message head; nullopt when it has none.
std::optional<uint64_t> ContentLength(const std::string& head) {
  std::string lower = Lower(head);
  size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(head.substr(at + 17));
}

// Closes with a TCP reset instead of an orderly end: what a crashed peer or a middlebox does.
void Reset(int fd) {
  linger abort{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  ::close(fd);
}

// Waits up to 50 ms for `fd` to be readable, then reads what is there; <= 0: closed or nothing.
ssize_t ReadSome(int fd, char* buffer, size_t size) {
  pollfd ready{fd, POLLIN, 0};
  if (::poll(&ready, 1, 50) <= 0) return -2;  // nothing yet
  return ::read(fd, buffer, size);
}

}  // namespace

// One client connection: the request being forwarded, and the answer being cut when it is to be.
struct FaultProxy::Connection {
  int client = -1;
  int upstream = -1;
  std::string pending;          // bytes from the client not forwarded yet
  uint64_t body_left = 0;       // body bytes of the current request still to forward
  std::string method;           // of the current request
  bool cut_answer = false;      // the current request's answer is cut halfway (kReset)
  std::string answer;           // the answer held back while it is being cut
};

FaultProxy::FaultProxy(int upstream_port, FaultMix mix) : upstream_port_(upstream_port), mix_(mix), chance_(mix.seed) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(listener_, 128) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("the fault proxy cannot listen");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(connections_);
  }
  for (auto& thread : threads) thread.join();
  if (!listener_closed_) ::close(listener_);
}

void FaultProxy::Add(Fault fault) {
  std::lock_guard lock(mutex_);
  scripted_.push_back(std::move(fault));
}

void FaultProxy::SetMix(FaultMix mix) {
  std::lock_guard lock(mutex_);
  mix_ = mix;
  chance_.seed(mix.seed);
}

void FaultProxy::GoAway() {
  {
    std::lock_guard lock(mutex_);
    if (!gone_since_) gone_since_ = Clock::now();
  }
  gone_ = true;
  // A kept-alive connection must end too, or a request already on its way would still pass.
  while (!listener_closed_ || serving_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

void FaultProxy::GoAwayAt(int request) {
  std::lock_guard lock(mutex_);
  int total = 0;
  for (const auto& [method, count] : requests_) total += count;
  go_away_at_ = total + request;
}

std::optional<std::chrono::steady_clock::time_point> FaultProxy::GoneSince() {
  std::lock_guard lock(mutex_);
  return gone_since_;
}

int FaultProxy::Requests(const std::string& method) {
  std::lock_guard lock(mutex_);
  return requests_[method];
}

int FaultProxy::TotalRequests() {
  std::lock_guard lock(mutex_);
  int total = 0;
  for (const auto& [method, count] : requests_) total += count;
  return total;
}

int FaultProxy::Faults(Action action) {
  std::lock_guard lock(mutex_);
  return faults_[action];
}

int FaultProxy::Connections() {
  std::lock_guard lock(mutex_);
  return static_cast<int>(connections_.size());
}

std::vector<std::string> FaultProxy::RequestHeads() {
  std::lock_guard lock(mutex_);
  return heads_;
}

std::string FaultProxy::ErrorResponse(int status, const std::string& reason, const std::string& code,
                                      const std::string& extra_headers) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code +
                     "</Code><Message>scripted by the test proxy</Message></Error>";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: application/xml\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void FaultProxy::Accept() {
  while (!stop_) {
    if (gone_) {
      ::close(listener_);
      listener_closed_ = true;
      return;
    }
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    ++serving_;
    connections_.emplace_back([this, client] { Serve(client); });
  }
}

FaultProxy::Fault FaultProxy::Decide(const std::string& method, const std::string& head) {
  Fault decided{method, "", Action::kForward};
  {
    std::lock_guard lock(mutex_);
    heads_.push_back(head);
    ++requests_[method];
    if (go_away_at_ > 0 && static_cast<int>(heads_.size()) >= go_away_at_ && !gone_since_) {
      gone_since_ = Clock::now();
      gone_ = true;  // the acceptor closes the port, every connection ends
      return {method, "", Action::kDrop};
    }
    auto scripted = std::find_if(scripted_.begin(), scripted_.end(), [&](const Fault& fault) {
      return fault.method == method && head.find(fault.head_part) != std::string::npos;
    });
    if (scripted != scripted_.end()) {
      decided = *scripted;
      scripted_.erase(scripted);
    } else {
      int roll = static_cast<int>(chance_() % 100);
      for (auto [share, action] : {std::pair{mix_.drop_percent, Action::kDrop}, {mix_.reset_percent, Action::kReset},
                                   {mix_.error_percent, Action::kRespond}, {mix_.delay_percent, Action::kDelay}}) {
        if (roll < share) {
          decided.action = action;
          if (action == Action::kRespond) decided.response = ErrorResponse(503, "Slow Down", "SlowDown");
          break;
        }
        roll -= share;
      }
    }
    if (decided.action != Action::kForward) ++faults_[decided.action];
  }
  if (decided.action == Action::kDelay) std::this_thread::sleep_for(std::chrono::milliseconds(mix_.delay_ms));
  return decided;
}

// Meets a request with a fault that ends its connection; false when the connection is over.
bool FaultProxy::Inject(Connection& c, const Fault& fault, const std::string& head) {
  if (fault.action == Action::kStall) {  // until the client gives up
    for (auto start = Clock::now(); !stop_ && !gone_ && Clock::now() - start < std::chrono::seconds(20);) {
      char buffer[65536];
      if (ssize_t n = ReadSome(c.client, buffer, sizeof buffer); n == 0 || n == -1) return false;
    }
    return false;
  }
  if (head.find("100-continue") != std::string::npos) WriteAll(c.client, "HTTP/1.1 100 Continue\r\n\r\n");
  // A dropped connection goes halfway through the body; an answer of ours comes after all of it.
  uint64_t to_read = fault.action == Action::kDrop ? c.body_left / 2 : c.body_left;
  uint64_t taken = std::min<uint64_t>(to_read, c.pending.size());
  for (to_read -= taken; to_read > 0 && !stop_ && !gone_;) {
    char buffer[65536];
    ssize_t n = ReadSome(c.client, buffer, std::min<uint64_t>(sizeof buffer, to_read));
    if (n == 0 || n == -1) return false;
    if (n > 0) to_read -= static_cast<uint64_t>(n);
  }
  if (fault.action == Action::kRespond) WriteAll(c.client, fault.response);
  return false;
}

void FaultProxy::Serve(int client) {
  Connection c;
  c.client = client;
  char buffer[1 << 16];
  bool open = true;
  bool reset = false;
  while (open && !stop_ && !gone_) {
    pollfd ready[2] = {{c.client, POLLIN, 0}, {c.upstream, POLLIN, 0}};
    if (::poll(ready, c.upstream < 0 ? 1 : 2, 50) <= 0) continue;
    if (c.upstream >= 0 && (ready[1].revents & (POLLIN | POLLHUP))) {
      ssize_t n = ::read(c.upstream, buffer, sizeof buffer);
      if (n <= 0) break;
      if (!c.cut_answer) {
        if (!WriteAll(c.client, buffer, static_cast<size_t>(n))) break;
      } else {
        c.answer.append(buffer, static_cast<size_t>(n));
        // Interim answers (100 Continue) pass; the final one is cut halfway with a reset.
        for (size_t end; (end = c.answer.find("\r\n\r\n")) != std::string::npos;) {
          std::string head = c.answer.substr(0, end + 4);
          if (head.rfind("HTTP/1.1 1", 0) == 0) {
            WriteAll(c.client, head);
            c.answer.erase(0, head.size());
            continue;
          }
          std::optional<uint64_t> length = ContentLength(head);
          bool body = c.method != "HEAD" && length && *length > 0;
          size_t cut = body ? head.size() + static_cast<size_t>(*length / 2) : head.size() / 2;
          if (c.answer.size() >= cut) {
            WriteAll(c.client, c.answer.data(), cut);
            open = false, reset = true;
          }
          break;
        }
      }
    }
    if (!open || !(ready[0].revents & (POLLIN | POLLHUP))) continue;
    ssize_t n = ::read(c.client, buffer, sizeof buffer);
    if (n <= 0) break;
    c.pending.append(buffer, static_cast<size_t>(n));
    while (open && !c.pending.empty()) {
      if (c.body_left > 0) {
        size_t k = std::min<uint64_t>(c.body_left, c.pending.size());
        open = WriteAll(c.upstream, c.pending.data(), k);
        c.pending.erase(0, k);
        c.body_left -= k;
        continue;
      }
      size_t end = c.pending.find("\r\n\r\n");
      if (end == std::string::npos) break;
      std::string head = c.pending.substr(0, end + 4);
      c.pending.erase(0, end + 4);
      c.method = head.substr(0, head.find(' '));
      c.body_left = ContentLength(head).value_or(0);
      Fault fault = Decide(c.method, head);
      if (fault.action == Action::kRespond || fault.action == Action::kDrop || fault.action == Action::kStall) {
        open = Inject(c, fault, head);
        break;
      }
      c.cut_answer = fault.action == Action::kReset;
      c.answer.clear();
      if (c.upstream < 0) {
        c.upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<uint16_t>(upstream_port_));
        if (::connect(c.upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) open = false;
      }
      open = open && WriteAll(c.upstream, head);
    }
  }
  if (c.upstream >= 0) ::close(c.upstream);
  if (reset || gone_) Reset(c.client);
  else ::close(c.client);
  --serving_;
}

}  // namespace dlctl::testing
