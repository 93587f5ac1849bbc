#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "ingest/ingest.h"
#include "storage/versioned_datasets.h"
#include "util/error.h"

namespace dlctl {
namespace {

struct DatasetArgs {
  std::string dataset;
  std::string name;
  bool manual = false;
};

bool IsUrl(const std::string& s) { return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0; }

// "data/Songs List.csv" -> "Songs List", "data/deezer/" -> "deezer".
std::string DefaultName(const std::filesystem::path& path) {
  std::filesystem::path normal = std::filesystem::absolute(path).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return std::filesystem::is_regular_file(normal) ? normal.stem().string() : normal.filename().string();
}

void RunDataset(CliContext& ctx, const DatasetArgs& args) {
  IngestResult result;
  auto now = std::chrono::system_clock::now();
  if (args.manual) {
    if (!args.name.empty()) throw UsageError("--manual takes one argument, the dataset name");
    auto store = ctx.store();
    result = IngestManual(*store, ctx.settings().ingest_prefix, args.dataset, now);
  } else if (IsUrl(args.dataset)) {
    bool known = args.dataset.find("://www.kaggle.com/") != std::string::npos ||
                 args.dataset.find("://kaggle.com/") != std::string::npos ||
                 args.dataset.find("://huggingface.co/") != std::string::npos;
    if (!known) throw UsageError("unsupported URL " + args.dataset + ": expected a Kaggle or Hugging Face dataset URL");
    throw Error("ingest from Kaggle and Hugging Face: not implemented yet");
  } else {
    std::filesystem::path path(args.dataset);
    std::string name = args.name;
    if (name.empty()) name = DefaultName(path);
    auto store = ctx.store();
    result = IngestLocalPath(*store, ctx.settings().ingest_prefix, path, name, now);
  }
  std::printf("%s\n", result.version_uri.c_str());
}

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

void AddIngestCommands(CLI::App& app, CliContext& ctx) {
  auto* ingest = app.add_subcommand("ingest", "Manage dataset ingestion");
  ingest->require_subcommand(1);

  auto args = std::make_shared<DatasetArgs>();
  auto* dataset = ingest->add_subcommand(
      "dataset", "Ingest a dataset as a new version: a local file or folder (PATH [NAME]), or --manual NAME");
  dataset->add_option("DATASET", args->dataset, "local file or folder, or the dataset name with --manual")->required();
  dataset->add_option("NAME", args->name, "dataset name for a local path (default: the path's last part)");
  dataset->add_flag("-m,--manual", args->manual, "create an empty version to fill by hand");
  dataset->callback([&ctx, args] { RunDataset(ctx, *args); });

  auto ls_all = std::make_shared<bool>(false);
  auto ls_json = std::make_shared<bool>(false);
  auto* ls = ingest->add_subcommand("ls", "List the latest version of each dataset with its files");
  ls->add_flag("-a,--all", *ls_all, "list every version");
  ls->add_flag("--json", *ls_json, "print JSON");
  ls->callback([&ctx, ls_all, ls_json] {
    auto store = ctx.store();
    VersionedDatasets datasets(*store, ctx.settings().ingest_prefix);
    std::vector<Dataset> found;
    for (const auto& name : datasets.Names()) {
      Dataset d = datasets.Describe(name, true);
      if (d.manifest || *ls_all) found.push_back(std::move(d));
    }
    if (*ls_json) PrintJson(found, *ls_all, *store);
    else PrintText(found, *ls_all);
  });

  auto keep = std::make_shared<int>(0);
  auto dry_run = std::make_shared<bool>(false);
  auto* prune = ingest->add_subcommand(
      "prune", "Remove versions holding no files (or all but the newest N with --keep); never the latest");
  auto* keep_option = prune->add_option("--keep", *keep, "keep the newest N versions of each dataset")
                          ->check(CLI::Range(1, 1000000));
  prune->add_flag("--dry-run", *dry_run, "only print what would be removed");
  prune->callback([&ctx, keep, keep_option, dry_run] {
    auto store = ctx.store();
    VersionedDatasets datasets(*store, ctx.settings().ingest_prefix);
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
