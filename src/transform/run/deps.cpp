#include "transform/run/deps.h"

#include "ingest/archive_unpack.h"
#include "ingest/http_client.h"
#include "transform/project/project.h"
#include "transform/project/yaml.h"
#include "util/error.h"
#include "util/scratch_folder.h"

namespace dlctl::transform {
namespace fs = std::filesystem;
namespace {

std::string PackageName(const fs::path& folder) {
  fs::path file = folder / "dbt_project.yml";
  if (!fs::is_regular_file(file)) throw NotFoundError(file.generic_string() + ": not a dbt package (no dbt_project.yml)");
  YamlFile yaml = LoadYamlFile(file, file.lexically_normal().generic_string());
  if (!yaml.root.IsMap() || !yaml.root["name"].IsDefined()) FailAt(yaml, yaml.root, "the package needs a name");
  return ScalarText(yaml, yaml.root["name"], "name");
}

std::string InstallPath(const fs::path& project_dir) {
  YamlFile yaml = LoadYamlFile(project_dir / "dbt_project.yml", (project_dir / "dbt_project.yml").generic_string());
  if (yaml.root.IsMap() && yaml.root["packages-install-path"].IsDefined())
    return ScalarText(yaml, yaml.root["packages-install-path"], "packages-install-path");
  return "dbt_packages";
}

void Replace(const fs::path& target) {
  std::error_code ec;
  if (fs::is_symlink(target, ec)) fs::remove(target, ec);
  else if (fs::exists(target, ec)) fs::remove_all(target, ec);
  if (ec) throw Error(target.string() + ": cannot remove the old package: " + ec.message());
}

// The folder holding dbt_project.yml: the top of the archive or its single top folder.
fs::path PackageRoot(const fs::path& unpacked, const std::string& source) {
  if (fs::is_regular_file(unpacked / "dbt_project.yml")) return unpacked;
  for (const auto& entry : fs::directory_iterator(unpacked))
    if (entry.is_directory() && fs::is_regular_file(entry.path() / "dbt_project.yml")) return entry.path();
  throw Error("tarball " + source + ": no dbt_project.yml at its top or in its top folder");
}

InstalledPackage Unpack(const PackageSpec& spec, const fs::path& project_dir, const fs::path& install_dir) {
  ScratchFolder scratch(install_dir / ".dlctl-deps");
  fs::path archive = spec.location;
  bool remote = spec.location.rfind("http://", 0) == 0 || spec.location.rfind("https://", 0) == 0;
  if (remote) {
    archive = scratch.path() / "package.tar.gz";
    DownloadRequest request;
    request.url = spec.location;
    request.target = archive;
    request.label = spec.location;
    HttpClient().Download(request);
  } else if (archive.is_relative()) {
    archive = project_dir / archive;
  }
  if (!fs::is_regular_file(archive)) throw NotFoundError("tarball " + spec.location + ": no such file");
  fs::path unpacked = scratch.path() / "unpacked";
  UnpackArchive(archive, unpacked);
  fs::path root = PackageRoot(unpacked, spec.location);
  std::string name = PackageName(root);
  fs::path target = install_dir / name;
  Replace(target);
  fs::rename(root, target);
  return {name, spec.location, "unpacked"};
}

}  // namespace

std::vector<InstalledPackage> InstallPackages(const fs::path& project_dir) {
  if (!fs::is_regular_file(project_dir / "dbt_project.yml"))
    throw NotFoundError((project_dir / "dbt_project.yml").generic_string() + ": no dbt project here");
  fs::path install_dir = project_dir / InstallPath(project_dir);
  std::vector<InstalledPackage> installed;
  for (const PackageSpec& spec : ReadPackageSpecs(project_dir)) {
    fs::create_directories(install_dir);
    switch (spec.kind) {
      case PackageSpec::Kind::kLocal: {
        fs::path folder = fs::absolute(project_dir / spec.location).lexically_normal();
        std::string name = PackageName(folder);
        fs::path target = install_dir / name;
        Replace(target);
        fs::create_directory_symlink(folder.lexically_relative(fs::absolute(install_dir)), target);
        installed.push_back({name, spec.location, "linked"});
        break;
      }
      case PackageSpec::Kind::kTarball:
        installed.push_back(Unpack(spec, project_dir, install_dir));
        break;
      case PackageSpec::Kind::kHub:
      case PackageSpec::Kind::kGit: {
        std::string name = spec.location.substr(spec.location.find_last_of('/') + 1);
        if (name.size() > 4 && name.ends_with(".git")) name.resize(name.size() - 4);
        for (char& c : name) c = c == '-' ? '_' : c;  // dbt-utils is the package dbt_utils
        if (fs::is_regular_file(install_dir / name / "dbt_project.yml")) {
          installed.push_back({PackageName(install_dir / name), spec.location, "kept"});
          break;
        }
        bool hub = spec.kind == PackageSpec::Kind::kHub;
        throw Error("deps: " + std::string(hub ? "package " : "git ") + spec.location +
                    ": dlctl reaches no package hub or git host; put the package in " +
                    (install_dir / name).generic_string() + ", or list it as tarball: <url or path> or local: <folder>");
      }
    }
  }
  return installed;
}

}  // namespace dlctl::transform
