#include "transform/project/project.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "transform/project/properties.h"
#include "transform/project/generic_tests.h"
#include "transform/project/yaml.h"
#include "util/error.h"

namespace dlctl::transform {
namespace fs = std::filesystem;
namespace {

const std::set<std::string> kKnownProjectKeys = {
    "name", "version", "config-version", "profile", "model-paths", "source-paths", "seed-paths", "data-paths",
    "macro-paths", "test-paths", "analysis-paths", "snapshot-paths", "docs-paths", "asset-paths", "target-path",
    "log-path", "packages-install-path", "clean-targets", "vars", "models", "seeds", "data_tests", "tests",
    "sources", "snapshots", "on-run-start", "on-run-end", "require-dbt-version", "quoting", "dispatch", "flags",
    "query-comment", "restrict-access", "analyses", "metrics", "semantic-models", "saved-queries", "exposures",
    "unit_tests"};

std::string ReadText(const fs::path& path, const std::string& display) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(display + ": cannot read the file");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The project's folders: relative, inside the project, given as one string or a list.
std::vector<std::string> PathList(const YamlFile& file, const YAML::Node& root, const char* key, const char* old_key,
                                  std::vector<std::string> fallback) {
  // No assignment: yaml-cpp's Node::operator= writes into the node it refers to.
  const YAML::Node node = root[key].IsDefined() || !old_key ? root[key] : root[old_key];
  if (!node.IsDefined() || node.IsNull()) return fallback;
  std::vector<std::string> out;
  for (auto& path : StringList(file, node, key)) {
    fs::path normal = fs::path(path).lexically_normal();
    std::string text = normal.generic_string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    if (normal.is_absolute() || text.empty() || text == "." || text == ".." || text.rfind("../", 0) == 0)
      FailAt(file, node, std::string(key) + " must be folders inside the project (got '" + path + "')");
    out.push_back(text);
  }
  return out;
}

// Files under `folder` (relative to root) whose extension is one of `extensions`, sorted.
std::vector<std::string> FilesUnder(const fs::path& root, const std::string& folder,
                                    std::initializer_list<const char*> extensions) {
  std::vector<std::string> out;
  fs::path base = root / folder;
  std::error_code ec;
  if (!fs::is_directory(base, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(base, fs::directory_options::follow_directory_symlink, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) throw Error((root / folder).string() + ": cannot list the folder: " + ec.message());
    if (!it->is_regular_file()) continue;
    std::string ext = it->path().extension().string();
    for (const char* wanted : extensions)
      if (ext == wanted) out.push_back(fs::relative(it->path(), root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "models/stage/dsn/hr_edges.sql" under model path "models" -> {"stage", "dsn"}.
std::vector<std::string> FoldersBetween(const std::string& base, const std::string& file) {
  std::vector<std::string> parts;
  fs::path rel = fs::path(file).lexically_relative(base).parent_path();
  for (const auto& part : rel)
    if (part != ".") parts.push_back(part.string());
  return parts;
}

std::vector<std::string> Fqn(const std::string& project, const std::vector<std::string>& folders,
                             const std::string& name) {
  std::vector<std::string> fqn{project};
  fqn.insert(fqn.end(), folders.begin(), folders.end());
  fqn.push_back(name);
  return fqn;
}

bool IsUnder(const std::string& folder, const std::string& file) { return file.rfind(folder + "/", 0) == 0; }

// The configured folder that holds `file` (the first, as paths may not overlap in practice).
std::string BaseOf(const std::vector<std::string>& folders, const std::string& file) {
  for (const auto& folder : folders)
    if (IsUnder(folder, file)) return folder;
  return "";
}

struct ConfigTrees {
  ProjectConfigTree models, seeds, tests, sources;
};

struct Loader {
  Project& project;
  ConfigTrees trees;
  Properties properties;
  std::set<std::string> patched_models, patched_seeds, patched_tests;

  std::string Display(const std::string& relative) const { return project.DisplayPath(relative); }

  void ReadProjectFile() {
    std::string display = Display("dbt_project.yml");
    if (!fs::is_regular_file(project.root / "dbt_project.yml"))
      throw NotFoundError(display + ": no dbt project here (the file does not exist)");
    YamlFile file = LoadYamlFile(project.root / "dbt_project.yml", display);
    const YAML::Node& root = file.root;
    if (!root.IsMap()) FailAt(file, root, "dbt_project.yml must be a mapping");
    if (!root["name"].IsDefined()) FailAt(file, root, "the project needs a name");
    project.name = ScalarText(file, root["name"], "name");
    static const std::regex kIdentifier("[A-Za-z_][A-Za-z0-9_]*");
    if (!std::regex_match(project.name, kIdentifier))
      FailAt(file, root["name"], "the project name must be letters, digits and '_' (got '" + project.name + "')");
    for (const auto& kv : root) {
      std::string key = kv.first.Scalar();
      if (!kKnownProjectKeys.count(key)) project.warnings.push_back(Where(file, kv.first) + ": unknown key '" + key + "' ignored");
    }
    project.model_paths = PathList(file, root, "model-paths", "source-paths", {"models"});
    project.seed_paths = PathList(file, root, "seed-paths", "data-paths", {"seeds"});
    project.macro_paths = PathList(file, root, "macro-paths", nullptr, {"macros"});
    project.test_paths = PathList(file, root, "test-paths", nullptr, {"tests"});
    if (root["target-path"].IsDefined()) project.target_path = ScalarText(file, root["target-path"], "target-path");
    project.on_run_start = StringList(file, root["on-run-start"], "on-run-start");
    project.on_run_end = StringList(file, root["on-run-end"], "on-run-end");
    ReadVars(file, root["vars"]);

    auto block = [&](const char* key) -> nlohmann::json {
      YAML::Node node = root[key];
      if (!node.IsDefined() || node.IsNull()) return nlohmann::json::object();
      if (!node.IsMap()) FailAt(file, node, std::string(key) + " must be a mapping");
      return ToJson(node);
    };
    if (root["data_tests"].IsDefined() && root["tests"].IsDefined())
      FailAt(file, root["tests"], "'tests' and 'data_tests' are the same block: use only 'data_tests'");
    trees.models = ProjectConfigTree(block("models"), display + ": models");
    trees.seeds = ProjectConfigTree(block("seeds"), display + ": seeds");
    const char* tests_key = root["tests"].IsDefined() ? "tests" : "data_tests";
    trees.tests = ProjectConfigTree(block(tests_key), display + ": " + tests_key);
    trees.sources = ProjectConfigTree(block("sources"), display + ": sources");
  }

  // Global vars, then the ones scoped to this project (vars: {<project name>: {...}}) on top.
  void ReadVars(const YamlFile& file, const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsMap()) FailAt(file, node, "vars must be a mapping");
    nlohmann::json all = ToJson(node);
    for (const auto& [key, value] : all.items())
      if (key != project.name) project.vars[key] = value;
    if (all.contains(project.name) && all[project.name].is_object())
      for (const auto& [key, value] : all[project.name].items()) project.vars[key] = value;
  }

  void ReadAllProperties() {
    std::vector<std::string> folders = project.model_paths;
    folders.insert(folders.end(), project.seed_paths.begin(), project.seed_paths.end());
    folders.insert(folders.end(), project.test_paths.begin(), project.test_paths.end());
    std::set<std::string> seen;
    for (const auto& folder : folders)
      for (const auto& yml : FilesUnder(project.root, folder, {".yml", ".yaml"}))
        if (seen.insert(yml).second) ReadProperties(project.root / yml, yml, Display(yml), properties);
  }

  void LoadModels() {
    std::set<std::string> names;
    for (const auto& base : project.model_paths) {
      for (const auto& path : FilesUnder(project.root, base, {".sql"})) {
        Model model;
        model.name = fs::path(path).stem().string();
        model.unique_id = "model." + project.name + "." + model.name;
        model.fqn = Fqn(project.name, FoldersBetween(base, path), model.name);
        model.file = {path, ReadText(project.root / path, Display(path))};
        for (const auto& other : project.models)
          if (other.name == model.name)
            throw Error(Display(path) + ": a model named '" + model.name + "' already exists in " +
                        Display(other.file.path));
        MergeConfig(model.config, {{"materialized", "view"}}, Display(path));
        trees.models.Apply(model.config, model.fqn);
        if (auto it = properties.models.find(model.name); it != properties.models.end()) {
          const ResourcePatch& patch = it->second;
          MergeConfig(model.config, patch.config, patch.where);
          model.description = patch.description;
          model.columns = patch.columns;
          model.patch_path = patch.yml_path;
          patched_models.insert(model.name);
        }
        project.models.push_back(std::move(model));
      }
    }
  }

  void LoadSeeds() {
    for (const auto& base : project.seed_paths) {
      for (const auto& path : FilesUnder(project.root, base, {".csv"})) {
        Seed seed;
        seed.name = fs::path(path).stem().string();
        seed.unique_id = "seed." + project.name + "." + seed.name;
        seed.fqn = Fqn(project.name, FoldersBetween(base, path), seed.name);
        seed.path = path;
        if (const Model* model = project.FindModel(seed.name))
          throw Error(Display(path) + ": a model named '" + seed.name + "' already exists in " +
                      Display(model->file.path) + " (ref() could not tell them apart)");
        if (const Seed* other = project.FindSeed(seed.name))
          throw Error(Display(path) + ": a seed named '" + seed.name + "' already exists in " + Display(other->path));
        MergeConfig(seed.config, {{"materialized", "seed"}}, Display(path));
        trees.seeds.Apply(seed.config, seed.fqn);
        if (auto it = properties.seeds.find(seed.name); it != properties.seeds.end()) {
          MergeConfig(seed.config, it->second.config, it->second.where);
          seed.description = it->second.description;
          seed.columns = it->second.columns;
          seed.patch_path = it->second.yml_path;
          patched_seeds.insert(seed.name);
        }
        project.seeds.push_back(std::move(seed));
      }
    }
  }

  std::vector<std::string> YmlFqnPrefix(const std::string& yml_path) const {
    std::vector<std::string> prefix{project.name};
    std::vector<std::string> bases = project.model_paths;
    bases.insert(bases.end(), project.seed_paths.begin(), project.seed_paths.end());
    bases.insert(bases.end(), project.test_paths.begin(), project.test_paths.end());
    for (const auto& folder : FoldersBetween(BaseOf(bases, yml_path), yml_path)) prefix.push_back(folder);
    return prefix;
  }

  void LoadSources() {
    for (auto& patch : properties.sources) {
      SourceTable table = patch.table;
      table.unique_id = "source." + project.name + "." + table.source_name + "." + table.name;
      table.fqn = YmlFqnPrefix(table.path);
      table.fqn.push_back(table.source_name);
      table.fqn.push_back(table.name);
      std::string where = Display(table.path) + ":" + std::to_string(table.line);
      trees.sources.Apply(table.config, table.fqn);
      MergeConfig(table.config, patch.source_config, where);
      MergeConfig(table.config, patch.table_config, where);
      project.sources.push_back(std::move(table));
    }
  }

  void AddTests(const std::vector<TestEntry>& entries, const TestTarget& target) {
    for (const auto& entry : entries) {
      DataTest test = BuildGenericTest(entry, target, YmlFqnPrefix(entry.yml_path), trees.tests);
      for (const auto& other : project.tests)
        if (other.unique_id == test.unique_id)
          throw Error(Where(entry.file, entry.node) + ": test '" + test.name + "' is already defined in " +
                      Display(other.path) + ":" + std::to_string(other.line) + " (give one a different name:)");
      project.tests.push_back(std::move(test));
    }
  }

  void LoadGenericTests() {
    for (const auto& model : project.models)
      if (auto it = properties.models.find(model.name); it != properties.models.end())
        AddTests(it->second.tests, {model.unique_id, model.name, false, model.config.enabled});
    for (const auto& seed : project.seeds)
      if (auto it = properties.seeds.find(seed.name); it != properties.seeds.end())
        AddTests(it->second.tests, {seed.unique_id, seed.name, false, seed.config.enabled});
    for (size_t i = 0; i < project.sources.size(); ++i) {
      const SourceTable& table = project.sources[i];
      AddTests(properties.sources[i].tests,
               {table.unique_id, table.source_name + "_" + table.name, true, table.config.enabled});
    }
  }

  void LoadSingularTests() {
    for (const auto& base : project.test_paths) {
      for (const auto& path : FilesUnder(project.root, base, {".sql"})) {
        if (IsUnder(base + "/generic", path)) continue;  // generic test definitions are macros
        DataTest test;
        test.kind = DataTest::Kind::kSingular;
        test.name = fs::path(path).stem().string();
        test.unique_id = "test." + project.name + "." + test.name;
        test.fqn = Fqn(project.name, FoldersBetween(base, path), test.name);
        test.path = path;
        test.file = {path, ReadText(project.root / path, Display(path))};
        for (const auto& other : project.tests)
          if (other.unique_id == test.unique_id)
            throw Error(Display(path) + ": a test named '" + test.name + "' already exists in " + Display(other.path));
        MergeConfig(test.config, {{"materialized", "test"}}, Display(path));
        trees.tests.Apply(test.config, test.fqn);
        if (auto it = properties.singular_tests.find(test.name); it != properties.singular_tests.end()) {
          MergeConfig(test.config, it->second.config, it->second.where);
          test.description = it->second.description;
          patched_tests.insert(test.name);
        }
        project.tests.push_back(std::move(test));
      }
    }
  }

  void LoadMacroFiles() {
    std::vector<std::string> folders = project.macro_paths;
    for (const auto& base : project.test_paths) folders.push_back(base + "/generic");
    std::set<std::string> seen;
    for (const auto& folder : folders)
      for (const auto& path : FilesUnder(project.root, folder, {".sql"}))
        if (seen.insert(path).second) project.macro_files.push_back({path, ReadText(project.root / path, Display(path))});
    std::sort(project.macro_files.begin(), project.macro_files.end(),
              [](const ProjectFile& a, const ProjectFile& b) { return a.path < b.path; });
  }

  void WarnAboutLeftovers() {
    auto unmatched = [&](const std::map<std::string, ResourcePatch>& patches, const std::set<std::string>& used,
                         const char* kind) {
      for (const auto& [name, patch] : patches)
        if (!used.count(name))
          project.warnings.push_back(patch.where + ": properties for " + kind + " '" + name +
                                     "', which does not exist");
    };
    unmatched(properties.models, patched_models, "model");
    unmatched(properties.seeds, patched_seeds, "seed");
    unmatched(properties.singular_tests, patched_tests, "singular test");
    std::string display = Display("dbt_project.yml");
    for (auto [tree, key] : {std::pair{&trees.models, "models"}, {&trees.seeds, "seeds"}, {&trees.tests, "data_tests"},
                             {&trees.sources, "sources"}})
      for (const auto& path : tree->UnusedPaths())
        project.warnings.push_back(display + ": " + key + "." + path + " matches no " + key + " (a folder name typo?)");
  }
};

}  // namespace

bool SourceTable::IsRawDataset() const { return database && *database == kRawDatabase; }

const Model* Project::FindModel(const std::string& model_name) const {
  for (const auto& model : models)
    if (model.name == model_name) return &model;
  return nullptr;
}

const Seed* Project::FindSeed(const std::string& seed_name) const {
  for (const auto& seed : seeds)
    if (seed.name == seed_name) return &seed;
  return nullptr;
}

const SourceTable* Project::FindSource(const std::string& source_name, const std::string& table_name) const {
  for (const auto& table : sources)
    if (table.source_name == source_name && table.name == table_name) return &table;
  return nullptr;
}

std::string Project::DisplayPath(const std::string& relative) const {
  return (root / relative).lexically_normal().generic_string();
}

Project LoadProject(const fs::path& root) {
  Project project;
  project.root = root;
  Loader loader{project, {}, {}, {}, {}, {}};
  loader.ReadProjectFile();
  loader.ReadAllProperties();
  loader.LoadModels();
  loader.LoadSeeds();
  loader.LoadSources();
  loader.LoadGenericTests();
  loader.LoadSingularTests();
  loader.LoadMacroFiles();
  loader.WarnAboutLeftovers();
  return project;
}

void ApplyFileConfig(NodeConfig& config, const nlohmann::json& file_config, const std::string& origin) {
  MergeConfig(config, file_config, origin);
}

}  // namespace dlctl::transform
