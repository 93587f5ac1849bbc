#include "support/chromium.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace dlctl::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string Base64Decode(const std::string& text) {
  std::string out(3 * text.size() / 4 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return "";
  size_t padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : !text.empty() && text.back() == '=' ? 1 : 0;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace

Chromium::Chromium() {
  int commands[2], replies[2];
  if (pipe(commands) != 0 || pipe(replies) != 0) throw std::runtime_error("pipe failed");
  std::string profile = "--user-data-dir=" + profile_.path().string();
  pid_ = fork();
  if (pid_ == 0) {
    // fd 3: what the browser reads; fd 4: what it writes.
    int in = dup(commands[0]), out = dup(replies[1]);
    dup2(in, 3);
    dup2(out, 4);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    for (int fd = 5; fd < 1024; ++fd) close(fd);
    execlp("chromium", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--window-size=1400,1000", "--remote-debugging-pipe", profile.c_str(),
           "about:blank", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(commands[0]);
  close(replies[1]);
  to_browser_ = commands[1];
  from_browser_ = replies[0];
  fcntl(to_browser_, F_SETFD, FD_CLOEXEC);
  fcntl(from_browser_, F_SETFD, FD_CLOEXEC);
  nlohmann::json target = Call("Target.createTarget", {{"url", "about:blank"}}, false);
  nlohmann::json attached =
      Call("Target.attachToTarget", {{"targetId", target.value("targetId", "")}, {"flatten", true}}, false);
  session_ = attached.value("sessionId", "");
  if (session_.empty()) {
    ADD_FAILURE() << "Chromium did not start (is it installed? scripts/install-deps.sh installs it)";
    return;
  }
  for (const char* domain : {"Page.enable", "Runtime.enable", "Log.enable"}) Call(domain);
}

Chromium::~Chromium() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 50 && waitpid(pid_, nullptr, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (to_browser_ >= 0) close(to_browser_);
  if (from_browser_ >= 0) close(from_browser_);
}

nlohmann::json Chromium::Read(double seconds) {
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (true) {
    size_t end = pending_.find('\0');
    if (end != std::string::npos) {
      std::string message = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return nlohmann::json::parse(message, nullptr, false);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return nullptr;
    pollfd fd{from_browser_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left)) <= 0) continue;
    char buffer[65536];
    ssize_t n = read(from_browser_, buffer, sizeof buffer);
    if (n <= 0) return nullptr;  // the browser went away
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

void Chromium::Note(const nlohmann::json& event) {
  std::string method = event.value("method", "");
  const nlohmann::json& params = event.contains("params") ? event["params"] : nlohmann::json::object();
  if (method == "Page.loadEventFired") loaded_ = true;
  if (method == "Runtime.exceptionThrown") {
    const auto& details = params["exceptionDetails"];
    errors_.push_back("exception: " + (details.contains("exception") ? details["exception"].value("description", "")
                                                                     : details.value("text", "")));
  }
  if (method == "Runtime.consoleAPICalled" && (params.value("type", "") == "error" || params.value("type", "") == "assert"))
    errors_.push_back("console." + params.value("type", "") + ": " + params["args"].dump());
  if (method == "Log.entryAdded" && params["entry"].value("level", "") == "error")
    errors_.push_back("log: " + params["entry"].value("text", "") + " " + params["entry"].value("url", ""));
}

nlohmann::json Chromium::Call(const std::string& method, const nlohmann::json& params, bool in_page) {
  int id = next_id_++;
  nlohmann::json message = {{"id", id}, {"method", method}, {"params", params}};
  if (in_page) message["sessionId"] = session_;
  std::string text = message.dump() + '\0';
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(to_browser_, text.data() + done, text.size() - done);
    if (n <= 0) {
      ADD_FAILURE() << "cannot talk to Chromium (" << method << ")";
      return nullptr;
    }
    done += static_cast<size_t>(n);
  }
  while (true) {
    nlohmann::json reply = Read(60);
    if (reply.is_null()) {
      ADD_FAILURE() << "no answer from Chromium to " << method;
      return nullptr;
    }
    if (!reply.contains("id")) {
      Note(reply);
      continue;
    }
    if (reply["id"] != id) continue;
    if (reply.contains("error")) {
      ADD_FAILURE() << method << ": " << reply["error"].dump();
      return nullptr;
    }
    return reply.value("result", nlohmann::json::object());
  }
}

void Chromium::Open(const std::string& url) {
  // By way of a blank page: going to another #fragment of the same page would load nothing.
  Call("Page.navigate", {{"url", "about:blank"}});
  loaded_ = false;
  Call("Page.navigate", {{"url", url}});
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!loaded_ && Clock::now() < deadline) {
    nlohmann::json event = Read(1);
    if (!event.is_null()) Note(event);
  }
  EXPECT_TRUE(loaded_) << url << " did not load";
}

nlohmann::json Chromium::Evaluate(const std::string& expression) {
  nlohmann::json result =
      Call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  if (result.is_null()) return nullptr;
  if (result.contains("exceptionDetails")) {
    ADD_FAILURE() << expression << " threw: " << result["exceptionDetails"].dump();
    return nullptr;
  }
  return result["result"].value("value", nlohmann::json());
}

bool Chromium::WaitFor(const std::string& expression, double seconds) {
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < deadline) {
    nlohmann::json value = Call("Runtime.evaluate", {{"expression", "!!(" + expression + ")"}, {"returnByValue", true}});
    if (!value.is_null() && value["result"].value("value", false)) return true;
    nlohmann::json event = Read(0.1);
    if (!event.is_null()) Note(event);
  }
  return false;
}

void Chromium::Click(double x, double y) {
  Call("Input.dispatchMouseEvent", {{"type", "mouseMoved"}, {"x", x}, {"y", y}});
  Call("Input.dispatchMouseEvent", {{"type", "mousePressed"}, {"x", x}, {"y", y}, {"button", "left"}, {"clickCount", 1}});
  Call("Input.dispatchMouseEvent", {{"type", "mouseReleased"}, {"x", x}, {"y", y}, {"button", "left"}, {"clickCount", 1}});
}

std::string Chromium::Screenshot() {
  nlohmann::json shot = Call("Page.captureScreenshot", {{"format", "png"}});
  return shot.is_null() ? "" : Base64Decode(shot.value("data", ""));
}

std::string SaveArtifact(const std::string& name, const std::string& bytes) {
  fs::path path = fs::path(RequiredEnv("DLCTL_TEST_ARTIFACTS_DIR")) / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

}  // namespace dlctl::testing
