#include "cli/completion.h"

namespace dlctl {
namespace {

// A word for a shell's single quotes.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The case pattern of every command path: a word that extends the path to one of them is a
// command, anything else (option values, SQL, paths) is not.
std::string PathPattern(const std::vector<CommandInfo>& tree) {
  std::string pattern;
  for (const CommandInfo& command : tree)
    if (!command.path.empty()) pattern += (pattern.empty() ? "" : "|") + Quoted(command.path);
  return pattern;
}

}  // namespace

std::string BashCompletion(const std::vector<CommandInfo>& tree) {
  std::string out =
      "# bash completion for dlctl, generated from its command tree (dlctl tools completion bash)\n"
      "_dlctl() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} cmdpath= word i words=\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    word=${COMP_WORDS[i]}\n"
      "    case \"${cmdpath:+$cmdpath }$word\" in\n"
      "      " + PathPattern(tree) + ") cmdpath=\"${cmdpath:+$cmdpath }$word\" ;;\n"
      "    esac\n"
      "  done\n"
      "  case \"$cmdpath\" in\n";
  for (const CommandInfo& command : tree) {
    std::string words;
    for (const auto& [name, description] : command.commands) words += (words.empty() ? "" : " ") + name;
    for (const OptionInfo& option : command.options)
      if (!option.positional)
        for (const std::string& name : option.names) words += (words.empty() ? "" : " ") + name;
    out += "    " + Quoted(command.path) + ") words=" + Quoted(words) + " ;;\n";
  }
  out +=
      "  esac\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}\n"
      "complete -o default -F _dlctl dlctl\n";
  return out;
}

std::string ZshCompletion(const std::vector<CommandInfo>& tree) {
  // A description after "name:" in _describe's candidates: colons in it need a backslash.
  auto candidate = [](const std::string& name, const std::string& description) {
    std::string escaped_name, escaped_description;
    for (char c : name) escaped_name += c == ':' ? std::string("\\:") : std::string(1, c);
    for (char c : description) escaped_description += c == ':' ? std::string("\\:") : std::string(1, c);
    return Quoted(escaped_name + ":" + escaped_description);
  };
  std::string out =
      "#compdef dlctl\n"
      "# zsh completion for dlctl, generated from its command tree (dlctl tools completion zsh)\n"
      "_dlctl() {\n"
      "  local cmdpath= word\n"
      "  local -a candidates\n"
      "  for word in \"${(@)words[2,CURRENT-1]}\"; do\n"
      "    case \"${cmdpath:+$cmdpath }$word\" in\n"
      "      (" + PathPattern(tree) + ") cmdpath=\"${cmdpath:+$cmdpath }$word\" ;;\n"
      "    esac\n"
      "  done\n"
      "  case \"$cmdpath\" in\n";
  for (const CommandInfo& command : tree) {
    out += "    (" + Quoted(command.path) + ") candidates=(";
    for (const auto& [name, description] : command.commands) out += " " + candidate(name, description);
    for (const OptionInfo& option : command.options)
      if (!option.positional)
        for (const std::string& name : option.names) out += " " + candidate(name, option.description);
    out += " ) ;;\n";
  }
  out +=
      "  esac\n"
      "  _describe -t commands dlctl candidates || _files\n"
      "}\n"
      "_dlctl \"$@\"\n";
  return out;
}

}  // namespace dlctl
