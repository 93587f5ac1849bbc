#include "transform/project/project.h"

#include <algorithm>
#include <fstream>
#include <memory>
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
  ProjectConfigTree models, seeds, tests, sources, snapshots;
};

// Keys of a config block whose values dbt renders later, per node, not when it reads the file.
bool IsLateRendered(const std::string& key) {
  std::string bare = key.empty() || key[0] != '+' ? key : key.substr(1);
  return bare == "pre-hook" || bare == "post-hook" || bare == "pre_hook" || bare == "post_hook";
}

// Renders every string of a config block (dbt renders dbt_project.yml before reading it).
void RenderStrings(nlohmann::json& value, const LoadOptions& options, const std::string& where) {
  if (value.is_string()) {
    value = options.render(value.get<std::string>(), where);
  } else if (value.is_array()) {
    for (auto& item : value) RenderStrings(item, options, where);
  } else if (value.is_object()) {
    for (auto& [key, item] : value.items())
      if (!IsLateRendered(key)) RenderStrings(item, options, where + "." + key);
  }
}

// Reads one project's files (the root project's or a package's) into `project`. Configs come
// from the package's own dbt_project.yml, then (for a package) the root project's, which wins.
struct Loader {
  Project& project;
  PackageInfo info;
  const LoadOptions& options;
  ConfigTrees trees;
  ConfigTrees* root_trees = nullptr;  // the root project's, for a package
  Properties properties;
  std::set<std::string> patched_models, patched_seeds, patched_tests;

  bool is_root() const { return root_trees == nullptr; }
  std::string Display(const std::string& relative) const {
    return (info.root / relative).lexically_normal().generic_string();
  }

  void Apply(ProjectConfigTree ConfigTrees::*tree, NodeConfig& config, const std::vector<std::string>& fqn) {
    (trees.*tree).Apply(config, fqn);
    if (root_trees) (root_trees->*tree).Apply(config, fqn);
  }

  void ReadProjectFile() {
    std::string display = Display("dbt_project.yml");
    if (!fs::is_regular_file(info.root / "dbt_project.yml"))
      throw NotFoundError(display + ": no dbt project here (the file does not exist)");
    YamlFile file = LoadYamlFile(info.root / "dbt_project.yml", display);
    const YAML::Node& root = file.root;
    if (!root.IsMap()) FailAt(file, root, "dbt_project.yml must be a mapping");
    if (!root["name"].IsDefined()) FailAt(file, root, "the project needs a name");
    info.name = ScalarText(file, root["name"], "name");
    static const std::regex kIdentifier("[A-Za-z_][A-Za-z0-9_]*");
    if (!std::regex_match(info.name, kIdentifier))
      FailAt(file, root["name"], "the project name must be letters, digits and '_' (got '" + info.name + "')");
    if (is_root()) {
      for (const auto& kv : root) {
        std::string key = kv.first.Scalar();
        if (!kKnownProjectKeys.count(key))
          project.warnings.push_back(Where(file, kv.first) + ": unknown key '" + key + "' ignored");
      }
    }
    info.model_paths = PathList(file, root, "model-paths", "source-paths", {"models"});
    info.seed_paths = PathList(file, root, "seed-paths", "data-paths", {"seeds"});
    info.macro_paths = PathList(file, root, "macro-paths", nullptr, {"macros"});
    info.test_paths = PathList(file, root, "test-paths", nullptr, {"tests"});
    info.snapshot_paths = PathList(file, root, "snapshot-paths", nullptr, {"snapshots"});
    info.on_run_start = StringList(file, root["on-run-start"], "on-run-start");
    info.on_run_end = StringList(file, root["on-run-end"], "on-run-end");
    if (YAML::Node vars = root["vars"]; vars.IsDefined() && !vars.IsNull()) {
      if (!vars.IsMap()) FailAt(file, vars, "vars must be a mapping");
      info.vars = ToJson(vars);
    }
    if (is_root()) ReadRootSettings(file);

    auto block = [&](const char* key) -> nlohmann::json {
      YAML::Node node = root[key];
      if (!node.IsDefined() || node.IsNull()) return nlohmann::json::object();
      if (!node.IsMap()) FailAt(file, node, std::string(key) + " must be a mapping");
      nlohmann::json value = ToJson(node);
      if (options.render) RenderStrings(value, options, display + ": " + key);
      return value;
    };
    if (root["data_tests"].IsDefined() && root["tests"].IsDefined())
      FailAt(file, root["tests"], "'tests' and 'data_tests' are the same block: use only 'data_tests'");
    trees.models = ProjectConfigTree(block("models"), display + ": models");
    trees.seeds = ProjectConfigTree(block("seeds"), display + ": seeds");
    const char* tests_key = root["tests"].IsDefined() ? "tests" : "data_tests";
    trees.tests = ProjectConfigTree(block(tests_key), display + ": " + tests_key);
    trees.sources = ProjectConfigTree(block("sources"), display + ": sources");
    trees.snapshots = ProjectConfigTree(block("snapshots"), display + ": snapshots");
  }

