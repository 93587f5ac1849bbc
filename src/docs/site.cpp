#include "docs/site.h"

#include <fstream>

#include "docs/site_assets.h"
#include "util/error.h"

namespace dlctl::docs {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, std::string_view content) {
  fs::create_directories(path.parent_path());
  fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out.flush()) throw Error("cannot write " + temporary.string());
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw Error("cannot write " + path.string() + ": " + ec.message());
}

}  // namespace

fs::path SiteFolder(const fs::path& project_dir) { return project_dir / "target" / "docs"; }

std::string LabScript(const nlohmann::ordered_json& lab) {
  // Invalid UTF-8 in a name or a message must not stop the site.
  return "window.DLCTL_LAB = " + lab.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ";\n";
}

void WriteSite(const fs::path& folder, const nlohmann::ordered_json& lab) {
  for (const SiteFile& file : SiteFiles()) WriteFile(folder / file.path, file.content);
  WriteFile(folder / "lab.js", LabScript(lab));
}

}  // namespace dlctl::docs
