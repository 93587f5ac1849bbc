#pragma once
// Shell completion scripts for dlctl, generated from its command tree: `dlctl tools completion
// bash|zsh` prints one (make install puts them where bash-completion and zsh look).
#include <string>
#include <vector>

#include "cli/command_tree.h"

namespace dlctl {

std::string BashCompletion(const std::vector<CommandInfo>& tree);
std::string ZshCompletion(const std::vector<CommandInfo>& tree);

}  // namespace dlctl