  void ReadRootSettings(const YamlFile& file) {
    const YAML::Node& root = file.root;
    project.name = info.name;
    project.model_paths = info.model_paths;
    project.seed_paths = info.seed_paths;
    project.macro_paths = info.macro_paths;
    project.test_paths = info.test_paths;
    project.snapshot_paths = info.snapshot_paths;
    project.on_run_start = info.on_run_start;
    project.on_run_end = info.on_run_end;
    project.vars = info.vars;
    if (root["target-path"].IsDefined()) project.target_path = ScalarText(file, root["target-path"], "target-path");
    if (root["packages-install-path"].IsDefined())
      project.packages_install_path = ScalarText(file, root["packages-install-path"], "packages-install-path");
    if (root["profile"].IsDefined() && !root["profile"].IsNull())
      project.profile = ScalarText(file, root["profile"], "profile");
    if (YAML::Node dispatch = root["dispatch"]; dispatch.IsDefined() && !dispatch.IsNull()) {
      if (!dispatch.IsSequence()) FailAt(file, dispatch, "dispatch must be a list of {macro_namespace, search_order}");
      for (const auto& entry : dispatch) {
        if (!entry.IsMap() || !entry["macro_namespace"].IsDefined() || !entry["search_order"].IsDefined())
          FailAt(file, entry, "a dispatch entry needs macro_namespace and search_order");
        project.dispatch.push_back({ScalarText(file, entry["macro_namespace"], "macro_namespace"),
                                    StringList(file, entry["search_order"], "search_order")});
      }
    }
  }

  void ReadAllProperties() {
    std::vector<std::string> folders = info.model_paths;
    folders.insert(folders.end(), info.seed_paths.begin(), info.seed_paths.end());
    folders.insert(folders.end(), info.test_paths.begin(), info.test_paths.end());
    folders.insert(folders.end(), info.snapshot_paths.begin(), info.snapshot_paths.end());
    std::set<std::string> seen;
    for (const auto& folder : folders)
      for (const auto& yml : FilesUnder(info.root, folder, {".yml", ".yaml"}))
        if (seen.insert(yml).second) ReadProperties(info.root / yml, yml, Display(yml), properties);
  }

