#include "cli/versioned_commands.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "cli/output_options.h"
#include "storage/versioned_datasets.h"
#include "util/progress.h"

namespace dlctl {
namespace {

// One row per file of each listed version (a version without files: one row without a file).
// Without -a only the latest version of each dataset; with it, every version, incomplete ones
// (still being written, or abandoned) marked by `complete` false.
QueryResult Rows(const std::vector<Dataset>& datasets, bool all, ObjectStore& store, const VersionedDatasets& where) {
  QueryResult rows;
  rows.columns = {"dataset", "version", "latest", "complete", "file", "bytes", "uri"};
  rows.types = {"VARCHAR", "VARCHAR", "BOOLEAN", "BOOLEAN", "VARCHAR", "BIGINT", "VARCHAR"};
  auto flag = [](bool value) { return std::optional<std::string>(value ? "true" : "false"); };
  for (const auto& d : datasets) {
    std::string folder = where.DatasetFolder(d.name);
    for (const auto& v : d.versions) {
      bool latest = d.manifest && d.manifest->latest_key == v.key;
      if (!all && !latest) continue;
      std::string version = v.key.substr(folder.size());
      if (v.files.empty())
        rows.rows.push_back({d.name, version, flag(latest), flag(v.complete), std::nullopt, std::nullopt,
                             store.Uri(v.key + "/")});
      for (const auto& f : v.files)
        rows.rows.push_back({d.name, version, flag(latest), flag(v.complete), f.key.substr(v.key.size() + 1),
                             std::to_string(f.size), store.Uri(f.key)});
    }
  }
  return rows;
}

nlohmann::json Document(const std::vector<Dataset>& datasets, bool all, ObjectStore& store) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : datasets) {
    nlohmann::json item = {{"dataset", d.name}, {"latest", d.manifest ? d.manifest->latest_uri : ""}};
    nlohmann::json versions = nlohmann::json::array();
    for (const auto& v : d.versions) {
      bool latest = d.manifest && d.manifest->latest_key == v.key;
      if (!all && !latest) continue;
      nlohmann::json files = nlohmann::json::array();
      for (const auto& f : v.files) files.push_back({{"key", f.key}, {"size", f.size}});
      versions.push_back({{"uri", store.Uri(v.key)}, {"latest", latest}, {"complete", v.complete}, {"files", files}});
    }
    item["versions"] = versions;
    out.push_back(item);
  }
  return out;
}

}  // namespace

void PrintPruneReport(const PruneReport& report, ObjectStore& store, bool dry_run) {
  for (const auto& removed : report.removed)
    std::printf("%s %s (%s, %s)\n", dry_run ? "would remove" : "removed", store.Uri(removed.key).c_str(),
                removed.reason.c_str(), HumanBytes(removed.bytes).c_str());
}

void AddVersionedLsCommand(CLI::App* group, CliContext& ctx, const VersionedPrefix& where) {
  auto all = std::make_shared<bool>(false);
  auto output = std::make_shared<OutputOptions>();
  auto* ls = group->add_subcommand("ls", std::string("List the latest version of each ") + where.noun +
                                             " with its files");
  ls->add_flag("-a,--all", *all, "list every version");
  AddOutputOptions(ls, *output);
  ls->callback([&ctx, where, all, output] {
    auto store = ctx.store();
    VersionedDatasets datasets(*store, where.prefix(ctx.settings()), where.name_depth);
    std::vector<Dataset> found;
    for (const auto& name : datasets.Names()) {
      Dataset d = datasets.Describe(name, true);
      if (d.manifest || *all) found.push_back(std::move(d));
    }
    PrintListing(Rows(found, *all, *store, datasets), Document(found, *all, *store), *output);
  });
}

void AddVersionedPruneCommand(CLI::App* group, CliContext& ctx, const VersionedPrefix& where) {
  auto keep = std::make_shared<int>(0);
  auto dry_run = std::make_shared<bool>(false);
  auto* prune = group->add_subcommand(
      "prune", std::string("Remove incomplete versions older than an hour, and versions holding no files (or all "
                           "but the newest N complete ones with --keep) of each ") +
                   where.noun + "; never the latest");
  auto* keep_option = prune->add_option("--keep", *keep, std::string("keep the newest N versions of each ") + where.noun)
                          ->check(CLI::Range(1, 1000000));
  prune->add_flag("--dry-run", *dry_run, "only print what would be removed");
  prune->callback([&ctx, where, keep, keep_option, dry_run] {
    auto store = ctx.store();
    VersionedDatasets datasets(*store, where.prefix(ctx.settings()), where.name_depth);
    std::optional<int> keep_n;
    if (keep_option->count()) keep_n = *keep;
    auto now = std::chrono::system_clock::now();
    for (const auto& name : datasets.Names())
      PrintPruneReport(datasets.Prune(name, keep_n, *dry_run, now), *store, *dry_run);
  });
}

}  // namespace dlctl
