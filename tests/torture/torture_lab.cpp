#include "torture/torture_lab.h"

#include <fmt/format.h>

#include <random>
#include <stdexcept>

#include "support/test_env.h"

namespace dlctl::testing {
namespace fs = std::filesystem;

namespace {

// Tiny on purpose: a trial's time goes to starting processes, not to moving data.
constexpr const char* kSampleScale = "0.005";

// A few files in two folders, some hundreds of KiB, the same bytes in every lab; on S3 also one
// just past S3Tuning's multipart threshold (32 MiB), so that kills land in multipart uploads.
void WriteTortureFiles(const fs::path& folder, Bucket bucket) {
  std::mt19937_64 bytes(15);
  std::vector<std::pair<const char*, size_t>> files = {
      {"notes.csv", 3 << 10}, {"a/part_1.bin", 40 << 10}, {"a/part_2.bin", 200 << 10}, {"b/blob.bin", 700 << 10}};
  if (bucket == Bucket::kS3) files.push_back({"b/multipart.bin", (33 << 20) + 5});
  for (const auto& [name, size] : files) {
    std::string content(size, '\0');
    for (char& c : content) c = static_cast<char>(bytes() >> 56);
    WriteFile(folder / name, content);
  }
}

}  // namespace

TortureLab::TortureLab(Bucket bucket) : bucket_(bucket), project_(bucket) {
  fs::copy(fs::path(RequiredEnv("DLCTL_SOURCE_DIR")) / "transform", dir() / "transform", fs::copy_options::recursive);
  fs::remove_all(dir() / "transform" / "target");
  WriteTortureFiles(dir() / kTortureDataset, bucket);
  raw_sources_ = {{"deezer_social_networks", dir() / "data" / "deezer-social-networks"},
                  {"million_song_dataset_spotify_lastfm", dir() / "data" / "million-song-dataset-spotify-lastfm"},
                  {kTortureDataset, dir() / kTortureDataset}};

  Step({"tools", "generate-sample-data", "--scale", kSampleScale, "--seed", "7", "data"});
  Step({"ingest", "dataset", "data/deezer-social-networks", "deezer_social_networks"});
  Step({"ingest", "dataset", "data/million-song-dataset-spotify-lastfm", "million_song_dataset_spotify_lastfm"});
  Step({"ingest", "dataset", kTortureDataset, kTortureDataset});
  Step({"transform", "--threads", "2"});
  Step({"query", "CREATE SCHEMA stage.torture"});
  Step({"query", fmt::format("CREATE TABLE {} AS SELECT range AS id, 0::BIGINT AS tag, 0::BIGINT AS upd "
                             "FROM range(100)",
                             kTortureTable)});
  Step({"export", "dataset", "graphs", kMartSchema});
  Step({"backup", "create"});
  Step({"graph", "load", kMartSchema});
  Step(kEmbeddingsArgs);
}

void TortureLab::Step(const std::vector<std::string>& args) {
  CommandResult result = Run(args);
  if (result.exit_code != 0) {
    std::string command;
    for (const auto& arg : args) command += " " + arg;
    throw std::runtime_error(fmt::format("setting up the torture lab in {}: dlctl{} exited {}: {}", Describe(),
                                         command, result.exit_code, result.err));
  }
}

CommandResult TortureLab::Run(const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env) const {
  return project_.Run(args, env);
}

KilledCommandResult TortureLab::RunKilledAfter(const std::vector<std::string>& args, double seconds) const {
  CommandOptions options;
  options.cwd = dir();
  options.env = project_.env();
  std::vector<std::string> argv = {RequiredEnv("DLCTL_BINARY")};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommandKilledAfter(argv, seconds, options);
}

std::string TortureLab::Describe() const {
  if (bucket_ == Bucket::kLocal) return "the lab " + dir().string();
  return "the lab " + dir().string() + " (bucket " + project_.env().at("S3_BUCKET") + ")";
}

}  // namespace dlctl::testing
