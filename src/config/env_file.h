#pragma once
// Reads a dotenv file: KEY=VALUE lines, '#' comments, optional `export `, single or double
// quotes (double quotes understand \n, \t, \" and \\), inline comments after unquoted values.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace dlctl {

using EnvEntries = std::vector<std::pair<std::string, std::string>>;  // in file order

// Throws UsageError naming the file and line on a malformed line.
EnvEntries ParseEnvFile(const std::string& text, const std::string& origin);
EnvEntries ReadEnvFile(const std::filesystem::path& path);

}  // namespace dlctl
