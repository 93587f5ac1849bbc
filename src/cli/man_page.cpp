#include "cli/man_page.h"

namespace dlctl {
namespace {

// Text as troff prints it: backslashes and hyphens escaped, no line starting with a control
// character.
std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string Usage(const CommandInfo& command) {
  std::string usage = "dlctl" + (command.path.empty() ? "" : " " + command.path);
  for (const OptionInfo& option : command.options)
    if (option.positional) usage += " " + option.names.front();
  if (!command.commands.empty()) usage += " COMMAND";
  return usage;
}

std::string OptionItems(const CommandInfo& command) {
  std::string out;
  for (const OptionInfo& option : command.options) {
    std::string names;
    for (const std::string& name : option.names) names += (names.empty() ? "" : ", ") + ("\\fB" + Roff(name) + "\\fR");
    if (!option.value.empty()) names += " \\fI" + Roff(option.value) + "\\fR";
    out += ".TP\n" + names + "\n" + Roff(option.description) + "\n";
  }
  return out;
}

}  // namespace

std::string ManPage(const std::vector<CommandInfo>& tree, const std::string& version) {
  const CommandInfo& root = tree.front();
  std::string out = ".TH DLCTL 1 \"\" \"dlctl " + Roff(version) + "\" \"User Commands\"\n";
  out += ".SH NAME\ndlctl \\- " + Roff(root.description) + "\n";
  out += ".SH SYNOPSIS\n.B dlctl\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n";
  out += ".SH DESCRIPTION\nEvery command has \\fB\\-\\-help\\fR; its text is what this page shows.\n";
  out += ".SH OPTIONS\n" + OptionItems(root);
  out += ".SH COMMANDS\n";
  for (size_t i = 1; i < tree.size(); ++i) {
    const CommandInfo& command = tree[i];
    out += ".SS \"" + Roff(Usage(command)) + "\"\n" + Roff(command.description) + "\n";
    if (!command.commands.empty()) {
      std::string names;
      for (const auto& [name, description] : command.commands) names += (names.empty() ? "" : ", ") + name;
      out += ".PP\nCommands: " + Roff(names) + ".\n";
    }
    out += OptionItems(command);
  }
  out += ".SH ENVIRONMENT\nSettings come from \\fB.env\\fR (or \\fB\\-\\-env\\-file\\fR, or \\fBDLCTL_ENV_FILE\\fR) and the "
         "environment, which wins; see the README.\n";
  out += ".SH EXIT STATUS\n0 on success, 1 when an operation fails, 2 for bad usage or settings.\n";
  return out;
}

}  // namespace dlctl
