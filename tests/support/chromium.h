#pragma once
// Headless Chromium from Debian, driven over the DevTools protocol on pipes
// (--remote-debugging-pipe: commands go to its fd 3, replies and events come from its fd 4, each
// message JSON ending with '\0'), so browser tests need no WebSocket and no network.
#include <nlohmann/json.hpp>

#include <string>
#include <sys/types.h>
#include <vector>

#include "support/test_env.h"

namespace dlctl::testing {

class Chromium {
 public:
  Chromium();  // a fresh profile in a temp folder; fails the test when Chromium cannot start
  ~Chromium();
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  // Opens `url` in the page (a fresh load, even when only its #fragment differs from the page's)
  // and waits for its load event.
  void Open(const std::string& url);
  // The value of `expression` in the page (promises awaited); a thrown exception fails the test.
  nlohmann::json Evaluate(const std::string& expression);
  // Polls until `expression` is truthy; false after `seconds`.
  bool WaitFor(const std::string& expression, double seconds = 20);
  // A left click at page coordinates, as a mouse makes it.
  void Click(double x, double y);
  // The page as PNG bytes.
  std::string Screenshot();
  // Uncaught exceptions, console.error/assert calls and failed loads so far, one line each.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  nlohmann::json Call(const std::string& method, const nlohmann::json& params = nlohmann::json::object(),
                      bool in_page = true);
  nlohmann::json Read(double seconds);  // the next message; null when none came in time
  void Note(const nlohmann::json& event);

  TempDir profile_;
  pid_t pid_ = -1;
  int to_browser_ = -1, from_browser_ = -1;
  std::string pending_;  // bytes read after the last complete message
  int next_id_ = 1;
  std::string session_;
  bool loaded_ = false;
  std::vector<std::string> errors_;
};

// Writes `bytes` to <build>/test-artifacts/<name> (kept after the test) and returns the path.
std::string SaveArtifact(const std::string& name, const std::string& bytes);

}  // namespace dlctl::testing
