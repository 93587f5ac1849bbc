// Loads the module libdlctl_engine.so (cli/engine_commands.h) on the first command that needs
// DuckDB: from the executable's folder (the build), else by the library search path (an installed
// dlctl's RUNPATH $ORIGIN/../lib/dlctl, LD_LIBRARY_PATH).
#include <dlfcn.h>

#include <filesystem>
#include <string>

#include "cli/engine_commands.h"
#include "util/error.h"

namespace dlctl {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModuleName = "libdlctl_engine.so";

const EngineCommands* LoadEngineCommands() {
  std::error_code error;
  fs::path beside = fs::read_symlink("/proc/self/exe", error).parent_path() / kModuleName;
  std::string module = !error && fs::exists(beside) ? beside.string() : kModuleName;
  // Lazy binding, as when DuckDB was linked into dlctl; never closed: the commands run to the end.
  void* handle = dlopen(module.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (!handle)
    throw Error(std::string("cannot load dlctl's engine module (installed beside dlctl or in its lib/dlctl): ") +
                OneLine(dlerror()));
  auto commands = reinterpret_cast<EngineCommandsFunction>(dlsym(handle, kEngineCommandsName));
  if (!commands) throw Error(module + " has no " + kEngineCommandsName + ": " + OneLine(dlerror()));
  return commands();
}

}  // namespace

const EngineCommands& EngineModule() {
  static const EngineCommands* commands = LoadEngineCommands();  // a failed load is tried again next time
  return *commands;
}

}  // namespace dlctl
