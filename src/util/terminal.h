#pragma once
// What dlctl needs to know about the terminal it prints to.
#include <cstddef>

namespace dlctl {

bool IsTerminal(int fd);

// The width of the terminal on `fd` in columns; 0 when `fd` is not a terminal.
size_t TerminalColumns(int fd);

}  // namespace dlctl
