#include "cli/command_tree.h"

#include <cctype>

namespace dlctl {
namespace {

OptionInfo Describe(const CLI::Option& option) {
  OptionInfo info;
  info.description = option.get_description();
  info.positional = option.get_positional();
  if (info.positional) {
    info.names.push_back(option.get_name(true));
    return info;
  }
  for (const std::string& name : option.get_snames()) info.names.push_back("-" + name);
  for (const std::string& name : option.get_lnames()) info.names.push_back("--" + name);
  if (option.get_type_size() != 0 && !option.get_lnames().empty()) {
    for (char c : option.get_lnames().front()) info.value += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  }
  return info;
}

void Walk(const CLI::App& app, const std::string& path, std::vector<CommandInfo>& out) {
  CommandInfo info;
  info.path = path;
  info.description = app.get_description();
  for (const CLI::Option* option : app.get_options()) info.options.push_back(Describe(*option));
  std::vector<const CLI::App*> children = app.get_subcommands([](const CLI::App*) { return true; });
  for (const CLI::App* child : children) info.commands.push_back({child->get_name(), child->get_description()});
  out.push_back(std::move(info));
  for (const CLI::App* child : children) Walk(*child, path.empty() ? child->get_name() : path + " " + child->get_name(), out);
}

}  // namespace

std::vector<CommandInfo> CommandTree(const CLI::App& root) {
  std::vector<CommandInfo> tree;
  Walk(root, "", tree);
  return tree;
}

}  // namespace dlctl
