#pragma once
// The files of the docs site, compiled into dlctl: our page (index.html, app.js, style.css) and
// the JavaScript libraries scripts/install-deps.sh fetched from npm (pinned, checksummed).
#include <string_view>
#include <vector>

namespace dlctl::docs {

struct SiteFile {
  std::string_view path;          // under the site's folder: "index.html", "lib/cytoscape.min.js"
  std::string_view content;
  std::string_view content_type;  // for docs serve
};

const std::vector<SiteFile>& SiteFiles();

}  // namespace dlctl::docs
