#pragma once
// The static docs site: the embedded files (site_assets.h) and lab.js, the lab's document as
// `window.DLCTL_LAB = {...}`, a script rather than a JSON file so the page works from file://.
#include <nlohmann/json.hpp>

#include <filesystem>

namespace dlctl::docs {

// <project>/target/docs: where dbt puts its docs too.
std::filesystem::path SiteFolder(const std::filesystem::path& project_dir);

// Writes the site into `folder` (created when missing): each file to a temporary name, then
// renamed, lab.js last, so a page open meanwhile never reads half a file.
void WriteSite(const std::filesystem::path& folder, const nlohmann::ordered_json& lab);

// lab.js's text for `lab`.
std::string LabScript(const nlohmann::ordered_json& lab);

}  // namespace dlctl::docs
