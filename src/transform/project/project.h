#pragma once
// A dbt project as files and configs, before any Jinja is rendered: dbt_project.yml, models and
// their properties (models/**/*.yml), sources, seeds, macros, singular and generic data tests.
// The runner renders the raw SQL, applies each model's {{ config() }} with ApplyFileConfig and
// adds the ref()/source() edges to the DAG.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "transform/project/config.h"

namespace dlctl::transform {

// A file of the project. `path` is relative to the project root with '/' separators, as dbt's
// original_file_path ("models/stage/hr_edges.sql").
struct ProjectFile {
  std::string path;
  std::string text;
};

struct Column {
  std::string name;
  std::string description;
  std::string data_type;
  nlohmann::json meta = nlohmann::json::object();
  std::vector<std::string> tags;
};

struct Model {
  std::string unique_id;          // "model.<project>.<name>"
  std::string name;               // the file's stem
  std::vector<std::string> fqn;   // project, folders under the model path, name
  ProjectFile file;               // raw SQL, rendered later
  NodeConfig config;              // dbt_project.yml < properties yml; the file's config() comes later
  std::string description;
  std::vector<Column> columns;
  std::string patch_path;         // the yml that described it, if any
};

struct Seed {
  std::string unique_id;          // "seed.<project>.<name>"
  std::string name;
  std::vector<std::string> fqn;
  std::string path;               // "seeds/countries.csv"
  NodeConfig config;              // materialized "seed"; column_types, delimiter, ... in values
  std::string description;
  std::vector<Column> columns;
  std::string patch_path;
};

// One table of a `sources:` entry. A source whose database is "raw" (kRawDatabase) is a raw
// dataset: its name is the dataset's (snake-cased) name and each table's identifier is a file
// path inside the dataset's latest version ("HR/HR_edges.csv").
struct SourceTable {
  std::string unique_id;          // "source.<project>.<source>.<table>"
  std::string source_name;
  std::string name;               // the table name used in source('src', 'name')
  std::string identifier;         // defaults to name
  std::optional<std::string> database;
  std::string schema;             // defaults to the source name
  std::vector<std::string> fqn;   // project, folders of the yml, source, table
  std::string description;
  std::vector<Column> columns;
  NodeConfig config;              // enabled, tags (source tags then table tags), meta
  std::string path;               // the yml that declared it
  int line = 0;

  bool IsRawDataset() const;
};
inline constexpr const char* kRawDatabase = "raw";

struct DataTest {
  enum class Kind { kGeneric, kSingular };
  Kind kind = Kind::kGeneric;
  std::string unique_id;          // "test.<project>.<name>"
  std::string name;               // dbt's generated name ("not_null_hr_edges_source_id") or the file stem
  std::vector<std::string> fqn;
  NodeConfig config;              // materialized "test"; severity, where, tags, enabled
  std::string description;

  // Generic tests: the macro test_<test_name> (in namespace test_namespace, e.g. "dbt_utils")
  // called with model=<attached node>, column_name and the keyword arguments as written (their
  // strings may hold Jinja to render).
  std::string test_name;          // "not_null", "accepted_values", "expression_is_true"
  std::string test_namespace;     // "" or "dbt_utils"
  std::string attached_to;        // unique id of the model, seed or source table under test
  std::optional<std::string> column_name;
  nlohmann::json arguments = nlohmann::json::object();
  std::string path;               // the yml (generic) or the .sql file (singular)
  int line = 0;                   // generic: where the test is written

  ProjectFile file;               // singular tests: the SQL selecting failing rows
};

struct Project {
  std::filesystem::path root;     // the project folder as given
  std::string name;
  std::vector<std::string> model_paths{"models"}, seed_paths{"seeds"}, macro_paths{"macros"},
      test_paths{"tests"};
  std::string target_path = "target";
  nlohmann::json vars = nlohmann::json::object();  // the project's vars: global ones, then <name>: {...} on top
  std::vector<std::string> on_run_start, on_run_end;

  std::vector<Model> models;      // ordered by path
  std::vector<Seed> seeds;
  std::vector<SourceTable> sources;
  std::vector<DataTest> tests;
  // Files whose Jinja defines macros: macro paths, and <test path>/generic (custom generic
  // tests written as {% test name(model, column_name) %}), ordered by path.
  std::vector<ProjectFile> macro_files;
  std::vector<std::string> warnings;  // one line each: unused config paths, properties for missing models

  const Model* FindModel(const std::string& name) const;
  const Seed* FindSeed(const std::string& name) const;
  const SourceTable* FindSource(const std::string& source_name, const std::string& table_name) const;
  // "transform/models/x.sql" for messages.
  std::string DisplayPath(const std::string& relative) const;
};

// Loads the project in `root`. Every problem is an Error naming the file (and line when known).
Project LoadProject(const std::filesystem::path& root);

// The model's own {{ config(...) }} (keys as the call wrote them), applied on top of the
// project and properties configs: the highest precedence, as in dbt. `origin` is the model file.
void ApplyFileConfig(NodeConfig& config, const nlohmann::json& file_config, const std::string& origin);

}  // namespace dlctl::transform
