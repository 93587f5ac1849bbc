#include <cstdio>

#include "cli/commands.h"
#include "cli/versioned_commands.h"
#include "ingest/ingest.h"
#include "ingest/remote_ingest.h"
#include "util/error.h"

namespace dlctl {
namespace {

struct DatasetArgs {
  std::string dataset;
  std::string name;         // the NAME positional
  std::string name_option;  // --name
  std::vector<std::string> include, exclude;
  std::string revision;
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
  if (!args.name.empty() && !args.name_option.empty()) throw UsageError("give the name once: NAME or --name");
  std::string name = args.name_option.empty() ? args.name : args.name_option;
  bool remote_options = !args.include.empty() || !args.exclude.empty() || !args.revision.empty();
  if (remote_options && (args.manual || !IsUrl(args.dataset)))
    throw UsageError("--include, --exclude and --revision apply to Kaggle and Hugging Face URLs only");
  if (args.manual) {
    if (!name.empty()) throw UsageError("--manual takes one argument, the dataset name");
    auto store = ctx.store();
    result = IngestManual(*store, ctx.settings().ingest_prefix, args.dataset, now);
  } else if (IsUrl(args.dataset)) {
    RemoteIngestOptions options;
    options.name = name;
    options.include = args.include;
    options.exclude = args.exclude;
    options.revision = args.revision;
    const Settings& settings = ctx.settings();
    auto store = ctx.store();
    result = IngestFromUrl(*store, settings.ingest_prefix, settings.sources, args.dataset, options, now);
  } else {
    std::filesystem::path path(args.dataset);
    if (name.empty()) name = DefaultName(path);
    auto store = ctx.store();
    result = IngestLocalPath(*store, ctx.settings().ingest_prefix, path, name, now);
  }
  std::printf("%s\n", result.version_uri.c_str());
}

}  // namespace

void AddIngestCommands(CLI::App& app, CliContext& ctx) {
  auto* ingest = app.add_subcommand("ingest", "Manage dataset ingestion");
  ingest->require_subcommand(1);

  auto args = std::make_shared<DatasetArgs>();
  auto* dataset = ingest->add_subcommand(
      "dataset",
      "Ingest a dataset as a new version: a Kaggle or Hugging Face dataset URL, a local file or folder "
      "(PATH [NAME]), or --manual NAME");
  dataset
      ->add_option("DATASET", args->dataset,
                   "https://www.kaggle.com/datasets/OWNER/DATASET, https://huggingface.co/datasets/OWNER/DATASET, "
                   "a local file or folder, or the dataset name with --manual")
      ->required();
  dataset->add_option("NAME", args->name, "dataset name (default: the URL's dataset slug, or the path's last part)");
  dataset->add_option("--name", args->name_option, "dataset name, as NAME");
  dataset->add_option("--include", args->include, "only files whose path matches this glob (repeatable)");
  dataset->add_option("--exclude", args->exclude, "leave out files whose path matches this glob (repeatable)");
  dataset->add_option("--revision", args->revision,
                      "Kaggle version number, or Hugging Face branch, tag or commit (default: the latest)");
  dataset->add_flag("-m,--manual", args->manual, "create an empty version to fill by hand");
  dataset->callback([&ctx, args] { RunDataset(ctx, *args); });

  VersionedPrefix raw{[](const Settings& settings) { return settings.ingest_prefix; }, 1, "dataset"};
  AddVersionedLsCommand(ingest, ctx, raw);
  AddVersionedPruneCommand(ingest, ctx, raw);
}

}  // namespace dlctl
