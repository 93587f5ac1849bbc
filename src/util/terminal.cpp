#include "util/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

namespace dlctl {

bool IsTerminal(int fd) { return isatty(fd) == 1; }

size_t TerminalColumns(int fd) {
  if (!IsTerminal(fd)) return 0;
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return 80;
  return size.ws_col;
}

}  // namespace dlctl
