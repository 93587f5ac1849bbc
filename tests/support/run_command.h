#pragma once
// Runs a program (usually the dlctl binary) and captures what a user would see.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <sys/types.h>
#include <string>
#include <vector>

namespace dlctl::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

struct CommandOptions {
  std::filesystem::path cwd;                           // empty: the current folder
  std::map<std::string, std::string> env;              // added to (or replacing) a clean base environment
  std::optional<std::string> stdin_data;
  bool stderr_is_terminal = false;  // stderr goes to a pseudo-terminal (progress bars show)
  bool stdout_is_terminal = false;  // stdout goes to a pseudo-terminal (tables fit its width)
  unsigned short terminal_columns = 80;  // the pseudo-terminals' width
};

// Runs `argv` with a minimal environment (PATH, HOME, TMPDIR) plus options.env, so settings
// from the developer's shell never leak into a test.
CommandResult RunCommand(const std::vector<std::string>& argv, const CommandOptions& options = {});

// Runs $DLCTL_BINARY with `args`.
CommandResult RunDlctl(const std::vector<std::string>& args, const CommandOptions& options = {});

struct KilledCommandResult {
  CommandResult result;       // what it printed before it ended; exit_code 137 when the kill ended it
  bool killed = false;        // SIGKILL ended it: the kill landed while it ran
  double seconds = 0;         // from start to end
  double ready_seconds = -1;  // RunCommandKilledAfterReady: when `ready` first held (-1: never)
};

// Runs `argv` as RunCommand does, in a process group of its own, and sends that group SIGKILL
// `kill_after_seconds` after the start unless it ended before (kill -9 at a chosen moment).
KilledCommandResult RunCommandKilledAfter(const std::vector<std::string>& argv, double kill_after_seconds,
                                          const CommandOptions& options = {});

// The same with the delay counted from the first moment `ready()` returns true, polled every
// millisecond while it runs (kill -9 at a moment of its work, e.g. once a file appears).
KilledCommandResult RunCommandKilledAfterReady(const std::vector<std::string>& argv,
                                               const std::function<bool()>& ready, double kill_after_seconds,
                                               const CommandOptions& options = {});

// A program that runs while the test goes on (a server), with the same clean environment as
// RunCommand; stopped (SIGTERM, then waited for) when the object goes away.
class BackgroundCommand {
 public:
  BackgroundCommand(const std::vector<std::string>& argv, const CommandOptions& options = {});
  ~BackgroundCommand();
  BackgroundCommand(const BackgroundCommand&) = delete;
  BackgroundCommand& operator=(const BackgroundCommand&) = delete;

  // The next line of its stdout (without the newline), waiting up to `seconds`; nullopt when
  // none came (it exited or stayed quiet).
  std::optional<std::string> ReadLine(double seconds);

  // kill -9, as a crash would end it, then waits for it; nothing is left for the destructor to stop.
  void Kill();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string pending_;
};

// One line of text ending with its newline: what a failing command prints on stderr.
inline bool OneLine(const std::string& text) { return !text.empty() && text.find('\n') == text.size() - 1; }

}  // namespace dlctl::testing
