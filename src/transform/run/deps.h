#pragma once
// `dlctl deps`: installs the packages of packages.yml (or dependencies.yml) into the project's
// packages-install-path (default dbt_packages/), as dbt deps does:
//   local:    a symlink to the folder (named after its dbt_project.yml's name)
//   tarball:  a URL (http, https) or a local path to a .tar.gz/.zip, downloaded and unpacked
//   package/git: dlctl reaches no package hub or git host; an installed copy is kept, else the
//             run fails with one line saying how to install it
#include <filesystem>
#include <string>
#include <vector>

namespace dlctl::transform {

struct InstalledPackage {
  std::string name;     // the package's name (dbt_project.yml)
  std::string source;   // what packages.yml said
  std::string action;   // "linked", "unpacked", "kept"
};

// Throws Error when an entry cannot be installed; packages installed before stay installed.
std::vector<InstalledPackage> InstallPackages(const std::filesystem::path& project_dir);

}  // namespace dlctl::transform
