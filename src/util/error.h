#pragma once
// The one error policy of dlctl: failures are exceptions carrying a one-line message and
// the exit code the CLI should return (1 = the operation failed, 2 = bad usage or settings).
#include <stdexcept>
#include <string>

namespace dlctl {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = kExitFailure)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Bad command-line input or settings: exit code 2.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, kExitUsage) {}
};

// An object, dataset or version that does not exist.
class NotFoundError : public Error {
 public:
  explicit NotFoundError(const std::string& message) : Error(message) {}
};

// `message` as dlctl prints it after "dlctl: error: ": its first line, then every further line
// indented by two spaces, so context a library gives (DuckDB's LINE of SQL with a caret under
// the error) stays readable and aligned.
inline std::string IndentedLines(const std::string& message) {
  std::string out;
  for (char c : message) {
    if (c == '\r') continue;
    out += c;
    if (c == '\n') out += "  ";
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// `message` with its line breaks turned into spaces, for messages from other programs and
// libraries (which may span lines): dlctl prints every error on one line.
inline std::string OneLine(std::string message) {
  for (char& c : message)
    if (c == '\n' || c == '\r') c = ' ';
  return message;
}

}  // namespace dlctl
