#include "transform/compile/target.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "transform/compile/compiler.h"
#include "transform/project/yaml.h"
#include "util/error.h"

namespace dlctl::transform {
namespace fs = std::filesystem;
namespace {

std::string Variable(const Settings& settings, const std::string& name) {
  auto found = settings.variables.find(name);
  return found == settings.variables.end() ? "" : found->second;
}

std::vector<fs::path> ProfileFolders(const fs::path& project_dir, const ProfileOptions& options,
                                     const Settings& settings) {
  if (!options.profiles_dir.empty()) return {options.profiles_dir};
  std::vector<fs::path> folders;
  if (std::string env = Variable(settings, "DBT_PROFILES_DIR"); !env.empty()) folders.emplace_back(env);
  folders.push_back(project_dir);
  if (std::string home = Variable(settings, "HOME"); !home.empty()) folders.push_back(fs::path(home) / ".dbt");
  return folders;
}

// The value of one key of an output, rendered (dbt renders profiles.yml with Jinja).
nlohmann::json Rendered(const YAML::Node& output, const char* key, const std::string& where, const Settings& settings,
                        const nlohmann::json& cli_vars) {
  if (!output[key].IsDefined() || output[key].IsNull()) return nullptr;
  nlohmann::json value = ToJson(output[key]);
  if (value.is_string()) return RenderConfigValue(value.get<std::string>(), where, settings, cli_vars, std::nullopt);
  return value;
}

}  // namespace

Target ResolveTarget(const fs::path& project_dir, const ProfileOptions& options, const Settings& settings,
                     const nlohmann::json& cli_vars) {
  Target target;
  target.profile_name = options.profile;
  if (target.profile_name.empty() && fs::is_regular_file(project_dir / "dbt_project.yml")) {
    YamlFile project = LoadYamlFile(project_dir / "dbt_project.yml", (project_dir / "dbt_project.yml").generic_string());
    if (project.root.IsMap() && project.root["profile"].IsDefined() && !project.root["profile"].IsNull())
      target.profile_name = ScalarText(project, project.root["profile"], "profile");
  }
  std::vector<fs::path> folders = ProfileFolders(project_dir, options, settings);
  for (const fs::path& folder : folders) {
    fs::path path = folder / "profiles.yml";
    if (!fs::is_regular_file(path)) continue;
    YamlFile file = LoadYamlFile(path, path.lexically_normal().generic_string());
    YAML::Node profile = file.root.IsMap() && !target.profile_name.empty() ? file.root[target.profile_name]
                                                                            : YAML::Node(YAML::NodeType::Undefined);
    if (!profile.IsDefined() || !profile.IsMap()) continue;
    target.profiles_path = file.display_path;
    std::string name = options.target;
    if (name.empty() && profile["target"].IsDefined()) {
      nlohmann::json value = RenderConfigValue(ScalarText(file, profile["target"], "target"), Where(file, profile["target"]),
                                               settings, cli_vars, std::nullopt);
      name = value.is_string() ? value.get<std::string>() : value.dump();
    }
    if (name.empty()) name = "dev";
    YAML::Node outputs = profile["outputs"];
    if (!outputs.IsDefined() || !outputs.IsMap() || !outputs[name].IsDefined())
      FailAt(file, profile, "profile '" + target.profile_name + "' has no output '" + name + "'");
    YAML::Node output = outputs[name];
    std::string where = Where(file, output);
    nlohmann::json type = Rendered(output, "type", where, settings, cli_vars);
    if (!type.is_string() || type.get<std::string>() != "duckdb")
      throw UsageError(where + ": target '" + name + "' is of type " + (type.is_string() ? type.get<std::string>() : type.dump()) +
                       "; dlctl runs duckdb targets (on its lake)");
    target.name = name;
    target.from_profile = true;
    nlohmann::json schema = Rendered(output, "schema", where, settings, cli_vars);
    if (schema.is_string() && !schema.get<std::string>().empty()) target.schema = schema.get<std::string>();
    nlohmann::json threads = Rendered(output, "threads", where, settings, cli_vars);
    if (threads.is_number_integer()) target.threads = std::max(1, threads.get<int>());
    else if (threads.is_string()) target.threads = std::max(1, std::atoi(threads.get<std::string>().c_str()));
    return target;
  }
  if (!options.target.empty() || !options.profile.empty()) {
    std::string looked;
    for (const fs::path& folder : folders) looked += (looked.empty() ? "" : ", ") + (folder / "profiles.yml").string();
    throw UsageError("no profile '" + target.profile_name + "' in a profiles.yml (looked in " + looked + ")");
  }
  return target;
}

}  // namespace dlctl::transform
