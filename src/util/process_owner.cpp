#include "util/process_owner.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <limits.h>

namespace dlctl {
namespace {

// Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. The second
// field (the command name, in parentheses) may hold spaces, so counting starts after its ')'.
std::optional<uint64_t> StartTicks(int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = stat.rfind(')');
  if (at == std::string::npos) return std::nullopt;
  int field = 2;  // `at` ends field 2; each space found starts the next one
  while (field < 22) {
    at = stat.find(' ', at + 1);
    if (at == std::string::npos) return std::nullopt;
    ++field;
  }
  uint64_t ticks = 0;
  const char* begin = stat.data() + at + 1;
  auto [end, error] = std::from_chars(begin, stat.data() + stat.size(), ticks);
  if (error != std::errc() || end == begin) return std::nullopt;
  return ticks;
}

std::string HostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  std::string host = name;
  for (char& c : host)  // a host name goes into file names
    if (c == '/' || c == ' ') c = '_';
  return host;
}

template <typename T>
std::optional<T> Number(std::string_view text) {
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

const ProcessOwner& CurrentProcess() {
  static const ProcessOwner self = [] {
    ProcessOwner owner;
    owner.pid = ::getpid();
    owner.start_ticks = StartTicks(owner.pid).value_or(0);
    owner.host = HostName();
    return owner;
  }();
  return self;
}

std::string OwnerTag(const ProcessOwner& owner) {
  return std::to_string(owner.pid) + "-" + std::to_string(owner.start_ticks) + "-" + owner.host;
}

std::optional<ProcessOwner> ParseOwnerTag(std::string_view tag) {
  size_t first = tag.find('-');
  size_t second = first == std::string_view::npos ? first : tag.find('-', first + 1);
  if (second == std::string_view::npos || second + 1 >= tag.size()) return std::nullopt;
  auto pid = Number<int64_t>(tag.substr(0, first));
  auto ticks = Number<uint64_t>(tag.substr(first + 1, second - first - 1));
  if (!pid || *pid <= 0 || !ticks) return std::nullopt;
  return ProcessOwner{*pid, *ticks, std::string(tag.substr(second + 1))};
}

Liveness CheckLiveness(const ProcessOwner& owner) {
  if (owner.host != CurrentProcess().host) return Liveness::kUnknown;
  std::optional<uint64_t> ticks = StartTicks(owner.pid);
  return ticks && *ticks == owner.start_ticks ? Liveness::kAlive : Liveness::kDead;
}

bool IsAbandonedWork(Liveness owner, TimePoint last_activity, TimePoint now) {
  return owner == Liveness::kDead || (owner == Liveness::kUnknown && now - last_activity >= kAbandonedAge);
}

}  // namespace dlctl
