#include "docs/docs_server.h"

#include <httplib.h>

#include <mutex>

#include "docs/site.h"
#include "docs/site_assets.h"
#include "util/error.h"

namespace dlctl::docs {

void ServeDocs(const ServeOptions& options, std::function<nlohmann::ordered_json()> lab,
               std::function<void(const std::string& url)> on_listening) {
  httplib::Server server;
  std::mutex building;  // one document at a time: building reads every catalog
  auto document = [&] {
    std::lock_guard lock(building);
    return lab();
  };
  for (const SiteFile& file : SiteFiles()) {
    std::string path = "/" + std::string(file.path);
    server.Get(path, [file](const httplib::Request&, httplib::Response& response) {
      response.set_content(file.content.data(), file.content.size(), std::string(file.content_type).c_str());
    });
    if (file.path == "index.html")
      server.Get("/", [file](const httplib::Request&, httplib::Response& response) {
        response.set_content(file.content.data(), file.content.size(), std::string(file.content_type).c_str());
      });
  }
  server.Get("/lab.js", [&](const httplib::Request&, httplib::Response& response) {
    response.set_content(LabScript(document()), "text/javascript; charset=utf-8");
  });
  server.Get("/api/lab", [&](const httplib::Request&, httplib::Response& response) {
    response.set_content(document().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/json");
  });
  server.Get("/api/health", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("{\"ok\":true}", "application/json");
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
    std::string message = "internal error";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
    }
    response.status = 500;
    response.set_content(nlohmann::json({{"error", message}}).dump(), "application/json");
  });

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) throw Error("cannot listen on " + options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    throw Error("cannot listen on " + options.host + ":" + std::to_string(port) + " (in use? try --port)");
  }
  on_listening("http://" + options.host + ":" + std::to_string(port) + "/");
  if (!server.listen_after_bind()) throw Error("the docs server stopped");
}

}  // namespace dlctl::docs
