#include "support/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <thread>

#include "support/test_env.h"

namespace dlctl::testing {

namespace {

std::vector<std::string> CleanEnvironment(const CommandOptions& options) {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "TMPDIR", "LANG"})
    if (const char* v = std::getenv(name)) env[name] = v;
  for (const auto& [k, v] : options.env) env[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  return env_strings;
}

[[noreturn]] void Exec(const std::vector<std::string>& argv, const std::vector<std::string>& env_strings,
                       const CommandOptions& options) {
  if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(127);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env_strings) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  execvpe(args[0], args.data(), envp.data());
  _exit(127);
}

struct Spawned {
  pid_t pid = -1;
  int out = -1;  // read ends of its stdout and stderr
  int err = -1;
};

// Starts `argv` with its stdin fed from options.stdin_data; with `own_group` in a process group
// of its own, so a kill reaches whatever it started too.
Spawned Spawn(const std::vector<std::string>& argv, const CommandOptions& options, bool own_group) {
  std::vector<std::string> env_strings = CleanEnvironment(options);

  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC) || pipe2(in_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  winsize size{};
  size.ws_row = 24;
  size.ws_col = options.terminal_columns;
  // A terminal instead of a pipe: what the program writes is read back as written (no "\r\n").
  auto make_terminal = [&](int ends[2]) {
    close(ends[0]);
    close(ends[1]);
    if (openpty(&ends[0], &ends[1], nullptr, nullptr, &size) != 0) throw std::runtime_error("openpty failed");
    termios mode{};
    tcgetattr(ends[1], &mode);
    mode.c_oflag &= ~static_cast<tcflag_t>(OPOST);
    tcsetattr(ends[1], TCSANOW, &mode);
    fcntl(ends[0], F_SETFD, FD_CLOEXEC);
    fcntl(ends[1], F_SETFD, FD_CLOEXEC);
  };
  if (options.stdout_is_terminal) make_terminal(out_pipe);
  if (options.stderr_is_terminal) make_terminal(err_pipe);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (own_group) setpgid(0, 0);
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    Exec(argv, env_strings, options);
  }
  if (own_group) setpgid(pid, pid);  // also here: the kill may come before the child runs
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(in_pipe[0]);
  if (options.stdin_data) {
    const std::string& data = *options.stdin_data;
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = write(in_pipe[1], data.data() + done, data.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
  }
  close(in_pipe[1]);
  return {pid, out_pipe[0], err_pipe[0]};
}

using Clock = std::chrono::steady_clock;

// When to kill -9 a command: `delay` after the first moment `ready` holds (polled every
// millisecond), or after the start when there is no `ready`.
struct KillPlan {
  Clock::time_point start;
  Clock::duration delay;
  const std::function<bool()>* ready = nullptr;
};

Clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// Reads its output until both pipes close and waits for it; with a `plan`, sends its process
// group SIGKILL at the planned moment if it still runs then. Returns the wait status; sets
// `ready_at` when the plan's condition held.
int Collect(const Spawned& spawned, CommandResult& result, const KillPlan* plan,
            std::optional<Clock::time_point>* ready_at = nullptr) {
  bool armed = plan != nullptr;
  bool ready = armed && !plan->ready;
  Clock::time_point deadline = ready ? plan->start + plan->delay : Clock::time_point::max();
  // Milliseconds to wait before looking again (-1: nothing to look for); at the moment, kills
  // and disarms.
  auto wait_ms = [&]() -> int {
    if (!armed) return -1;
    if (!ready) {
      if (!(*plan->ready)()) return 1;
      ready = true;
      deadline = Clock::now() + plan->delay;
      if (ready_at) *ready_at = Clock::now();
    }
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left > 0) return static_cast<int>(left);
    kill(-spawned.pid, SIGKILL);
    armed = false;
    return -1;
  };
  pollfd fds[2] = {{spawned.out, POLLIN, 0}, {spawned.err, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    if (poll(fds, 2, wait_ms()) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  // Its output closed before the moment came: it is ending, or runs on until the kill.
  while (armed) {
    if (waitpid(spawned.pid, &status, WNOHANG) == spawned.pid) return status;
    int wait = wait_ms();
    if (wait < 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(wait, 1)));
  }
  waitpid(spawned.pid, &status, 0);
  return status;
}

int ExitCodeOf(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

KilledCommandResult RunKilled(const std::vector<std::string>& argv, const KillPlan& plan,
                              const CommandOptions& options) {
  Spawned spawned = Spawn(argv, options, true);
  KilledCommandResult killed;
  std::optional<Clock::time_point> ready_at;
  int status = Collect(spawned, killed.result, &plan, &ready_at);
  killed.seconds = std::chrono::duration<double>(Clock::now() - plan.start).count();
  if (ready_at) killed.ready_seconds = std::chrono::duration<double>(*ready_at - plan.start).count();
  killed.result.exit_code = ExitCodeOf(status);
  killed.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  return killed;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv, const CommandOptions& options) {
  Spawned spawned = Spawn(argv, options, false);
  CommandResult result;
  result.exit_code = ExitCodeOf(Collect(spawned, result, nullptr));
  return result;
}

KilledCommandResult RunCommandKilledAfter(const std::vector<std::string>& argv, double kill_after_seconds,
                                          const CommandOptions& options) {
  return RunKilled(argv, {Clock::now(), Seconds(kill_after_seconds)}, options);
}

KilledCommandResult RunCommandKilledAfterReady(const std::vector<std::string>& argv,
                                               const std::function<bool()>& ready, double kill_after_seconds,
                                               const CommandOptions& options) {
  return RunKilled(argv, {Clock::now(), Seconds(kill_after_seconds), &ready}, options);
}

CommandResult RunDlctl(const std::vector<std::string>& args, const CommandOptions& options) {
  std::vector<std::string> argv = {RequiredEnv("DLCTL_BINARY")};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, options);
}

BackgroundCommand::BackgroundCommand(const std::vector<std::string>& argv, const CommandOptions& options) {
  std::vector<std::string> env_strings = CleanEnvironment(options);
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC)) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    Exec(argv, env_strings, options);
  }
  close(out_pipe[1]);
  out_ = out_pipe[0];
}

BackgroundCommand::~BackgroundCommand() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  close(out_);
}

void BackgroundCommand::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::optional<std::string> BackgroundCommand::ReadLine(double seconds) {
  int left_ms = static_cast<int>(seconds * 1000);
  while (true) {
    size_t end = pending_.find('\n');
    if (end != std::string::npos) {
      std::string line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return line;
    }
    pollfd fd{out_, POLLIN, 0};
    if (left_ms <= 0 || poll(&fd, 1, 100) < 0) return std::nullopt;
    left_ms -= 100;
    if (!(fd.revents & (POLLIN | POLLHUP))) continue;
    char buffer[4096];
    ssize_t n = read(out_, buffer, sizeof buffer);
    if (n <= 0) return std::nullopt;
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace dlctl::testing
