#include "cli/versioned_commands.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "storage/versioned_datasets.h"

namespace dlctl {
namespace {

void PrintText(const std::vector<Dataset>& datasets, bool all) {
  for (const auto& d : datasets) {
    std::printf("%s\n%s\n\n", d.name.c_str(), std::string(d.name.size(), '=').c_str());
    for (const auto& v : d.versions) {
      bool latest = d.manifest && d.manifest->latest_key == v.key;
      if (!all && !latest) continue;
      if (v.files.empty()) std::printf("%s/\n", v.key.c_str());
      for (const auto& f : v.files) std::printf("%s\n", f.key.c_str());
    }
    std::printf("\n");
  }
}

void PrintJson(const std::vector<Dataset>& datasets, bool all, ObjectStore& store) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : datasets) {
    nlohmann::json item = {{"dataset", d.name}, {"latest", d.manifest ? d.manifest->latest_uri : ""}};
    nlohmann::json versions = nlohmann::json::array();
    for (const auto& v : d.versions) {
      bool latest = d.manifest && d.manifest->latest_key == v.key;
      if (!all && !latest) continue;
      nlohmann::json files = nlohmann::json::array();
      for (const auto& f : v.files) files.push_back({{"key", f.key}, {"size", f.size}});
      versions.push_back({{"uri", store.Uri(v.key)}, {"latest", latest}, {"files", files}});
    }
    item["versions"] = versions;
    out.push_back(item);
  }
  std::cout << out.dump(2) << "\n";
}

}  // namespace

void AddVersionedLsCommand(CLI::App* group, CliContext& ctx, const VersionedPrefix& where) {
  auto all = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  auto* ls = group->add_subcommand("ls", std::string("List the latest version of each ") + where.noun +
                                             " with its files");
  ls->add_flag("-a,--all", *all, "list every version");
  ls->add_flag("--json", *json, "print JSON");
  ls->callback([&ctx, where, all, json] {
    auto store = ctx.store();
    VersionedDatasets datasets(*store, where.prefix(ctx.settings()), where.name_depth);
    std::vector<Dataset> found;
    for (const auto& name : datasets.Names()) {
      Dataset d = datasets.Describe(name, true);
      if (d.manifest || *all) found.push_back(std::move(d));
    }
    if (*json)
      PrintJson(found, *all, *store);
    else
      PrintText(found, *all);
  });
}

void AddVersionedPruneCommand(CLI::App* group, CliContext& ctx, const VersionedPrefix& where) {
  auto keep = std::make_shared<int>(0);
  auto dry_run = std::make_shared<bool>(false);
  auto* prune = group->add_subcommand(
      "prune", std::string("Remove versions holding no files (or all but the newest N with --keep) of each ") +
                   where.noun + "; never the latest");
  auto* keep_option = prune->add_option("--keep", *keep, std::string("keep the newest N versions of each ") + where.noun)
                          ->check(CLI::Range(1, 1000000));
  prune->add_flag("--dry-run", *dry_run, "only print what would be removed");
  prune->callback([&ctx, where, keep, keep_option, dry_run] {
    auto store = ctx.store();
    VersionedDatasets datasets(*store, where.prefix(ctx.settings()), where.name_depth);
    std::optional<int> keep_n;
    if (keep_option->count()) keep_n = *keep;
    for (const auto& name : datasets.Names()) {
      PruneReport report = datasets.Prune(name, keep_n, *dry_run);
      for (const auto& version : report.removed_versions)
        std::printf("%s %s\n", *dry_run ? "would remove" : "removed", store->Uri(version).c_str());
    }
  });
}

}  // namespace dlctl
