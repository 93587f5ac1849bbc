#pragma once
// dlctl(1), generated from the command tree --help shows: `dlctl tools man-page` prints it
// (make install puts it in share/man/man1).
#include <string>
#include <vector>

#include "cli/command_tree.h"

namespace dlctl {

std::string ManPage(const std::vector<CommandInfo>& tree, const std::string& version);

}  // namespace dlctl
