#pragma once
// dbt's artifacts, in the schema versions dbt 1.8+ writes, so artifact tools read dlctl's runs:
// target/manifest.json (manifest v12: nodes, sources, macros, exposures & co, parent and child
// maps) and target/run_results.json (run-results v6, written by the runner).
#include <filesystem>
#include <string>

#include "transform/compile/compiler.h"
#include "transform/graph/dag.h"

namespace dlctl::transform {

inline constexpr const char* kManifestSchema = "https://schemas.getdbt.com/dbt/manifest/v12.json";
inline constexpr const char* kRunResultsSchema = "https://schemas.getdbt.com/dbt/run-results/v6.json";
inline constexpr const char* kDbtVersion = "1.10.0";

// The manifest of a parsed project.
std::string ManifestJson(const Compiler& compiler, const Dag& dag);
// Writes it to <target_dir>/manifest.json.
void WriteManifest(const Compiler& compiler, const Dag& dag, const std::filesystem::path& target_dir);

}  // namespace dlctl::transform
