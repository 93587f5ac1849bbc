// Start-up time of dlctl's commands that need no engine, beside /bin/true: the median wall time of
// `/bin/true`, `dlctl --version`, `dlctl --help` and `dlctl ingest ls` on a local default lab
// holding one dataset, and `dlctl query "SELECT 1"` (the engine module and DuckDB loaded) for
// scale. The commands run in turn, RUNS rounds, so a change of load hits all of them alike; each
// median wall time is also given as a ratio to /bin/true's from the same run, and the median CPU
// time (user + system, of the command alone), which a busy machine changes less.
// Usage: startup [DLCTL (default: this build's)] [RUNS (default 50)]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Timing {
  double wall_ms = 0;
  double cpu_ms = 0;
};

struct Command {
  std::string label;
  std::vector<std::string> argv;
};

double Millis(const timeval& time) { return time.tv_sec * 1e3 + time.tv_usec / 1e3; }

// Runs `argv` with stdout and stderr on /dev/null. Exits on failure.
Timing TimedRun(const std::vector<std::string>& argv, char** env) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int status = 0;
  rusage usage{};
  bool ok = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), env) == 0 &&
            wait4(pid, &status, 0, &usage) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  auto end = std::chrono::steady_clock::now();
  posix_spawn_file_actions_destroy(&actions);
  if (!ok) {
    std::string command;
    for (const std::string& arg : argv) command += (command.empty() ? "" : " ") + arg;
    std::fprintf(stderr, "startup: %s failed\n", command.c_str());
    std::exit(1);
  }
  return {std::chrono::duration<double, std::milli>(end - start).count(), Millis(usage.ru_utime) + Millis(usage.ru_stime)};
}

double Median(const std::vector<Timing>& timings, double Timing::*field) {
  std::vector<double> values;
  for (const Timing& timing : timings) values.push_back(timing.*field);
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dlctl = fs::absolute(argc > 1 ? argv[1] : DLCTL_BINARY).string();
  int runs = argc > 2 ? std::atoi(argv[2]) : 50;
  if (runs < 1 || !fs::exists(dlctl)) {
    std::fprintf(stderr, "usage: startup [DLCTL] [RUNS]\n");
    return 2;
  }

  // The lab: a folder with no .env, so the local default; the environment holds only PATH and HOME.
  fs::path lab = fs::temp_directory_path() / ("dlctl-startup-" + std::to_string(getpid()));
  fs::create_directories(lab);
  fs::current_path(lab);
  std::string path = std::string("PATH=") + (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  std::string home = "HOME=" + lab.string();
  std::vector<char*> env = {path.data(), home.data(), nullptr};
  std::ofstream("songs.csv") << "id,title\n1,One\n2,Two\n";
  TimedRun({dlctl, "ingest", "dataset", "songs.csv"}, env.data());

  const std::vector<Command> commands = {{"/bin/true", {"/bin/true"}},
                                         {"dlctl --version", {dlctl, "--version"}},
                                         {"dlctl --help", {dlctl, "--help"}},
                                         {"dlctl ingest ls", {dlctl, "ingest", "ls"}},
                                         {"dlctl query 'SELECT 1'", {dlctl, "query", "SELECT 1"}}};
  for (const Command& command : commands) TimedRun(command.argv, env.data());  // caches warm
  std::vector<std::vector<Timing>> timings(commands.size());
  for (int round = 0; round < runs; ++round)
    for (size_t i = 0; i < commands.size(); ++i) timings[i].push_back(TimedRun(commands[i].argv, env.data()));

  double baseline = Median(timings[0], &Timing::wall_ms);
  std::printf("%d runs each, medians (local default lab, %s)\n", runs, dlctl.c_str());
  std::printf("%-24s %12s %12s %12s\n", "command", "wall ms", "x /bin/true", "CPU ms");
  for (size_t i = 0; i < commands.size(); ++i) {
    double wall = Median(timings[i], &Timing::wall_ms);
    std::printf("%-24s %12.1f %12.1f %12.1f\n", commands[i].label.c_str(), wall, wall / baseline,
                Median(timings[i], &Timing::cpu_ms));
  }
  fs::current_path("/");
  fs::remove_all(lab);
  return 0;
}