  void LoadModels() {
    std::set<std::string> names;
    for (const auto& base : info.model_paths) {
      for (const auto& path : FilesUnder(info.root, base, {".sql"})) {
        Model model;
        model.package = info.name;
        model.name = fs::path(path).stem().string();
        model.unique_id = "model." + info.name + "." + model.name;
        model.fqn = Fqn(info.name, FoldersBetween(base, path), model.name);
        model.file = {path, ReadText(info.root / path, Display(path)), info.name};
        for (const auto& other : project.models)
          if (other.unique_id == model.unique_id)
            throw Error(Display(path) + ": a model named '" + model.name + "' already exists in " +
                        project.DisplayPath(other.package, other.file.path));
        MergeConfig(model.config, {{"materialized", "view"}}, Display(path));
        Apply(&ConfigTrees::models, model.config, model.fqn);
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
    for (const auto& base : info.seed_paths) {
      for (const auto& path : FilesUnder(info.root, base, {".csv"})) {
        Seed seed;
        seed.package = info.name;
        seed.name = fs::path(path).stem().string();
        seed.unique_id = "seed." + info.name + "." + seed.name;
        seed.fqn = Fqn(info.name, FoldersBetween(base, path), seed.name);
        seed.path = path;
        for (const auto& model : project.models)
          if (model.package == info.name && model.name == seed.name)
            throw Error(Display(path) + ": a model named '" + seed.name + "' already exists in " +
                        Display(model.file.path) + " (ref() could not tell them apart)");
        for (const auto& other : project.seeds)
          if (other.unique_id == seed.unique_id)
            throw Error(Display(path) + ": a seed named '" + seed.name + "' already exists in " + Display(other.path));
        MergeConfig(seed.config, {{"materialized", "seed"}}, Display(path));
        Apply(&ConfigTrees::seeds, seed.config, seed.fqn);
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

  Snapshot NewSnapshot(const std::string& name, const std::vector<std::string>& folders, const std::string& path,
                       std::string sql) {
    Snapshot snapshot;
    snapshot.package = info.name;
    snapshot.name = name;
    snapshot.unique_id = "snapshot." + info.name + "." + name;
    snapshot.fqn = Fqn(info.name, folders, name);
    snapshot.file = {path, std::move(sql), info.name};
    for (const auto& other : project.snapshots)
      if (other.unique_id == snapshot.unique_id)
        throw Error(Display(path) + ": a snapshot named '" + name + "' already exists in " + Display(other.file.path));
    MergeConfig(snapshot.config, {{"materialized", "snapshot"}}, Display(path));
    Apply(&ConfigTrees::snapshots, snapshot.config, snapshot.fqn);
    if (auto it = properties.snapshots.find(name); it != properties.snapshots.end()) {
      MergeConfig(snapshot.config, it->second.config, it->second.where);
      snapshot.description = it->second.description;
      snapshot.columns = it->second.columns;
      snapshot.patch_path = it->second.yml_path;
    }
    return snapshot;
  }

  // {% snapshot name %} ... {% endsnapshot %} blocks of snapshots/**/*.sql, and yml snapshots.
  void LoadSnapshots() {
    static const std::regex kBlock(R"(\{%-?\s*snapshot\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\})");
    for (const auto& base : info.snapshot_paths)
      for (const auto& path : FilesUnder(info.root, base, {".sql"})) {
        std::string text = ReadText(info.root / path, Display(path));
        for (auto it = std::sregex_iterator(text.begin(), text.end(), kBlock); it != std::sregex_iterator(); ++it)
          project.snapshots.push_back(NewSnapshot((*it)[1].str(), FoldersBetween(base, path), path, (*it)[2].str()));
      }
    for (const auto& [name, relation] : properties.snapshot_relations) {
      const ResourcePatch& patch = properties.snapshots.at(name);
      project.snapshots.push_back(
          NewSnapshot(name, FoldersBetween(BaseOf(YmlBases(), patch.yml_path), patch.yml_path), patch.yml_path,
                      "select * from {{ " + relation + " }}"));
    }
  }

  std::vector<std::string> YmlBases() const {
    std::vector<std::string> bases = info.model_paths;
    bases.insert(bases.end(), info.seed_paths.begin(), info.seed_paths.end());
    bases.insert(bases.end(), info.test_paths.begin(), info.test_paths.end());
    bases.insert(bases.end(), info.snapshot_paths.begin(), info.snapshot_paths.end());
    return bases;
  }

  std::vector<std::string> YmlFqnPrefix(const std::string& yml_path) const {
    std::vector<std::string> prefix{info.name};
    std::vector<std::string> bases = info.model_paths;
    bases.insert(bases.end(), info.seed_paths.begin(), info.seed_paths.end());
    bases.insert(bases.end(), info.test_paths.begin(), info.test_paths.end());
    bases.insert(bases.end(), info.snapshot_paths.begin(), info.snapshot_paths.end());
    for (const auto& folder : FoldersBetween(BaseOf(bases, yml_path), yml_path)) prefix.push_back(folder);
    return prefix;
  }

  size_t first_source = 0;  // this package's sources start here in project.sources

  void LoadSources() {
    first_source = project.sources.size();
    for (auto& patch : properties.sources) {
      SourceTable table = patch.table;
      table.package = info.name;
      table.unique_id = "source." + info.name + "." + table.source_name + "." + table.name;
      table.fqn = YmlFqnPrefix(table.path);
      table.fqn.push_back(table.source_name);
      table.fqn.push_back(table.name);
      std::string where = Display(table.path) + ":" + std::to_string(table.line);
      Apply(&ConfigTrees::sources, table.config, table.fqn);
      MergeConfig(table.config, patch.source_config, where);
      MergeConfig(table.config, patch.table_config, where);
      project.sources.push_back(std::move(table));
    }
  }

  void AddTests(const std::vector<TestEntry>& entries, const TestTarget& target) {
    for (const auto& entry : entries) {
      DataTest test = BuildGenericTest(entry, target, YmlFqnPrefix(entry.yml_path), trees.tests,
                                       root_trees ? &root_trees->tests : nullptr);
      for (const auto& other : project.tests)
        if (other.unique_id == test.unique_id)
          throw Error(Where(entry.file, entry.node) + ": test '" + test.name + "' is already defined in " +
                      project.DisplayPath(other.package, other.path) + ":" + std::to_string(other.line) +
                      " (give one a different name:)");
      project.tests.push_back(std::move(test));
    }
  }

  void LoadGenericTests() {
    for (const auto& model : project.models)
      if (model.package == info.name)
        if (auto it = properties.models.find(model.name); it != properties.models.end())
          AddTests(it->second.tests, {model.unique_id, model.name, false, model.config.enabled});
    for (const auto& seed : project.seeds)
      if (seed.package == info.name)
        if (auto it = properties.seeds.find(seed.name); it != properties.seeds.end())
          AddTests(it->second.tests, {seed.unique_id, seed.name, false, seed.config.enabled});
    for (const auto& snapshot : project.snapshots)
      if (snapshot.package == info.name)
        if (auto it = properties.snapshots.find(snapshot.name); it != properties.snapshots.end())
          AddTests(it->second.tests, {snapshot.unique_id, snapshot.name, false, snapshot.config.enabled});
    for (size_t i = 0; i < properties.sources.size(); ++i) {
      const SourceTable& table = project.sources[first_source + i];
      AddTests(properties.sources[i].tests,
               {table.unique_id, table.source_name + "_" + table.name, true, table.config.enabled});
    }
  }

  void LoadSingularTests() {
    for (const auto& base : info.test_paths) {
      for (const auto& path : FilesUnder(info.root, base, {".sql"})) {
        if (IsUnder(base + "/generic", path)) continue;  // generic test definitions are macros
        DataTest test;
        test.kind = DataTest::Kind::kSingular;
        test.package = info.name;
        test.name = fs::path(path).stem().string();
        test.unique_id = "test." + info.name + "." + test.name;
        test.fqn = Fqn(info.name, FoldersBetween(base, path), test.name);
        test.path = path;
        test.file = {path, ReadText(info.root / path, Display(path)), info.name};
        for (const auto& other : project.tests)
          if (other.unique_id == test.unique_id)
            throw Error(Display(path) + ": a test named '" + test.name + "' already exists in " +
                        project.DisplayPath(other.package, other.path));
        MergeConfig(test.config, {{"materialized", "test"}}, Display(path));
        Apply(&ConfigTrees::tests, test.config, test.fqn);
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
    std::vector<std::string> folders = info.macro_paths;
    for (const auto& base : info.test_paths) folders.push_back(base + "/generic");
    std::set<std::string> seen;
    std::vector<ProjectFile> files;
    for (const auto& folder : folders)
      for (const auto& path : FilesUnder(info.root, folder, {".sql"}))
        if (seen.insert(path).second) files.push_back({path, ReadText(info.root / path, Display(path)), info.name});
    std::sort(files.begin(), files.end(), [](const ProjectFile& a, const ProjectFile& b) { return a.path < b.path; });
    for (auto& file : files) project.macro_files.push_back(std::move(file));
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
    std::set<std::string> snapshot_names;
    for (const auto& snapshot : project.snapshots) snapshot_names.insert(snapshot.name);
    unmatched(properties.snapshots, snapshot_names, "snapshot");
  }

  // `fixture: name` as the rows of <test path>/fixtures/**/name.csv or name.sql.
  void ResolveFixture(FixtureRows& fixture, const std::string& where) {
    if (!fixture.rows.is_object() || !fixture.rows.contains("fixture")) return;
    std::string name = fixture.rows["fixture"].get<std::string>();
    for (const auto& base : info.test_paths)
      for (const auto& path : FilesUnder(info.root, base + "/fixtures", {".csv", ".sql"})) {
        if (fs::path(path).stem().string() != name) continue;
        fixture.format = fs::path(path).extension() == ".csv" ? "csv" : "sql";
        fixture.rows = ReadText(info.root / path, Display(path));
        return;
      }
    throw Error(where + ": no fixture file " + name + ".csv or " + name + ".sql under " + Display(info.test_paths.front()) +
                "/fixtures");
  }

  void LoadUnitTests() {
    for (UnitTest test : properties.unit_tests) {
      std::string where = Display(test.path) + ":" + std::to_string(test.line);
      test.package = info.name;
      test.unique_id = "unit_test." + info.name + "." + test.model + "." + test.name;
      test.fqn = YmlFqnPrefix(test.path);
      test.fqn.push_back(test.model);
      test.fqn.push_back(test.name);
      for (auto& input : test.given) ResolveFixture(input.fixture, where);
      ResolveFixture(test.expect, where);
      const Model* model = nullptr;
      for (const auto& m : project.models)
        if (m.package == info.name && m.name == test.model) model = &m;
      if (!model) throw Error(where + ": unit test '" + test.name + "' names model '" + test.model + "', which does not exist");
      if (!model->config.enabled) MergeConfig(test.config, {{"enabled", false}}, where);
      for (const auto& other : project.unit_tests)
        if (other.unique_id == test.unique_id) throw Error(where + ": unit test '" + test.name + "' is defined twice");
      project.unit_tests.push_back(std::move(test));
    }
  }

  void LoadDescribed() {
    for (DescribedResource resource : properties.described) {
      resource.package = info.name;
      resource.unique_id = resource.kind + "." + info.name + "." + resource.name;
      project.described.push_back(std::move(resource));
    }
  }

  void Load() {
    ReadAllProperties();
    LoadDescribed();
    LoadModels();
    LoadSeeds();
    LoadSnapshots();
    LoadSources();
    LoadGenericTests();
    LoadSingularTests();
    LoadUnitTests();
    LoadMacroFiles();
    if (is_root()) WarnAboutLeftovers();
  }
};

void WarnAboutUnusedConfigPaths(Project& project, ConfigTrees& trees) {
  std::string display = project.DisplayPath("dbt_project.yml");
  for (auto [tree, key] : {std::pair{&trees.models, "models"}, {&trees.seeds, "seeds"}, {&trees.tests, "data_tests"},
                           {&trees.sources, "sources"}, {&trees.snapshots, "snapshots"}})
    for (const auto& path : tree->UnusedPaths()) {
      std::string first = path.substr(0, path.find('.'));
      if (project.FindPackage(first)) continue;  // a package's folders: not ours to check
      project.warnings.push_back(display + ": " + key + "." + path + " matches no " + key + " (a folder name typo?)");
    }
}

// The folders of installed packages (<install path>/<name>/dbt_project.yml), then local packages
// of packages.yml that are not installed, in place.
std::vector<fs::path> PackageFolders(const Project& project) {
  std::vector<fs::path> folders;
  fs::path installed = project.root / project.packages_install_path;
  std::error_code ec;
  if (fs::is_directory(installed, ec)) {
    for (const auto& entry : fs::directory_iterator(installed, ec))
      if (fs::is_regular_file(entry.path() / "dbt_project.yml", ec)) folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
  }
  for (const PackageSpec& spec : project.package_specs)
    if (spec.kind == PackageSpec::Kind::kLocal) folders.push_back(project.root / spec.location);
  return folders;
}

}  // namespace

bool SourceTable::IsRawDataset() const { return database && *database == kRawDatabase; }

template <typename Node>
const Node* FindByName(const std::vector<Node>& nodes, const std::string& root_package, const std::string& name) {
  const Node* found = nullptr;
  for (const auto& node : nodes) {
    if (node.name != name) continue;
    if (node.package == root_package) return &node;
    if (!found) found = &node;
  }
  return found;
}

const Model* Project::FindModel(const std::string& model_name) const { return FindByName(models, name, model_name); }

const Seed* Project::FindSeed(const std::string& seed_name) const { return FindByName(seeds, name, seed_name); }

const SourceTable* Project::FindSource(const std::string& source_name, const std::string& table_name) const {
  const SourceTable* found = nullptr;
  for (const auto& table : sources) {
    if (table.source_name != source_name || table.name != table_name) continue;
    if (table.package == name) return &table;
    if (!found) found = &table;
  }
  return found;
}

const PackageInfo* Project::FindPackage(const std::string& package) const {
  for (const auto& info : packages)
    if (info.name == package) return &info;
  return nullptr;
}

fs::path Project::PackageRoot(const std::string& package) const {
  if (package.empty() || package == name) return root;
  const PackageInfo* info = FindPackage(package);
  return info ? info->root : root;
}

std::string Project::DisplayPath(const std::string& relative) const {
  return (root / relative).lexically_normal().generic_string();
}

std::string Project::DisplayPath(const std::string& package, const std::string& relative) const {
  return (PackageRoot(package) / relative).lexically_normal().generic_string();
}

nlohmann::json Project::VarsFor(const std::string& package, const nlohmann::json& cli_vars) const {
  nlohmann::json merged = nlohmann::json::object();
  auto add = [&](const nlohmann::json& vars) {
    if (!vars.is_object()) return;
    for (const auto& [key, value] : vars.items()) merged[key] = value;
    if (vars.contains(package) && vars[package].is_object())
      for (const auto& [key, value] : vars[package].items()) merged[key] = value;
  };
  if (package != name)
    if (const PackageInfo* info = FindPackage(package)) add(info->vars);
  add(vars);
  if (cli_vars.is_object())
    for (const auto& [key, value] : cli_vars.items()) merged[key] = value;
  return merged;
}

std::vector<PackageSpec> ReadPackageSpecs(const fs::path& root) {
  std::vector<PackageSpec> specs;
  for (const char* name : {"packages.yml", "dependencies.yml"}) {
    fs::path path = root / name;
    if (!fs::is_regular_file(path)) continue;
    std::string display = (root / name).lexically_normal().generic_string();
    YamlFile file = LoadYamlFile(path, display);
    if (file.root.IsNull()) continue;
    YAML::Node list = file.root.IsMap() ? file.root["packages"] : YAML::Node(YAML::NodeType::Undefined);
    if (!list.IsDefined() || list.IsNull()) continue;
    if (!list.IsSequence()) FailAt(file, list, "packages must be a list");
    for (const auto& entry : list) {
      if (!entry.IsMap()) FailAt(file, entry, "a package entry is a mapping (local:, package:, git: or tarball:)");
      PackageSpec spec;
      if (entry["local"].IsDefined()) {
        spec.kind = PackageSpec::Kind::kLocal;
        spec.location = ScalarText(file, entry["local"], "local");
      } else if (entry["package"].IsDefined()) {
        spec.kind = PackageSpec::Kind::kHub;
        spec.location = ScalarText(file, entry["package"], "package");
        if (entry["version"].IsDefined()) spec.version = ToJson(entry["version"]).dump();
      } else if (entry["git"].IsDefined()) {
        spec.kind = PackageSpec::Kind::kGit;
        spec.location = ScalarText(file, entry["git"], "git");
        if (entry["revision"].IsDefined()) spec.version = ScalarText(file, entry["revision"], "revision");
        if (entry["subdirectory"].IsDefined()) spec.subdirectory = ScalarText(file, entry["subdirectory"], "subdirectory");
      } else if (entry["tarball"].IsDefined()) {
        spec.kind = PackageSpec::Kind::kTarball;
        spec.location = ScalarText(file, entry["tarball"], "tarball");
      } else {
        FailAt(file, entry, "a package entry needs local:, package:, git: or tarball:");
      }
      specs.push_back(std::move(spec));
    }
  }
  return specs;
}

Project LoadProject(const fs::path& root, const LoadOptions& options) {
  Project project;
  project.root = root;
  project.package_specs = ReadPackageSpecs(root);
  Loader root_loader{project, {}, options};
  root_loader.info.root = root;
  root_loader.ReadProjectFile();
  std::set<std::string> seen{project.name};
  std::vector<std::unique_ptr<Loader>> package_loaders;
  for (const fs::path& folder : PackageFolders(project)) {
    auto loader = std::make_unique<Loader>(Loader{project, {}, options});
    loader->info.root = folder;
    loader->root_trees = &root_loader.trees;
    loader->ReadProjectFile();
    if (!seen.insert(loader->info.name).second) continue;  // installed, and also listed as local
    project.packages.push_back(loader->info);
    package_loaders.push_back(std::move(loader));
  }
  root_loader.Load();
  for (auto& loader : package_loaders) loader->Load();
  WarnAboutUnusedConfigPaths(project, root_loader.trees);
  return project;
}

void ApplyFileConfig(NodeConfig& config, const nlohmann::json& file_config, const std::string& origin) {
  MergeConfig(config, file_config, origin);
}

}  // namespace dlctl::transform
