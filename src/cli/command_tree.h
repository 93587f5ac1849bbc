#pragma once
// The command tree as data, for what is generated from it: shell completion (completion.h) and
// the man page (man_page.h), so both always match --help.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace dlctl {

struct OptionInfo {
  std::vector<std::string> names;  // "-f", "--format"; a positional's name alone: "SQL"
  std::string value;               // what an option takes ("FORMAT"); empty for flags
  std::string description;
  bool positional = false;
};

struct CommandInfo {
  std::string path;  // "ingest dataset"; "" for dlctl itself
  std::string description;
  std::vector<std::pair<std::string, std::string>> commands;  // its subcommands: name, description
  std::vector<OptionInfo> options;
};

// Every command, depth first, dlctl itself first.
std::vector<CommandInfo> CommandTree(const CLI::App& root);

}  // namespace dlctl
