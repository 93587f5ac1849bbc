// Kùzu's library is 25 MB: loading it costs every dlctl command time, though only graph commands
// use it. So the Kùzu store is the module libdlctl_kuzu.so, built next to dlctl, and is loaded
// here on the first OpenKuzuGraphStore, from the executable's folder, else by the library search
// path (the RUNPATH of what links dlctl_graph: the build's folder, $ORIGIN of the installed engine
// module; LD_LIBRARY_PATH).
#include <dlfcn.h>

#include <filesystem>
#include <string>

#include "graph/graph_store.h"
#include "util/error.h"

namespace dlctl::graph {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModuleName = "libdlctl_kuzu.so";

KuzuStoreFactory LoadFactory() {
  std::error_code error;
  fs::path beside = fs::read_symlink("/proc/self/exe", error).parent_path() / kModuleName;
  std::string module = !error && fs::exists(beside) ? beside.string() : kModuleName;
  void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed: stores may live to the end
  if (!handle)
    throw Error(std::string("cannot load the graph module ") + kModuleName + " (built next to dlctl): " + dlerror());
  void* factory = dlsym(handle, kKuzuStoreFactoryName);
  if (!factory) throw Error(module + " has no " + kKuzuStoreFactoryName + ": " + dlerror());
  return reinterpret_cast<KuzuStoreFactory>(factory);
}

}  // namespace

std::unique_ptr<GraphStore> OpenKuzuGraphStore(const fs::path& path, const GraphStoreOptions& options) {
  static const KuzuStoreFactory factory = LoadFactory();  // a failed load is tried again next time
  return std::unique_ptr<GraphStore>(factory(path, options));
}

}  // namespace dlctl::graph
