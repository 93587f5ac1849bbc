#include "graph/graph_rewrite.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>

#include "graph/graph_load.h"
#include "util/error.h"
#include "util/scratch_folder.h"

namespace dlctl::graph {
namespace {

namespace fs = std::filesystem;

// Kùzu's companions of a database file: its write-ahead log and a checkpoint's shadow pages.
constexpr const char* kCompanions[] = {".wal", ".shadow"};

// The process an entry named <prefix><pid>[companion] was left by; nullopt for other names.
std::optional<pid_t> OwnerOfLeftover(std::string name, const std::string& prefix) {
  if (!name.starts_with(prefix)) return std::nullopt;
  for (const char* companion : kCompanions)
    if (name.ends_with(companion)) name.resize(name.size() - std::string(companion).size());
  std::string digits = name.substr(prefix.size());
  if (digits.empty() || digits.size() > 9 ||
      !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  return static_cast<pid_t>(std::stol(digits));
}

bool Runs(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace

bool HasUnfinishedWrite(const fs::path& database) {
  for (const char* companion : kCompanions)
    if (fs::exists(database.string() + companion)) return true;
  return false;
}

void RemoveLeftoversOfDeadProcesses(const fs::path& folder, const std::vector<std::string>& prefixes) {
  std::error_code ec;
  fs::directory_iterator entries(folder, ec);
  if (ec) return;  // no folder yet: nothing left in it
  for (const auto& entry : entries) {
    for (const auto& prefix : prefixes) {
      auto owner = OwnerOfLeftover(entry.path().filename().string(), prefix);
      if (owner && *owner != getpid() && !Runs(*owner)) fs::remove_all(entry.path(), ec);
    }
  }
}

void RewriteGraph(const Settings& settings, const std::string& schema, uint64_t buffer_pool_bytes,
                  const std::function<void(GraphStore&)>& change) {
  const fs::path database = GraphDatabasePath(settings, schema);
  // What a killed writer logged is replayed into the graph first (opening it read-write, and
  // closing it, which checkpoints), so that no log is left to replay onto the renamed copy. Not
  // otherwise: even an idle read-write open writes on closing, and a kill then leaves shadow pages.
  if (HasUnfinishedWrite(database)) OpenGraph(settings, schema, /*read_only=*/false).reset();
  if (HasUnfinishedWrite(database))
    throw Error(fmt::format("the graph {} is being written by another process: try again when it ends",
                            database.string()));
  const std::string name = database.filename().string();
  // Copies of killed rewrites, and the scratch of write-backs before rewrites were made on copies.
  RemoveLeftoversOfDeadProcesses(database.parent_path(), {"." + name + ".rewrite-", "." + name + ".embeddings-"});

  const fs::path work = database.parent_path() / fmt::format(".{}.rewrite-{}", name, getpid());
  fs::remove_all(work);  // left by an earlier process with this pid
  ScratchFolder scratch(work);
  const fs::path copy = work / "graph";
  fs::copy_file(database, copy);
  {
    GraphStoreOptions options;
    options.buffer_pool_bytes = std::max(options.buffer_pool_bytes, buffer_pool_bytes);
    std::unique_ptr<GraphStore> graph = OpenKuzuGraphStore(copy, options);
    change(*graph);
  }  // closing the copy checkpoints it
  if (HasUnfinishedWrite(copy))
    throw Error(fmt::format("the rewritten graph kept its log after closing: {} is left as it was", database.string()));
  fs::rename(copy, database);
}

}  // namespace dlctl::graph
