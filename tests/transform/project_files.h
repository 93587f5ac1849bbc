#pragma once
// Writes a small dbt project into a scratch folder for the transform tests.
#include <map>
#include <string>

#include "support/test_env.h"
#include "transform/project/project.h"

namespace dlctl::testing {

// Each entry is a path relative to the project root and the file's text.
inline void WriteProject(const TempDir& dir, const std::map<std::string, std::string>& files) {
  for (const auto& [path, text] : files) WriteFile(dir.path() / path, text);
}

inline transform::Project LoadWith(const TempDir& dir, const std::map<std::string, std::string>& files) {
  WriteProject(dir, files);
  return transform::LoadProject(dir.path());
}

}  // namespace dlctl::testing
