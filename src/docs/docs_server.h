#pragma once
// `dlctl docs serve`: the site over HTTP (cpp-httplib), with a JSON API for the lab's live state.
//   GET /                 the site (its embedded files; lab.js as of this request)
//   GET /api/lab          the lab's document, built for this request
//   GET /api/health       {"ok": true}
#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace dlctl::docs {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
};

// Serves until the process is stopped. `on_listening` hears the URL once the socket is bound;
// Error when it cannot be.
void ServeDocs(const ServeOptions& options, std::function<nlohmann::ordered_json()> lab,
               std::function<void(const std::string& url)> on_listening);

}  // namespace dlctl::docs
