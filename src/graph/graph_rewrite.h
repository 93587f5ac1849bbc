#pragma once
// Changes to an existing Kùzu graph made on a copy, renamed over the graph once the copy is closed
// (checkpointed): a kill at any moment leaves the old graph or the new one. Kùzu 0.11.3 is not safe
// to kill while it rewrites tables in place: a process killed during the checkpoint of the
// embeddings write-back left the node tables empty once recovered, and readers opening the graph
// read-only meanwhile failed on its shadow pages (found by the torture suite, tests/torture/).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "graph/graph_store.h"

namespace dlctl::graph {

// Opens a copy of the graph of `schema` read-write with at least `buffer_pool_bytes` of buffer
// pool, runs `change` on it, closes it and renames it over the graph. When `change` throws, the
// graph stays as it was. NotFoundError when there is no graph.
void RewriteGraph(const Settings& settings, const std::string& schema, uint64_t buffer_pool_bytes,
                  const std::function<void(GraphStore&)>& change);

// Whether Kùzu's log or shadow pages lie beside the database file: a writer is at work, or was
// killed. Only a read-write open replays them; a read-only open fails on shadow pages.
bool HasUnfinishedWrite(const std::filesystem::path& database);

// Removes the entries of `folder` named <prefix><pid>, maybe with Kùzu's ".wal" or ".shadow", whose
// process no longer runs on this host: what killed dlctl processes left (builds, copies, scratch).
void RemoveLeftoversOfDeadProcesses(const std::filesystem::path& folder, const std::vector<std::string>& prefixes);

}  // namespace dlctl::graph
